// The draw pad's pipeline: its pixels, up to ~15 times a second, are preprocessed like any image (in
// the image worker), shown in the big panel and classified, only the newest counting; and Keep turns
// the drawing into a card. The drawing itself is held with the cards (classify-store.ts).

import { defineStore } from 'pinia'
import { markRaw } from 'vue'
import type { RgbaImage } from '@core/vision/index'
import { DRAWING_ID, newItem, type ClassifyItem } from './classify-item'
import { useClassifyStore } from './classify-store'
import { sentence } from './image-input'
import { imageProcessor } from './image-processor'
import { usePredictionsStore } from './predictions-store'

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err))

export const useDrawingStore = defineStore('classify-drawing', () => {
  const classify = useClassifyStore()
  const predictions = usePredictionsStore()

  // One set of pixels in the worker at a time, then the newest.
  let nextDrawing: RgbaImage | null = null
  let processingDrawing = false
  /** Bumped when the pad is cleared: results for drawings from before are dropped. */
  let drawingEpoch = 0
  // One prediction in flight, then one for the newest input.
  let predictionInFlight = false
  let predictionDirty = false
  /** Resolved whenever the pipeline (preprocessing, then prediction) has nothing left to do. */
  let idleWaiters: (() => void)[] = []
  /** Drawings kept so far: the next card is "Drawing n + 1". */
  let keptCount = 0

  /**
   * The draw pad's pixels (null when cleared): preprocessed by core/vision like any image (in the
   * image worker), shown in the big panel, and classified. Only the newest drawing counts.
   */
  function classifyDrawing(image: RgbaImage | null): void {
    if (!image) {
      drawingEpoch++
      nextDrawing = null
      classify.setDrawing(null)
      return
    }
    if (!classify.drawing)
      classify.setDrawing({ ...newItem(DRAWING_ID, 'Your drawing', 'drawing'), stage: 'reading' })
    classify.select(DRAWING_ID)
    nextDrawing = image
    if (!processingDrawing) void processDrawings()
  }

  async function processDrawings(): Promise<void> {
    processingDrawing = true
    try {
      while (nextDrawing) {
        const image = nextDrawing
        const epoch = drawingEpoch
        nextDrawing = null
        let processed: Awaited<ReturnType<typeof imageProcessor.processPixels>>
        try {
          processed = await imageProcessor.processPixels(image)
        } catch (err) {
          if (epoch === drawingEpoch && classify.drawing)
            classify.patch(DRAWING_ID, {
              stage: 'failed',
              problem: 'file',
              error: sentence(messageOf(err))
            })
          continue
        }
        const current = classify.drawing
        if (epoch !== drawingEpoch || !current) continue // cleared meanwhile
        const { preview, result } = processed
        classify.patch(
          DRAWING_ID,
          result.ok
            ? {
                stage: 'ready',
                preview,
                input: markRaw(result.input),
                steps: result.steps,
                problem: null,
                error: null,
                predicting: !current.prediction
              }
            : {
                stage: 'failed',
                preview,
                input: null,
                steps: null,
                problem: 'no-digit',
                error: sentence(result.message),
                prediction: null,
                predictionError: null,
                predicting: false
              }
        )
        if (result.ok) void predict()
      }
    } finally {
      processingDrawing = false
      notifyIdle()
    }
  }

  /** Classifies the drawing's input with the current weights; an answer for an older input is dropped. */
  async function predict(): Promise<void> {
    if (predictionInFlight) {
      predictionDirty = true
      return
    }
    predictionInFlight = true
    try {
      do {
        predictionDirty = false
        const current = classify.drawing
        if (!current?.input) break
        const answer = await predictions.ask(current.input)
        if (classify.drawing?.input === current.input)
          classify.patch(DRAWING_ID, { ...answer, predicting: false })
      } while (predictionDirty)
    } finally {
      predictionInFlight = false
      notifyIdle()
    }
  }

  function busy(): boolean {
    return processingDrawing || predictionInFlight || nextDrawing !== null
  }

  function notifyIdle(): void {
    if (busy()) return
    const waiters = idleWaiters
    idleWaiters = []
    for (const resolve of waiters) resolve()
  }

  const idle = (): Promise<void> =>
    busy() ? new Promise((resolve) => idleWaiters.push(resolve)) : Promise.resolve()

  /**
   * Keeps the drawing as a card in the gallery, as the pad shows it now. The store may still be a
   * stroke behind (an undo just before the click is still being preprocessed or classified), and a card
   * never changes after it is kept, so it waits for the pipeline to catch up: otherwise the card could
   * pair the new picture with the previous drawing's prediction.
   */
  async function keepDrawing(): Promise<void> {
    const epoch = drawingEpoch
    await idle() // waiters resume in click order, so two quick clicks keep theirs
    const current = classify.drawing
    if (epoch !== drawingEpoch || !current || current.stage !== 'ready') return // cleared or no digit meanwhile
    const card: ClassifyItem = {
      ...current,
      id: classify.newCardId(),
      name: `Drawing ${++keptCount}`
    }
    classify.addCards([card])
  }

  return { classifyDrawing, keepDrawing, predict }
})
