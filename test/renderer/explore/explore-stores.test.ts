// The step-through and gradient-check stores against a stubbed StudioApi: what they ask the host,
// what they keep, stale answers dropped, failures explained.
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { isProxy } from 'vue'
import { createRng, Sequential, stepThrough } from '@core/index'
import type { GradientCheckReport, StudioApi, TestImage, TestImagePage } from '@contract'
import {
  formatRelativeError,
  formatStep,
  logPosition,
  summarizeReport,
  verdictOf,
  verdictText
} from '@/shared/gradient-check/gradient-check-view'
import {
  parameterNames,
  pixelTarget,
  useGradientCheckStore
} from '@/shared/gradient-check/gradient-check-store'
import { weightPosition } from '@/shared/gradient-check/weight-position'
import { TEST_PAGE_SIZE, useStepThroughStore } from '@/explore/step-through/step-through-store'
import { denseNet } from '../../helpers/architectures'

const studio = vi.hoisted(() => ({
  queryTestImages: vi.fn(),
  explainStep: vi.fn(),
  checkGradients: vi.fn(),
  getModel: vi.fn()
}))
vi.mock('@/shared/api', () => ({ useStudio: (): StudioApi => studio as unknown as StudioApi }))

const net = new Sequential(denseNet([10]), 'he', createRng(2))
const testImage = (index: number): TestImage => ({
  index,
  label: index % 10,
  predicted: 0,
  confidence: 0.5,
  pixels: new Uint8Array(784).fill(index)
})
const page = (offset: number, total = 10_000): TestImagePage => ({
  total,
  offset,
  items: Array.from({ length: Math.min(TEST_PAGE_SIZE, total - offset) }, (_, i) =>
    testImage(offset + i)
  )
})
const explained = (label = 0, learningRate = 0.03) =>
  stepThrough(net, new Float32Array(784).fill(0.5), label, learningRate)

/** A promise with its resolve handle, to answer requests out of order. */
function deferred<T>() {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((r) => (resolve = r))
  return { promise, resolve }
}

beforeEach(() => {
  setActivePinia(createPinia())
  vi.clearAllMocks()
  studio.queryTestImages.mockImplementation(async (query: { offset: number }) => page(query.offset))
  studio.explainStep.mockImplementation(async (request: { learningRate: number }) =>
    explained(0, request.learningRate)
  )
})

describe('step-through store', () => {
  it('loads the first page in index order and steps through its first image with the config’s learning rate', async () => {
    const store = useStepThroughStore()
    await store.ensureLoaded()
    expect(studio.queryTestImages).toHaveBeenCalledWith({
      order: 'index',
      offset: 0,
      limit: TEST_PAGE_SIZE
    })
    expect(studio.explainStep).toHaveBeenCalledWith({
      source: { kind: 'test', index: 0 },
      learningRate: 0.03
    })
    expect(store.status).toBe('ready')
    expect(store.stage?.id).toBe('x')
    expect(store.groups.map((g) => g.phase)).toEqual(['forward', 'backward', 'update'])
    expect(isProxy(store.result)).toBe(false) // Float32Arrays are never proxied
    await store.ensureLoaded() // already loaded: no second request
    expect(studio.queryTestImages).toHaveBeenCalledTimes(1)
  })

  it('pages through test images and keeps the chosen stage when another image is picked', async () => {
    const store = useStepThroughStore()
    await store.loadPage(0)
    await store.nextPage()
    expect(store.page?.offset).toBe(TEST_PAGE_SIZE)
    expect(store.pageNumber).toBe(1)
    await store.previousPage()
    expect(store.page?.offset).toBe(0)
    store.show('dW1')
    expect(store.stage?.id).toBe('dW1')
    await store.pickTestImage(testImage(7))
    expect(studio.explainStep).toHaveBeenLastCalledWith({
      source: { kind: 'test', index: 7 },
      learningRate: 0.03
    })
    expect(store.image).toMatchObject({ kind: 'test', index: 7, label: 7 })
    expect(store.stage?.id).toBe('dW1')
  })

  it('steps through the learner’s own pixels', async () => {
    const store = useStepThroughStore()
    const pixels = new Float32Array(784).fill(0.25)
    await store.pickPixels('drawing', pixels)
    const request = studio.explainStep.mock.calls[0][0]
    expect(request.source.kind).toBe('pixels')
    expect(Array.from(request.source.pixels)).toEqual(Array.from(pixels))
    expect(request.source.pixels).not.toBe(pixels) // a copy: the Classify store's array stays its own
  })

  it('moves between stages within bounds', async () => {
    const store = useStepThroughStore()
    await store.loadPage(0)
    store.previous()
    expect(store.stageIndex).toBe(0)
    store.next()
    store.next()
    expect(store.stage?.id).toBe('a1')
    store.goTo(1000)
    expect(store.stage?.id).toBe('b2′')
    store.show('nope')
    expect(store.stage?.id).toBe('b2′')
  })

  it('re-explains with a new learning rate and ignores invalid ones', async () => {
    const store = useStepThroughStore()
    await store.loadPage(0)
    store.setLearningRate(0.5)
    await vi.waitFor(() => expect(store.resultLearningRate).toBe(0.5))
    expect(studio.explainStep).toHaveBeenLastCalledWith({
      source: { kind: 'test', index: 0 },
      learningRate: 0.5
    })
    store.setLearningRate(-1)
    store.setLearningRate(Number.NaN)
    expect(store.learningRate).toBe(0.5)
  })

  it('keeps only the answer to the latest request', async () => {
    const store = useStepThroughStore()
    await store.loadPage(0)
    const slow = deferred<ReturnType<typeof explained>>()
    studio.explainStep.mockImplementationOnce(() => slow.promise)
    const first = store.pickTestImage(testImage(1))
    await store.pickTestImage(testImage(2)) // answered at once
    slow.resolve(explained(9))
    await first
    expect(store.image).toMatchObject({ index: 2 })
    expect(store.result?.label).toBe(0) // not the stale label 9
  })

  it('explains a failed request instead of throwing', async () => {
    const store = useStepThroughStore()
    studio.queryTestImages.mockRejectedValueOnce(new Error('no dataset'))
    await store.loadPage(0)
    expect(store.pageStatus).toBe('failed')
    expect(store.pageError).toBe('no dataset')
    studio.explainStep.mockRejectedValueOnce(new Error('request.source.index: out of range'))
    await store.pickTestImage(testImage(3))
    expect(store.status).toBe('failed')
    expect(store.error).toContain('out of range')
  })
})

