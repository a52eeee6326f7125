// The model store against a stubbed StudioApi: loading a file (a bad one keeps the current model and
// says why), saving and exporting as downloads, following modelLoaded and the run's status.
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { MAX_MODEL_FILE_BYTES, type ModelSummary, type StudioApi } from '@contract'
import { PRESETS } from '@core/train/presets'
import { useModelStore } from '@/shared/model/model-store'
import { receiveTrainingEvent } from '@/app/host-events'

const RUN_MODEL: ModelSummary = {
  source: 'run',
  architecture: PRESETS.seed.config.architecture,
  trainingConfig: PRESETS.seed.config,
  metrics: { testAccuracy: 0.91, steps: 100 },
  step: 100,
  fileName: null
}
const LOADED: ModelSummary = {
  ...RUN_MODEL,
  source: 'loaded',
  fileName: 'digits.json',
  metrics: { testAccuracy: 0.97 }
}

const studio = vi.hoisted(() => ({
  getModel: vi.fn(),
  importModel: vi.fn(),
  importOnnx: vi.fn(),
  exportModel: vi.fn(),
  exportNpz: vi.fn(),
  exportOnnx: vi.fn(),
  startTraining: vi.fn(async () => {})
}))
vi.mock('@/shared/api', () => ({ useStudio: (): StudioApi => studio as unknown as StudioApi }))

let downloads: { name: string; blob: Blob }[]
beforeEach(() => {
  setActivePinia(createPinia())
  vi.clearAllMocks()
  studio.getModel.mockResolvedValue(RUN_MODEL)
  downloads = []
  let lastBlob: Blob | null = null
  vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
    lastBlob = blob as Blob
    return 'blob:test'
  })
  vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {})
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
    this: HTMLAnchorElement
  ) {
    downloads.push({ name: this.download, blob: lastBlob! })
  })
})
afterEach(() => vi.restoreAllMocks())

async function withCurrentModel() {
  const model = useModelStore()
  await model.refresh()
  expect(model.current).toEqual(RUN_MODEL)
  return model
}

describe('model store: loading', () => {
  it('sends the file’s text and name, and shows the loaded model', async () => {
    studio.importModel.mockResolvedValue(LOADED)
    const model = await withCurrentModel()
    const ok = await model.importModelFile(
      new File(['{"format":"backprop-studio-model"}'], 'digits.json')
    )
    expect(ok).toBe(true)
    expect(studio.importModel).toHaveBeenCalledWith(
      '{"format":"backprop-studio-model"}',
      'digits.json'
    )
    expect(model.current).toEqual(LOADED)
    expect(model.notice).toBe('Loaded digits.json')
    expect(model.error).toBeNull()
    expect(model.task).toBe('idle')
  })

  it('sends an ONNX file’s bytes to importOnnx, told apart by content, not by name', async () => {
    studio.importOnnx.mockResolvedValue({ ...LOADED, fileName: 'net.bin' })
    const model = await withCurrentModel()
    const onnx = Uint8Array.of(0x08, 0x08, 0x12, 0x0f, 0x42)
    expect(await model.importModelFile(new File([onnx], 'net.bin'))).toBe(true)
    expect(studio.importOnnx).toHaveBeenCalledWith(onnx, 'net.bin')
    expect(studio.importModel).not.toHaveBeenCalled()
    expect(model.notice).toBe('Loaded net.bin')
  })

  it('keeps the current model and explains a bad file in the host’s words', async () => {
    studio.importModel.mockRejectedValue(
      new Error('the model file is not valid JSON: it is probably truncated or damaged')
    )
    const model = await withCurrentModel()
    const ok = await model.importModelFile(new File(['{"format": "backprop-st'], 'broken.json'))
    expect(ok).toBe(false)
    expect(model.current).toEqual(RUN_MODEL)
    expect(model.error).toBe(
      'broken.json: the model file is not valid JSON: it is probably truncated or damaged'
    )
    expect(model.task).toBe('idle')
    model.dismissError()
    expect(model.error).toBeNull()
  })

  it('refuses a file far too large to be a model without reading it', async () => {
    const model = await withCurrentModel()
    const huge = new File(['x'], 'huge.json')
    Object.defineProperty(huge, 'size', { value: MAX_MODEL_FILE_BYTES + 1 })
    expect(await model.importModelFile(huge)).toBe(false)
    expect(studio.importModel).not.toHaveBeenCalled()
    expect(model.error).toMatch(/^huge\.json is \d+ MB: too large to be a model file$/)
    expect(model.current).toEqual(RUN_MODEL)
  })

  it('follows modelLoaded events (through the window’s one subscription, app/host-events)', () => {
    const model = useModelStore()
    receiveTrainingEvent({ type: 'modelLoaded', model: LOADED })
    expect(model.current).toEqual(LOADED)
  })

  it('asks the host again when a run starts or ends, and says when it cannot', async () => {
    const model = useModelStore()
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
    await vi.waitFor(() => expect(model.current).toEqual(RUN_MODEL))
    studio.getModel.mockRejectedValueOnce(new Error('the worker stopped'))
    receiveTrainingEvent({ type: 'finished', reason: 'completed', step: 10, elapsedSeconds: 1 })
    await vi.waitFor(() =>
      expect(model.error).toBe('Could not read the current model: the worker stopped')
    )
    expect(model.current).toEqual(RUN_MODEL)
  })

  it('keeps the same object when the host reports the same model (no needless re-predictions)', async () => {
    const model = await withCurrentModel()
    const before = model.current
    studio.getModel.mockResolvedValue({ ...RUN_MODEL })
    await model.refresh()
    expect(model.current).toBe(before)
  })
})

