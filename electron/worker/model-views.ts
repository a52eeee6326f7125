// What the worker shows of the model: evaluation summaries, predictions, a conv net's feature maps
// (first-layer weight snapshots are core's firstLayerSnapshot, which the window uses too).

import { classify, featureMaps, type Evaluation, type Sequential } from '../../core'
import {
  MAX_FEATURE_MAP_CHANNELS,
  type EvaluationSummary,
  type FeatureMapsResult,
  type Prediction
} from '../contract'
import type { InspectedImage } from './test-images'

/** The evaluation without its per-image arrays (10 000 predictions do not belong in a UI message). */
export function summarize(evaluation: Evaluation): EvaluationSummary {
  const { predictions: _predictions, confidences: _confidences, ...summary } = evaluation
  return summary
}

/** Class probabilities for one input row of C·H·W values in [0, 1]. */
export function predict(model: Sequential, pixels: Float32Array): Prediction {
  const { probabilities, predicted } = classify(model, pixels)
  if (!probabilities.every(Number.isFinite)) {
    throw new Error(
      'the model gives no finite probabilities (its weights diverged): reset or start a new run'
    )
  }
  return { probabilities: Array.from(probabilities), predicted }
}

/** What the model makes of one image: its conv and pool layers' maps (bounded), and its prediction. */
export function featureMapsOf(
  model: Sequential,
  image: InspectedImage,
  step: number
): FeatureMapsResult {
  return {
    step,
    input: image.input,
    label: image.label,
    prediction: predict(model, image.input),
    layers: featureMaps(model, image.input, MAX_FEATURE_MAP_CHANNELS)
  }
}
