// The Classify view's stores against a stub StudioApi and a fake decoder: a drop becomes cards in
// order, each with its prediction or its own error; model files load instead (open-files-store);
// selection (classify-store); the drawing (drawing-store); and re-classification when the weights
// change (predictor-store; the host's events reach the training and model stores through
// app/host-events, as in the window).

import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { isProxy, nextTick } from 'vue'
import type { ModelSummary, Prediction, StudioApi, TrainingEvent } from '@contract'
import { PRESETS } from '@core/index'
import type { ImageHeader, RgbaImage } from '@core/vision/index'
import { DRAWING_ID, MAX_GALLERY_ITEMS } from '@/classify/classify-item'
import { useClassifyStore } from '@/classify/classify-store'
import { useDrawingStore } from '@/classify/drawing-store'
import { useOpenFilesStore } from '@/classify/open-files-store'
import { RECLASSIFY_INTERVAL_MS, SETTLE_MS, usePredictorStore } from '@/classify/predictor-store'
import { useNavigationStore } from '@/shared/navigation-store'
import { receiveTrainingEvent } from '@/app/host-events'
import { drawDigit, solidImage } from '../../helpers/synthetic-digit'
import { pngBytes, text } from './classify-files'

const oneHot = (digit: number, p = 0.9): Prediction => ({
  probabilities: Array.from({ length: 10 }, (_, d) => (d === digit ? p : (1 - p) / 9)),
  predicted: digit
})

const studio = vi.hoisted(() => ({
  predict: vi.fn(),
  getModel: vi.fn(),
  importModel: vi.fn(),
  onTrainingEvent: vi.fn(() => () => {})
}))
vi.mock('@/shared/api', () => ({ useStudio: (): StudioApi => studio as unknown as StudioApi }))

/** The image worker, faked: pixels registered per Blob go through core/vision; anything else fails like a corrupt file. */
const decoded = vi.hoisted(
  () => new Map<Blob, { width: number; height: number; data: Uint8ClampedArray | Uint8Array }>()
)
const processor = vi.hoisted(() => ({ pixels: vi.fn() }))
vi.mock('@/classify/image-processor', async () => {
  const { preprocessDigit } = await import('@core/vision/index')
  const { DecodeError } = await import('@/classify/image-input')
  return {
    imageProcessor: {
      processFile: async (file: Blob, header: ImageHeader) => {
        const rgba = decoded.get(file)
        if (!rgba) throw new DecodeError('The source image could not be decoded.')
        return {
          preview: { url: 'data:,', width: header.width, height: header.height },
          result: preprocessDigit(rgba)
        }
      },
      processPixels: async (image: RgbaImage) => {
        processor.pixels(image)
        return {
          preview: { url: 'data:,', width: image.width, height: image.height },
          result: preprocessDigit(image)
        }
      }
    }
  }
})

const digitImage = (): RgbaImage =>
  drawDigit({ width: 120, height: 100, box: { x: 30, y: 15, width: 50, height: 70 }, penWidth: 7 })

/** A PNG file whose "decoded" pixels are `rgba`. */
function imageFile(name: string, rgba: RgbaImage = digitImage()): File {
  const file = new File([pngBytes(rgba.width, rgba.height)], name, { type: 'image/png' })
  decoded.set(file, rgba)
  return file
}

const flush = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) {
    await nextTick()
    await new Promise((resolve) => setTimeout(resolve, 0))
  }
}

/** Waits until the signals of one model change have settled into one re-classification. */
const settle = async (): Promise<void> => {
  await flush()
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS + 20))
  await flush()
}

const summary = (source: ModelSummary['source'], fileName: string | null = null): ModelSummary => ({
  source,
  architecture: PRESETS.mlp.config.architecture,
  trainingConfig: null,
  metrics: { testAccuracy: 0.975 },
  step: 9375,
  fileName
})

