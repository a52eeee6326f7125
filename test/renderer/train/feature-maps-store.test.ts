// The feature-maps store against a stub StudioApi: which image it asks about (the Classify image when
// there is one, else the picked test image), and at most one request in flight (a call meanwhile asks
// once more, with the probe as it is then); at a time-travel step, the maps of the network there.
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { FeatureMapsResult, ImageSource, RunPoint } from '@contract'
import { newItem } from '@/classify/classify-item'
import { useClassifyStore } from '@/classify/classify-store'
import { useFeatureMapsStore } from '@/train/feature-maps/feature-maps-store'

const featureMaps = vi.fn<(source: ImageSource) => Promise<FeatureMapsResult>>()
const featureMapsAtStep =
  vi.fn<(point: RunPoint, source: ImageSource) => Promise<FeatureMapsResult>>()
vi.mock('@/shared/api', () => ({ useStudio: () => ({ featureMaps, featureMapsAtStep }) }))

const answer = (step: number): FeatureMapsResult => ({
  step,
  input: new Float32Array(784),
  label: 7,
  prediction: { probabilities: [1, 0, 0, 0, 0, 0, 0, 0, 0, 0], predicted: 0 },
  layers: []
})

/** A promise and the function that resolves it, to answer a request when the test says so. */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((r) => (resolve = r))
  return { promise, resolve }
}

beforeEach(() => {
  setActivePinia(createPinia())
  featureMaps.mockReset()
  featureMapsAtStep.mockReset()
})

describe('feature-maps store', () => {
  it('asks about test image 0 at first, then the picked one (clamped to the test set)', async () => {
    featureMaps.mockResolvedValue(answer(3))
    const store = useFeatureMapsStore()
    await store.refresh()
    expect(featureMaps).toHaveBeenLastCalledWith({ kind: 'test', index: 0 })
    expect(store.result?.step).toBe(3)
    expect(store.shownProbe?.name).toBe('Test image 0')
    store.pickTestImage(12.4)
    await store.refresh()
    expect(featureMaps).toHaveBeenLastCalledWith({ kind: 'test', index: 12 })
    store.pickTestImage(123_456)
    expect(store.testIndex).toBe(9999)
    store.pickTestImage(Number.NaN) // an emptied number field: nothing changes
    expect(store.testIndex).toBe(9999)
  })

  it('asks about the image Classify shows once it is ready, until a test image is picked', async () => {
    featureMaps.mockResolvedValue(answer(1))
    const store = useFeatureMapsStore()
    const classify = useClassifyStore()
    const id = classify.newCardId()
    const input = new Float32Array(784).fill(0.5)
    classify.addCards([{ ...newItem(id, 'seven.png', 'file'), stage: 'reading' }])
    classify.select(id)
    expect(store.probe.source).toEqual({ kind: 'test', index: 0 }) // not read yet
    classify.patch(id, { stage: 'ready', input })
    expect(store.probe).toEqual({ source: { kind: 'pixels', pixels: input }, name: 'seven.png' })
    store.pickTestImage(4)
    expect(store.probe.name).toBe('Test image 4')
    store.useClassifyImage()
    await store.refresh()
    expect(featureMaps).toHaveBeenLastCalledWith({ kind: 'pixels', pixels: input })
  })

  it('keeps one request in flight: calls meanwhile make one more, for the probe as it is then', async () => {
    const first = deferred<FeatureMapsResult>()
    featureMaps.mockReturnValueOnce(first.promise).mockResolvedValue(answer(2))
    const store = useFeatureMapsStore()
    const done = store.refresh()
    void store.refresh()
    store.pickTestImage(5)
    void store.refresh()
    expect(featureMaps).toHaveBeenCalledTimes(1)
    first.resolve(answer(1))
    await done
    expect(featureMaps.mock.calls).toEqual([
      [{ kind: 'test', index: 0 }],
      [{ kind: 'test', index: 5 }]
    ])
    expect(store.result?.step).toBe(2)
    expect(store.shownProbe?.name).toBe('Test image 5')
  })

  it('at a time-travel step asks for the maps of the network there, and back to live after', async () => {
    featureMaps.mockResolvedValue(answer(100))
    featureMapsAtStep.mockImplementation(async (point) => answer(point.step))
    const store = useFeatureMapsStore()
    store.pickTestImage(3)
    store.showAt({ runId: 'run-1', step: 5 })
    await vi.waitFor(() => expect(store.result?.step).toBe(5))
    expect(featureMapsAtStep).toHaveBeenLastCalledWith(
      { runId: 'run-1', step: 5 },
      { kind: 'test', index: 3 }
    )
    expect(featureMaps).not.toHaveBeenCalled()
    expect(store.shownAt).toEqual({ runId: 'run-1', step: 5 })
    store.showAt(null)
    await vi.waitFor(() => expect(store.result?.step).toBe(100))
    expect(featureMaps).toHaveBeenLastCalledWith({ kind: 'test', index: 3 })
    expect(store.shownAt).toBeNull()
  })

  it('says why when the host cannot answer, and clears it on the next answer', async () => {
    featureMaps.mockRejectedValueOnce(new Error('the model gives no finite probabilities'))
    const store = useFeatureMapsStore()
    await store.refresh()
    expect(store.error).toBe(
      'Could not compute the feature maps: the model gives no finite probabilities'
    )
    featureMaps.mockResolvedValue(answer(4))
    await store.refresh()
    expect(store.error).toBeNull()
  })
})
