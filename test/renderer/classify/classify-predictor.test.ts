// The Classify view's stores against a stub StudioApi and a fake decoder (classify-fakes.ts): re-classification
// when the weights change (predictor-store; the host's events reach the training and model stores through
// app/host-events, as in the window), and the drawing (drawing-store). Drops and selection are in
// classify-store.test.ts.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

import type { Prediction, TrainingEvent } from '@contract'
import { PRESETS } from '@core/index'
import { DRAWING_ID } from '@/classify/classify-item'
import { RECLASSIFY_INTERVAL_MS, SETTLE_MS } from '@/classify/predictor-store'
import { useNavigationStore } from '@/shared/navigation-store'
import { receiveTrainingEvent } from '@/app/host-events'
import { solidImage } from '../../helpers/synthetic-digit'
import { digitImage, flush, imageFile, oneHot, processor, studio, summary } from './classify-fakes'
import { freshClassifyStores, type ClassifyStores } from './classify-stores'

vi.mock('@/shared/api', async () => (await import('./classify-fakes')).fakeApiModule())
vi.mock('@/classify/image-processor', async () =>
  (await import('./classify-fakes')).fakeImageProcessorModule()
)

/** Waits until the signals of one model change have settled into one re-classification. */
const settle = async (): Promise<void> => {
  await flush()
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS + 20))
  await flush()
}

let classify: ClassifyStores['classify']
let files: ClassifyStores['files']
let pad: ClassifyStores['pad']
let predictor: ClassifyStores['predictor']

beforeEach(() => {
  ;({ classify, files, pad, predictor } = freshClassifyStores())
})

afterEach(() => {
  vi.useRealTimers()
})

describe('predictor store: predictions that follow the weights', () => {
  it('puts a prediction error on the card, in the host’s words', async () => {
    studio.predict.mockRejectedValue(
      new Error(
        'the model gives no finite probabilities (its weights diverged): reset or start a new run'
      )
    )
    await files.openFiles([imageFile('seven.png')])
    await flush()
    expect(classify.items[0]).toMatchObject({
      stage: 'ready',
      prediction: null,
      predictionError:
        'Could not classify: the model gives no finite probabilities (its weights diverged): reset or start a new run'
    })
    expect(predictor.description).toMatchObject({
      state: 'none',
      text: 'No model yet: train one or load a model file'
    })
  })

  it('re-classifies the gallery once per model change: a run ends, a model is loaded, the weights are reset', async () => {
    useNavigationStore().show('classify')
    await files.openFiles([imageFile('a.png'), imageFile('b.png')])
    await settle()
    studio.predict.mockClear()
    studio.predict.mockImplementation(async () => oneHot(3))

    // A run ends: the status changes, and the model store re-reads the model; one pass for both.
    studio.getModel.mockResolvedValue(summary('run'))
    receiveTrainingEvent({
      type: 'started',
      runId: 'r',
      parent: null,
      config: PRESETS.seed.config,
      preset: null,
      totalSteps: 10,
      stepsPerEpoch: 10,
      state: 'running'
    })
    receiveTrainingEvent({ type: 'finished', reason: 'completed', step: 10, elapsedSeconds: 1 })
    await settle()
    expect(studio.predict).toHaveBeenCalledTimes(2)
    expect(classify.items.map((i) => i.prediction?.predicted)).toEqual([3, 3])
    expect(predictor.description).toEqual({
      state: 'ready',
      text: 'Weights of the last run · step 9375 · 97.50% on the test set'
    })

    // A model file loaded (from the menu, say: the host's modelLoaded event; the host then holds it).
    studio.getModel.mockResolvedValue(summary('loaded', 'mlp.json'))
    receiveTrainingEvent({ type: 'modelLoaded', model: summary('loaded', 'mlp.json') })
    await settle()
    expect(studio.predict).toHaveBeenCalledTimes(4)
    expect(predictor.description.text).toBe(
      'Model file mlp.json · 784 → 128 ReLU → 10 · 97.50% on the test set'
    )

    studio.getModel.mockResolvedValue(summary('reset'))
    receiveTrainingEvent({ type: 'reset', config: PRESETS.seed.config })
    await settle()
    expect(studio.predict).toHaveBeenCalledTimes(6)
    expect(predictor.description.text).toMatch(/^Untrained weights/)
  })

  it('follows the weights during training at most every 1.5 s, and only while the view is shown', async () => {
    await files.openFiles([imageFile('a.png')])
    await flush()
    vi.useFakeTimers()
    studio.predict.mockClear()
    const weights = (step: number): TrainingEvent => ({
      type: 'weights',
      snapshot: {
        layer: 'dense1',
        step,
        rows: 1,
        cols: 1,
        rowsAre: 'units',
        data: new Float32Array(1)
      }
    })

    receiveTrainingEvent({
      type: 'started',
      runId: 'r',
      parent: null,
      config: PRESETS.seed.config,
      preset: null,
      totalSteps: 100,
      stepsPerEpoch: 100,
      state: 'running'
    })
    for (let step = 1; step <= 5; step++) {
      receiveTrainingEvent(weights(step))
      await vi.advanceTimersByTimeAsync(100)
    }
    expect(studio.predict).toHaveBeenCalledTimes(1) // at once for the first snapshot…
    await vi.advanceTimersByTimeAsync(RECLASSIFY_INTERVAL_MS)
    expect(studio.predict).toHaveBeenCalledTimes(2) // …and once for the four that followed within 1.5 s
    expect(predictor.description).toMatchObject({
      state: 'live',
      text: expect.stringMatching(/^Live weights of the current run/)
    })

    useNavigationStore().show('train')
    studio.predict.mockClear()
    receiveTrainingEvent(weights(6))
    await vi.advanceTimersByTimeAsync(3 * RECLASSIFY_INTERVAL_MS)
    expect(studio.predict).not.toHaveBeenCalled() // nobody is looking: the worker keeps training
    useNavigationStore().show('classify')
    await vi.advanceTimersByTimeAsync(SETTLE_MS + 10)
    expect(studio.predict).toHaveBeenCalledTimes(1) // caught up as soon as the view showed
  })

  it('says a model exists once a prediction succeeded, even before the model store knows it', async () => {
    expect(predictor.description.state).toBe('none')
    await files.openFiles([imageFile('a.png')])
    await flush()
    expect(predictor.description).toEqual({ state: 'ready', text: 'The studio’s current model' })
  })
})

