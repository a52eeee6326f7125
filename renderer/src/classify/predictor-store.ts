// Which weights classify the images (the line above the big panel), and keeping every prediction in
// step with them: new weights streaming in during a run, a run ending, a reset or a loaded model
// re-classify every card and the drawing, while the Classify view is shown (else once it is).

import { defineStore } from 'pinia'
import { computed, watch } from 'vue'
import type { ModelSummary } from '@contract'
import { describeArchitecture } from '@core/nn/architecture'
import { useNavigationStore } from '@/shared/navigation-store'
import { formatAccuracy } from '@/shared/format'
import { useModelStore } from '@/shared/model/model-store'
import { useTrainingStore } from '@/train/training-store'
import { DRAWING_ID } from './classify-item'
import { useClassifyStore } from './classify-store'
import { useDrawingStore } from './drawing-store'
import { usePredictionsStore } from './predictions-store'

/** While a run trains, the gallery is re-classified with the latest weights at most this often. */
export const RECLASSIFY_INTERVAL_MS = 1500
/** Signals of one model change (a run's end, then the model store's refresh) closer than this make one pass. */
export const SETTLE_MS = 200
/** Predictions asked of the host at once when re-classifying the gallery. */
const PREDICT_CONCURRENCY = 3

/** Where the predictions come from: a run's live weights, a model, or nothing yet. */
export interface PredictorDescription {
  readonly state: 'live' | 'ready' | 'none'
  readonly text: string
}

/** "Weights of the last run · step 1500 · 91.2% on the test set", "Model file mlp.json · 784 → 128 ReLU → 10". */
function describeModel(summary: ModelSummary): string {
  const accuracy = summary.metrics.testAccuracy
  const test = accuracy === undefined ? '' : ` · ${formatAccuracy(accuracy)} on the test set`
  switch (summary.source) {
    case 'loaded':
      return `Model file ${summary.fileName ?? ''} · ${describeArchitecture(summary.architecture)}${test}`
    case 'reset':
      return 'Untrained weights (just reset): train for meaningful predictions'
    case 'run':
      return `Weights of the last run · step ${summary.step}${test}`
  }
}

/** Runs `work` over `ids`, at most `limit` at a time. */
async function forEachLimited(
  ids: readonly number[],
  limit: number,
  work: (id: number) => Promise<void>
): Promise<void> {
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < ids.length) await work(ids[next++])
  }
  await Promise.all(Array.from({ length: Math.min(limit, ids.length) }, worker))
}

export const usePredictorStore = defineStore('classify-predictor', () => {
  const classify = useClassifyStore()
  const drawing = useDrawingStore()
  const predictions = usePredictionsStore()
  const training = useTrainingStore()
  const model = useModelStore()
  const navigation = useNavigationStore()

  /** One line saying which weights the predictions use. */
  const description = computed((): PredictorDescription => {
    const status = training.status
    if (status === 'running' || status === 'paused' || status === 'starting') {
      return { state: 'live', text: `Live weights of the current run · step ${training.step}` }
    }
    if (model.current) return { state: 'ready', text: describeModel(model.current) }
    if (
      status === 'finished' ||
      status === 'stopped' ||
      status === 'diverged' ||
      status === 'failed'
    ) {
      return { state: 'ready', text: `Weights of the last run · step ${training.step}` }
    }
    if (predictions.hasModel) return { state: 'ready', text: 'The studio’s current model' }
    return { state: 'none', text: 'No model yet: train one or load a model file' }
  })

  let reclassifying: Promise<void> | null = null
  let again = false

  /** Re-asks every prediction (gallery and drawing) with the current weights; overlapping calls merge. */
  function reclassify(): Promise<void> {
    if (reclassifying) {
      again = true
      return reclassifying
    }
    reclassifying = (async () => {
      do {
        again = false
        stale = false
        lastReclassifyMs = Date.now()
        const ids = [
          ...(classify.drawing?.input ? [DRAWING_ID] : []),
          ...classify.items.filter((item) => item.input).map((item) => item.id)
        ]
        await forEachLimited(ids, PREDICT_CONCURRENCY, (id) =>
          id === DRAWING_ID ? drawing.predict() : predictions.predictCard(id)
        )
      } while (again)
    })().finally(() => {
      reclassifying = null
    })
    return reclassifying
  }

  // ── following the model: new weights → new predictions ──

  let stale = false
  let lastReclassifyMs = -Infinity
  let timer: ReturnType<typeof setTimeout> | null = null
  let soonTimer: ReturnType<typeof setTimeout> | null = null

  /**
   * The weights changed. Re-classify soon (`soon`: a run ended, a reset, a model loaded; the signals
   * of one change arriving within SETTLE_MS make one pass) or within RECLASSIFY_INTERVAL_MS (weights
   * streaming in during training). While another view is showing, only remember it, and catch up
   * when the Classify view is shown.
   */
  function weightsChanged(soon: boolean): void {
    stale = true
    const anything = classify.drawing?.input || classify.items.some((item) => item.input)
    if (!anything || navigation.view !== 'classify') return
    if (soon) {
      if (timer !== null) clearTimeout(timer)
      timer = null
      soonTimer ??= setTimeout(() => {
        soonTimer = null
        void reclassify()
      }, SETTLE_MS)
      return
    }
    if (timer !== null || soonTimer !== null) return
    const wait = Math.max(0, lastReclassifyMs + RECLASSIFY_INTERVAL_MS - Date.now())
    timer = setTimeout(() => {
      timer = null
      void reclassify()
    }, wait)
  }

  // The host's events reach the training and model stores (app/host-events.ts): watch those, never
  // subscribe again.
  watch(
    () => training.weights,
    () => weightsChanged(false)
  )
  watch(
    () => training.status,
    (status, previous) => {
      // The model store re-reads the model on these too; both signals fall within SETTLE_MS.
      const ended = status === 'finished' || status === 'stopped'
      const reset = status === 'idle' && previous !== 'idle' && previous !== 'starting'
      if (ended || reset) weightsChanged(true)
    }
  )
  watch(
    () => model.current,
    () => weightsChanged(true)
  )
  watch(
    () => navigation.view,
    (view) => {
      if (view === 'classify' && stale) weightsChanged(true)
    }
  )

  return { description, reclassify }
})