describe('model store: saving and exporting', () => {
  it('saves the model file the host writes as a download', async () => {
    studio.exportModel.mockResolvedValue({
      fileName: 'model-784-10-10.json',
      text: '{"format":"backprop-studio-model"}'
    })
    const model = await withCurrentModel()
    expect(await model.saveModel()).toBe(true)
    expect(downloads.map((d) => d.name)).toEqual(['model-784-10-10.json'])
    expect(await downloads[0].blob.text()).toBe('{"format":"backprop-studio-model"}')
    expect(downloads[0].blob.type).toBe('application/json')
    expect(model.notice).toBe('Saved the model as model-784-10-10.json')
  })

  it('exports the .npz bytes unchanged', async () => {
    const bytes = Uint8Array.from([0x50, 0x4b, 3, 4, 9, 9])
    studio.exportNpz.mockResolvedValue({ fileName: 'weights.npz', bytes: bytes.subarray(0, 4) })
    const model = await withCurrentModel()
    expect(await model.exportNpz()).toBe(true)
    expect(downloads[0].name).toBe('weights.npz')
    expect(Array.from(new Uint8Array(await downloads[0].blob.arrayBuffer()))).toEqual([
      0x50, 0x4b, 3, 4
    ])
  })

  it('exports the ONNX bytes unchanged', async () => {
    const bytes = Uint8Array.of(0x08, 0x08, 0x12, 0x0f)
    studio.exportOnnx.mockResolvedValue({ fileName: 'mnist-lenet.onnx', bytes })
    const model = await withCurrentModel()
    expect(await model.exportOnnx()).toBe(true)
    expect(downloads[0].name).toBe('mnist-lenet.onnx')
    expect(new Uint8Array(await downloads[0].blob.arrayBuffer())).toEqual(bytes)
    expect(model.notice).toBe('Exported the model as mnist-lenet.onnx')
  })

  it('explains a refused export and downloads nothing', async () => {
    studio.exportNpz.mockRejectedValue(new Error('no model yet: train one or load a model file'))
    const model = useModelStore()
    expect(await model.exportNpz()).toBe(false)
    expect(model.error).toBe('no model yet: train one or load a model file')
    expect(downloads).toEqual([])
  })
})