describe('drawing store', () => {
  it('preprocesses the pad like any image, shows it, and classifies it', async () => {
    pad.classifyDrawing(digitImage())
    expect(classify.selectedId).toBe(DRAWING_ID)
    expect(classify.selected).toMatchObject({
      name: 'Your drawing',
      source: 'drawing',
      stage: 'reading'
    })
    await flush()
    expect(classify.selected).toMatchObject({ stage: 'ready', preview: { url: 'data:,' } })
    expect(classify.selected?.input).toHaveLength(784)
    expect(classify.drawing?.prediction?.predicted).toBe(7)
  })

  it('works on the newest drawing only, keeps one prediction in flight, and drops stale answers', async () => {
    await flush()
    studio.predict.mockClear()
    let release: (p: Prediction) => void = () => {}
    studio.predict.mockImplementationOnce(
      () => new Promise<Prediction>((resolve) => (release = resolve))
    )
    studio.predict.mockImplementation(async () => oneHot(1))
    pad.classifyDrawing(digitImage())
    pad.classifyDrawing(digitImage())
    pad.classifyDrawing(digitImage())
    await flush()
    expect(processor.pixels).toHaveBeenCalledTimes(2) // the first, then the newest; the middle one was never needed
    expect(studio.predict).toHaveBeenCalledTimes(1)
    release(oneHot(7)) // the answer for the first drawing arrives after the pad changed: dropped
    await flush()
    expect(studio.predict).toHaveBeenCalledTimes(2)
    expect(classify.drawing?.prediction?.predicted).toBe(1)
  })

  it('says "no digit found" for an empty-looking pad, clears, and keeps a drawing as a card', async () => {
    pad.classifyDrawing(solidImage(280, 280, [0, 0, 0, 255]))
    await flush()
    expect(classify.drawing).toMatchObject({
      stage: 'failed',
      problem: 'no-digit',
      error: expect.stringMatching(/^No digit found/)
    })
    pad.classifyDrawing(digitImage())
    await flush()
    await Promise.all([pad.keepDrawing(), pad.keepDrawing()])
    expect(classify.items.map((i) => i.name)).toEqual(['Drawing 2', 'Drawing 1'])
    expect(classify.items[0]).toMatchObject({
      source: 'drawing',
      stage: 'ready',
      prediction: { predicted: 7 }
    })
    pad.classifyDrawing(null)
    expect(classify.drawing).toBeNull()
    expect(classify.selected?.name).toBe('Drawing 2')
  })

  it('keeps the drawing the pad shows, with its own prediction, even while the store is a stroke behind', async () => {
    studio.predict.mockImplementation(async () => oneHot(7))
    pad.classifyDrawing(digitImage())
    await flush()
    expect(classify.drawing?.prediction?.predicted).toBe(7)
    // A stroke is undone and Keep clicked at once: the undone pixels are still being preprocessed
    // and classified, and the drawing still holds the previous prediction.
    let release: (p: Prediction) => void = () => {}
    studio.predict.mockImplementationOnce(
      () => new Promise<Prediction>((resolve) => (release = resolve))
    )
    const undone = digitImage()
    pad.classifyDrawing(undone)
    const kept = pad.keepDrawing()
    await flush()
    expect(classify.items).toHaveLength(0) // not yet: its prediction is on its way
    release(oneHot(1))
    await kept
    expect(classify.items).toHaveLength(1)
    expect(classify.items[0]).toMatchObject({ name: 'Drawing 1', prediction: { predicted: 1 } })
    expect(classify.items[0].input).toBe(classify.drawing?.input)
    expect(processor.pixels).toHaveBeenLastCalledWith(undone)
  })

  it('keeps nothing when the pad is cleared before the drawing caught up', async () => {
    pad.classifyDrawing(digitImage())
    const kept = pad.keepDrawing()
    pad.classifyDrawing(null)
    await kept
    await flush()
    expect(classify.items).toHaveLength(0)
  })

  it('drops the result for a drawing cleared while it was being processed', async () => {
    pad.classifyDrawing(digitImage())
    pad.classifyDrawing(null)
    await flush()
    expect(classify.drawing).toBeNull()
    expect(classify.selectedId).toBeNull()
  })
})