const report = (relativeErrors: number[], batchSize = 32): GradientCheckReport => ({
  checks: relativeErrors.map((relativeError, index) => ({
    parameter: 'dense1.weight',
    index,
    analytic: 1,
    numeric: 1,
    relativeError,
    kink: false
  })),
  worstRelativeError: Math.max(0, ...relativeErrors),
  kinks: 0,
  batchSize
})

describe('gradient-check store', () => {
  it('checks a clicked first-layer pixel: index unit·784 + row·28 + col', async () => {
    studio.checkGradients.mockResolvedValue(report([3e-6]))
    const store = useGradientCheckStore()
    const target = pixelTarget(3, 14, 14, 28, 'train')
    expect(target).toMatchObject({
      parameter: 'dense1.weight',
      index: 3 * 784 + 14 * 28 + 14,
      description: 'unit 3, pixel (14, 14)'
    })
    const pending = store.checkWeight(target)
    expect(store.weight?.status).toBe('loading')
    await pending
    expect(studio.checkGradients).toHaveBeenCalledWith({
      parameter: 'dense1.weight',
      indices: [2758]
    })
    expect(store.weight).toMatchObject({
      status: 'ready',
      batchSize: 32,
      check: { relativeError: 3e-6 },
      target: { origin: 'train' }
    })
    store.dismissWeight()
    expect(store.weight).toBeNull()
  })

  it('starts on the weight with the largest gradient: the host says which, the card names where it sits', async () => {
    const strongest = report([2e-7])
    studio.checkGradients.mockResolvedValueOnce({
      ...strongest,
      checks: [{ ...strongest.checks[0], index: 3 * 784 + 15 * 28 + 12, analytic: 0.02 }]
    })
    const store = useGradientCheckStore()
    const pending = store.checkStrongest('dense1.weight', (at) => `flat ${at}`)
    expect(store.weight).toMatchObject({ status: 'loading', target: { origin: 'section' } })
    expect(await pending).toBe(2784)
    expect(studio.checkGradients).toHaveBeenCalledWith({ parameter: 'dense1.weight', strongest: 1 })
    expect(store.weight).toMatchObject({
      status: 'ready',
      target: { index: 2784, description: 'flat 2784' },
      check: { analytic: 0.02 }
    })
    studio.checkGradients.mockRejectedValueOnce(new Error('no model'))
    expect(await store.checkStrongest('dense1.weight', String)).toBeNull()
    expect(store.weight).toMatchObject({ status: 'failed', error: 'no model' })
  })

  it('drops an answer for a weight the learner has clicked away from', async () => {
    const slow = deferred<GradientCheckReport>()
    studio.checkGradients
      .mockImplementationOnce(() => slow.promise)
      .mockResolvedValueOnce(report([1e-5]))
    const store = useGradientCheckStore()
    const first = store.checkWeight(pixelTarget(0, 0, 0, 28, 'train'))
    await store.checkWeight(pixelTarget(1, 1, 1, 28, 'step-through'))
    slow.resolve(report([0.5]))
    await first
    expect(store.weight).toMatchObject({
      target: { origin: 'step-through' },
      check: { relativeError: 1e-5 }
    })
  })

  it('samples a layer and reports a failure in words', async () => {
    studio.checkGradients.mockResolvedValueOnce(report([1e-6, 2e-3, 4e-5]))
    const store = useGradientCheckStore()
    store.setSampleCount(20)
    store.setSampleCount(0) // ignored
    store.setSampleCount(5000) // above MAX_GRADIENT_CHECKS: ignored
    store.setParameter('dense2.bias')
    await store.checkLayer()
    expect(studio.checkGradients).toHaveBeenCalledWith({
      parameter: 'dense2.bias',
      sampleCount: 20
    })
    expect(store.layer).toMatchObject({
      status: 'ready',
      parameter: 'dense2.bias',
      report: { worstRelativeError: 2e-3 }
    })
    studio.checkGradients.mockRejectedValueOnce(
      new Error('request.parameter: the current model has no dense3.weight')
    )
    await store.checkLayer()
    expect(store.layer).toMatchObject({
      status: 'failed',
      error: expect.stringContaining('no dense3.weight')
    })
  })

  it('lists the current model’s parameters', async () => {
    studio.getModel.mockResolvedValueOnce({
      architecture: denseNet([128, 64])
    })
    const store = useGradientCheckStore()
    await store.loadParameters()
    expect(store.parameters).toEqual([
      'dense1.weight',
      'dense1.bias',
      'dense2.weight',
      'dense2.bias',
      'dense3.weight',
      'dense3.bias'
    ])
    expect(parameterNames(denseNet([]))).toEqual(['dense1.weight', 'dense1.bias'])
    const convNet = {
      ...denseNet([]),
      layers: [
        { kind: 'conv', filters: 4, kernel: 3, stride: 1, padding: 'same', activation: 'relu' },
        { kind: 'flatten' }
      ]
    } as const
    expect(parameterNames(convNet)).toEqual([
      'conv1.weight',
      'conv1.bias',
      'dense1.weight',
      'dense1.bias'
    ])
    studio.getModel.mockRejectedValueOnce(new Error('offline'))
    await store.loadParameters() // keeps what it had
    expect(store.parameters).toHaveLength(6)
  })
})