let classify: ReturnType<typeof useClassifyStore>
let files: ReturnType<typeof useOpenFilesStore>
let pad: ReturnType<typeof useDrawingStore>
let predictor: ReturnType<typeof usePredictorStore>

beforeEach(() => {
  setActivePinia(createPinia())
  vi.clearAllMocks()
  // As in the window (main.ts), the predictor follows the weights from the start.
  predictor = usePredictorStore()
  classify = useClassifyStore()
  files = useOpenFilesStore()
  pad = useDrawingStore()
  decoded.clear()
  studio.predict.mockImplementation(async () => oneHot(7))
  studio.getModel.mockResolvedValue(null)
  useNavigationStore().show('train')
})

afterEach(() => {
  vi.useRealTimers()
})

describe('open-files store', () => {
  it('turns a drop into cards in order, each with its prediction or its own error, and shows the first', async () => {
    const dropped = [
      imageFile('seven.png'),
      new File([text('just some notes')], 'notes.png'),
      new File([], 'empty.png'),
      new File([text('<svg xmlns="http://www.w3.org/2000/svg"/>')], 'drawing.svg'),
      new File([pngBytes(100_000, 100_000)], 'huge.png'),
      imageFile('blank.png', solidImage(60, 40, [255, 255, 255, 255])),
      new File([pngBytes(30, 30)], 'corrupt.png'), // a good header; the decoder rejects the data
      imageFile('photo.jpg') // a PNG named .jpg: decoded by content
    ]
    await files.openFiles(dropped)
    await flush()

    expect(useNavigationStore().view).toBe('classify')
    const items = classify.items
    expect(items.map((i) => i.name)).toEqual(dropped.map((f) => f.name))
    const byName = Object.fromEntries(items.map((i) => [i.name, i]))
    expect(byName['seven.png']).toMatchObject({
      stage: 'ready',
      prediction: { predicted: 7 },
      error: null
    })
    expect(byName['photo.jpg']).toMatchObject({
      stage: 'ready',
      header: { format: 'png' },
      prediction: { predicted: 7 }
    })
    expect(byName['notes.png']).toMatchObject({
      stage: 'failed',
      problem: 'file',
      error: expect.stringMatching(/^This is a text file/)
    })
    expect(byName['empty.png'].error).toBe('The file is empty (0 bytes)')
    expect(byName['drawing.svg'].error).toMatch(/^SVG drawings are not supported/)
    expect(byName['huge.png'].error).toMatch(/100000×100000 pixels/)
    expect(byName['blank.png']).toMatchObject({
      stage: 'failed',
      problem: 'no-digit',
      error: expect.stringMatching(/^No digit found/)
    })
    expect(byName['blank.png'].preview).not.toBeNull()
    expect(byName['corrupt.png'].error).toBe(
      'The PNG file is corrupt: its image data could not be decoded'
    )
    expect(studio.predict).toHaveBeenCalledTimes(2) // the two good images
    expect(classify.selected?.name).toBe('seven.png')
    expect(classify.counts).toEqual({ total: 8, ready: 2, failed: 6 })
    expect(files.pending).toBe(0)
    // The 784 inputs reach the host as plain typed arrays, never Vue proxies.
    const sent = studio.predict.mock.calls.at(-1)![0]
    expect(sent).toBeInstanceOf(Float32Array)
    expect(isProxy(sent)).toBe(false)
    expect(sent).toHaveLength(784)
  })

  it('puts a new drop first, keeps the gallery bounded, and caps a drop at 100 files with a notice', async () => {
    await files.openFiles([imageFile('first.png')])
    const many = Array.from(
      { length: 103 },
      (_, i) => new File([text(`note ${i}`)], `note-${i}.txt`)
    )
    await files.openFiles(many)
    expect(files.notice).toMatchObject({
      tone: 'info',
      text: 'Opened the first 100 of 103 files; add the other 3 in another batch.'
    })
    expect(classify.items).toHaveLength(101)
    expect(classify.items[0].name).toBe('note-0.txt')
    expect(classify.items.at(-1)!.name).toBe('first.png')
    await files.openFiles(many.slice(0, 100))
    expect(classify.items).toHaveLength(MAX_GALLERY_ITEMS)
  })

  it('loads a dropped model file (content starts with "{") instead of showing it as an image', async () => {
    studio.importModel.mockResolvedValue(summary('loaded', 'mlp.json'))
    const model = new File([text('{"format":"backprop-studio-model"}')], 'mlp.json')
    await files.openFiles([model])
    expect(studio.importModel).toHaveBeenCalledWith(
      '{"format":"backprop-studio-model"}',
      'mlp.json'
    )
    expect(classify.items).toHaveLength(0)
    expect(useNavigationStore().view).toBe('train') // nothing to classify: the view stays where the user is
    expect(files.notice).toMatchObject({
      tone: 'success',
      text: 'Loaded model mlp.json (784 → 128 ReLU → 10): the studio uses its weights now.'
    })
    expect(predictor.description.text).toMatch(
      /^Model file mlp\.json · 784 → 128 ReLU → 10 · 97\.50% on the test set/
    )
  })

  it('says why a model file was refused, and changes nothing', async () => {
    studio.importModel.mockRejectedValue(new Error('not a Backprop Studio model file'))
    await files.openFiles([new File([text('{"nope":1}')], 'other.json'), imageFile('seven.png')])
    expect(files.notice).toMatchObject({
      tone: 'error',
      text: 'Could not load the model: other.json: not a Backprop Studio model file'
    })
    expect(classify.items.map((i) => i.name)).toEqual(['seven.png'])
  })

  it('opens files from the native Open dialog like a drop: a model loads, images get cards, refusals are told', async () => {
    studio.importModel.mockResolvedValue(summary('loaded', 'mlp.json'))
    await files.openFromDialog([
      { name: 'mlp.json', bytes: text('{"format":"backprop-studio-model"}') }
    ])
    expect(studio.importModel).toHaveBeenCalledWith(
      '{"format":"backprop-studio-model"}',
      'mlp.json'
    )
    await files.openFromDialog([
      { name: 'huge.png', error: 'huge.png is 70 MB; files above 64 MB are not opened' },
      { name: 'seven.png', bytes: pngBytes(120, 100) }
    ])
    expect(classify.items.map((i) => i.name)).toEqual(['seven.png'])
    expect(files.notice).toMatchObject({
      tone: 'error',
      text: 'huge.png is 70 MB; files above 64 MB are not opened.'
    })
  })

  it('names pasted images and keeps the card of a file removed before its turn out of the work', async () => {
    const file = imageFile('image.png')
    await files.openFiles([{ file, name: 'Pasted image' }], 'paste')
    expect(classify.items[0]).toMatchObject({
      name: 'Pasted image',
      source: 'paste',
      stage: 'ready'
    })
  })
})

describe('classify store: selection', () => {
  it('selects a card, and after removing the selected one shows its neighbour', async () => {
    await files.openFiles([imageFile('a.png'), imageFile('b.png'), imageFile('c.png')])
    const [a, b, c] = classify.items
    classify.select(b.id)
    expect(classify.selected?.name).toBe('b.png')
    classify.remove(b.id)
    expect(classify.selected?.name).toBe('c.png')
    classify.remove(c.id)
    expect(classify.selected?.name).toBe('a.png')
    classify.remove(a.id)
    expect(classify.selected).toBeNull()
  })

  it('clears the gallery but keeps the drawing', async () => {
    await files.openFiles([imageFile('a.png')])
    pad.classifyDrawing(digitImage())
    classify.select(classify.items[0].id)
    classify.clearGallery()
    expect(classify.items).toHaveLength(0)
    expect(classify.selectedId).toBe(DRAWING_ID)
  })
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
