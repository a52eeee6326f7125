// Asking the host to classify an image's 28×28 input with the current weights, and what its answers
// tell about the host: that it has a model.

import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { Prediction } from '@contract'
import { useStudio } from '@/shared/api'
import type { ClassifyItem } from './classify-item'
import { useClassifyStore } from './classify-store'
import { explainPredictError } from './image-prediction'

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err))

/** An item's prediction, or why there is none, in words for its card. */
export type PredictionAnswer = Pick<ClassifyItem, 'prediction' | 'predictionError'>

export const usePredictionsStore = defineStore('classify-predictions', () => {
  const classify = useClassifyStore()
  /** Whether the host has a model, as far as this window's predictions have seen (null: not known yet). */
  const hasModel = ref<boolean | null>(null)

  /** The host's prediction for `input`, or its failure explained; never throws. */
  async function ask(input: Float32Array): Promise<PredictionAnswer> {
    try {
      const prediction: Prediction = await useStudio().predict(input)
      hasModel.value = true
      return { prediction, predictionError: null }
    } catch (err) {
      return { prediction: null, predictionError: explainPredictError(messageOf(err)) }
    }
  }

  /** Classifies one gallery card's input (the drawing has its own pipeline: drawing-store.ts). */
  async function predictCard(id: number): Promise<void> {
    const item = classify.find(id)
    if (!item?.input) return
    if (!item.prediction) classify.patch(id, { predicting: true })
    const answer = await ask(item.input)
    classify.patch(id, { ...answer, predicting: false })
  }

  /** A model file was loaded: the host has a model now. */
  function modelLoaded(): void {
    hasModel.value = true
  }

  return { hasModel, ask, predictCard, modelLoaded }
})