describe('gradient-check presentation', () => {
  const check = (index: number, relativeError: number, kink = false, analytic = 1) => ({
    parameter: 'p',
    index,
    analytic,
    numeric: analytic,
    relativeError,
    kink
  })

  it('judges a check: below 1e−2 agree; above, a kink if a ReLU switched within ±h, else disagree', () => {
    expect(verdictOf(check(0, 3e-3))).toBe('good')
    expect(verdictOf(check(0, 3e-3, true))).toBe('good')
    expect(verdictOf(check(0, 0.4, true))).toBe('kink')
    expect(verdictOf(check(0, 0.4))).toBe('bad')
    expect(verdictOf(check(0, 0, false, 0))).toBe('blank') // both 0: nothing was compared
  })

  it('summarises a layer, leaving kinks out of the worst error', () => {
    const summary = summarizeReport({
      ...report([]),
      checks: [check(4, 0, false, 0), check(5, 1e-6), check(6, 0.7, true), check(7, 5e-4)]
    })
    expect(summary).toMatchObject({
      verdict: 'good',
      worst: 5e-4,
      count: 4,
      zeros: 1,
      kinks: 1,
      failing: 0
    })
    expect(summary.worstChecks.map((c) => c.index)).toEqual([6, 7, 5, 4])
    // A blank check (both gradients 0) agrees trivially: it is counted apart, not as a success.
    expect(verdictText(summary)).toBe(
      '✓ all 2 checked weights agree (1 blank, 1 on a ReLU kink: left out)'
    )
    const bad = summarizeReport({ ...report([]), checks: [check(1, 0.3), check(2, 1e-7)] })
    expect(bad).toMatchObject({ verdict: 'bad', worst: 0.3, failing: 1 })
    expect(verdictText(bad)).toBe('✗ 1 of 2 checked weights disagree')
    expect(verdictText(summarizeReport(report([1e-5, 2e-6])))).toBe('✓ all 2 checked weights agree')
    const blank = summarizeReport({
      ...report([]),
      checks: [check(1, 0, false, 0), check(2, 0, false, 0)]
    })
    expect(blank.verdict).toBe('blank')
    expect(verdictText(blank)).toBe(
      'no weight with a gradient among the 2: all blank, nothing compared'
    )
  })

  it('says where a weight sits instead of its flat index', () => {
    expect(weightPosition([128, 784], 24017)).toBe('unit 30, pixel (17, 21)')
    expect(weightPosition([10, 128], 899)).toBe('unit 7, input 3')
    expect(weightPosition([10], 7)).toBe('unit 7')
    expect(weightPosition([6, 1, 5, 5], 2 * 25 + 7)).toBe('filter 2, channel 0, (1, 2)')
  })

  it('places relative errors on a log axis and writes them like the notes', () => {
    expect(formatRelativeError(0.00032)).toBe('3.2e−4')
    expect(formatRelativeError(0)).toBe('0')
    expect(formatStep(1e-6)).toBe('1e−6')
    expect(logPosition(1e-8)).toBe(0)
    expect(logPosition(0)).toBe(0)
    expect(logPosition(1e-4)).toBeCloseTo(0.5, 12)
    expect(logPosition(1)).toBe(1)
  })
})
