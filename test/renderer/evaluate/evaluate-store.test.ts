// The evaluation store against a stubbed StudioApi: evaluating with progress (routed through the
// training store's one subscription), failures, a cell's images, the mistakes' filters, saliency.
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { isProxy } from 'vue'
import type {
  EvaluationSummary,
  ModelSummary,
  SaliencyResult,
  StudioApi,
  TestImagePage,
  TestImageQuery
} from '@contract'
import { PRESETS } from '@core/train/presets'
import { IMAGES_PER_PAGE, useEvaluationStore } from '@/evaluate/evaluation-store'
import { useModelStore } from '@/shared/model/model-store'
import { receiveTrainingEvent } from '@/app/host-events'

const SUMMARY: EvaluationSummary = {
  count: 14,
  accuracy: 12 / 14,
  loss: 0.4,
  confusion: [
    [8, 2],
    [0, 4]
  ],
  classCounts: [10, 4],
  perClassAccuracy: [0.8, 1]
}
const MODEL: ModelSummary = {
  source: 'run',
  architecture: PRESETS.seed.config.architecture,
  trainingConfig: PRESETS.seed.config,
  metrics: { testAccuracy: 0.86 },
  step: 100,
  fileName: null
}

const page = (query: TestImageQuery, total = 2): TestImagePage => ({
  total,
  offset: query.offset,
  items: [
    {
      index: 7,
      label: query.trueClass ?? 0,
      predicted: query.predictedClass ?? 1,
      confidence: 0.9,
      pixels: new Uint8Array(784)
    }
  ]
})

const saliencyResult = (classIndex: number): SaliencyResult => ({
  input: new Float32Array(784),
  map: new Float32Array(784).fill(classIndex === 3 ? -1 : 1),
  classIndex,
  predicted: 3,
  probabilities: Array.from({ length: 10 }, (_, k) => (k === 3 ? 0.91 : 0.01))
})

const studio = vi.hoisted(() => ({
  evaluateModel: vi.fn(),
  queryTestImages: vi.fn(),
  saliency: vi.fn(),
  getModel: vi.fn()
}))
vi.mock('@/shared/api', () => ({ useStudio: (): StudioApi => studio as unknown as StudioApi }))

beforeEach(() => {
  setActivePinia(createPinia())
  vi.clearAllMocks()
  studio.getModel.mockResolvedValue(MODEL)
  studio.queryTestImages.mockImplementation(async (query: TestImageQuery) => page(query))
  studio.saliency.mockImplementation(async (request: { classIndex?: number }) =>
    saliencyResult(request.classIndex ?? 3)
  )
})

describe('evaluation store: evaluating', () => {
  it('shows progress from evaluationProgress events, then the summary and the first page of mistakes', async () => {
    let finish!: (summary: EvaluationSummary) => void
    studio.evaluateModel.mockReturnValue(new Promise((resolve) => (finish = resolve)))
    const evaluation = useEvaluationStore()
    const pending = evaluation.evaluate()
    expect(evaluation.status).toBe('evaluating')
    receiveTrainingEvent({ type: 'evaluationProgress', done: 5000, total: 10_000 }) // the app's one subscription
    expect(evaluation.progress).toEqual({ done: 5000, total: 10_000 })
    finish(SUMMARY)
    await pending
    expect(evaluation.status).toBe('done')
    expect(evaluation.summary?.accuracy).toBeCloseTo(12 / 14)
    expect(isProxy(evaluation.summary)).toBe(false)
    expect(studio.queryTestImages).toHaveBeenCalledWith({
      onlyMistakes: true,
      order: 'confidence-desc',
      offset: 0,
      limit: IMAGES_PER_PAGE
    })
    expect(evaluation.mistakes.page?.total).toBe(2)
    expect(evaluation.isStale).toBe(false)
  })

  it('ignores progress events when it is not evaluating', () => {
    const evaluation = useEvaluationStore()
    receiveTrainingEvent({ type: 'evaluationProgress', done: 1, total: 2 })
    expect(evaluation.progress).toEqual({ done: 0, total: 0 })
  })

  it('explains a host failure in the host’s words', async () => {
    studio.evaluateModel.mockRejectedValue(
      new Error('no model yet: train one or load a model file')
    )
    const evaluation = useEvaluationStore()
    await evaluation.evaluate()
    expect(evaluation.status).toBe('failed')
    expect(evaluation.error).toBe('no model yet: train one or load a model file')
    expect(evaluation.summary).toBeNull()
  })

  it('marks the summary stale once another model is loaded', async () => {
    studio.evaluateModel.mockResolvedValue(SUMMARY)
    const evaluation = useEvaluationStore()
    await evaluation.evaluate()
    expect(evaluation.isStale).toBe(false)
    receiveTrainingEvent({
      type: 'modelLoaded',
      model: { ...MODEL, source: 'loaded', fileName: 'other.json' }
    })
    expect(useModelStore().current?.fileName).toBe('other.json')
    expect(evaluation.isStale).toBe(true)
  })
})

describe('evaluation store: images', () => {
  it("lists a cell's images most confident first, and pages through them", async () => {
    const evaluation = useEvaluationStore()
    await evaluation.selectCell({ trueClass: 4, predicted: 9 })
    expect(studio.queryTestImages).toHaveBeenLastCalledWith({
      trueClass: 4,
      predictedClass: 9,
      order: 'confidence-desc',
      offset: 0,
      limit: IMAGES_PER_PAGE
    })
    expect(evaluation.cellImages.page?.items[0]).toMatchObject({ label: 4, predicted: 9 })
    await evaluation.loadCell(IMAGES_PER_PAGE)
    expect(studio.queryTestImages).toHaveBeenLastCalledWith(
      expect.objectContaining({ offset: IMAGES_PER_PAGE })
    )
  })

  it('keeps only the answer to the latest request when clicks overtake each other', async () => {
    const answers: ((page: TestImagePage) => void)[] = []
    studio.queryTestImages.mockImplementation(() => new Promise((resolve) => answers.push(resolve)))
    const evaluation = useEvaluationStore()
    const first = evaluation.selectCell({ trueClass: 1, predicted: 7 })
    const second = evaluation.selectCell({ trueClass: 4, predicted: 9 })
    answers[1]({ total: 1, offset: 0, items: [] })
    answers[0]({ total: 99, offset: 0, items: [] })
    await Promise.all([first, second])
    expect(evaluation.cell).toEqual({ trueClass: 4, predicted: 9 })
    expect(evaluation.cellImages.page?.total).toBe(1)
  })

  it('filters the misclassified gallery by true and predicted class', async () => {
    const evaluation = useEvaluationStore()
    await evaluation.filterMistakes({ trueClass: 5, predictedClass: null })
    expect(studio.queryTestImages).toHaveBeenLastCalledWith({
      onlyMistakes: true,
      trueClass: 5,
      order: 'confidence-desc',
      offset: 0,
      limit: IMAGES_PER_PAGE
    })
    await evaluation.filterMistakes({ trueClass: 5, predictedClass: 3 })
    expect(studio.queryTestImages).toHaveBeenLastCalledWith(
      expect.objectContaining({ trueClass: 5, predictedClass: 3, onlyMistakes: true })
    )
  })

  it('says why a page could not be read', async () => {
    studio.queryTestImages.mockRejectedValue(new Error('evaluate the model first'))
    const evaluation = useEvaluationStore()
    await evaluation.loadMistakes(0)
    expect(evaluation.mistakes).toMatchObject({ loading: false, error: 'evaluate the model first' })
  })
})

describe('evaluation store: saliency', () => {
  it('explains the predicted class by default, then any class chosen', async () => {
    const evaluation = useEvaluationStore()
    await evaluation.explainTestImage({
      index: 7,
      label: 5,
      predicted: 3,
      confidence: 0.91,
      pixels: new Uint8Array(784)
    })
    expect(studio.saliency).toHaveBeenLastCalledWith({ source: { kind: 'test', index: 7 } })
    expect(evaluation.saliencyClass).toBe(3)
    expect(evaluation.saliencySubject).toMatchObject({ title: 'Test image 7', label: 5 })
    await evaluation.explainClass(5)
    expect(studio.saliency).toHaveBeenLastCalledWith({
      source: { kind: 'test', index: 7 },
      classIndex: 5
    })
    expect(evaluation.saliency?.classIndex).toBe(5)
    expect(isProxy(evaluation.saliency)).toBe(false)
  })

  it('sends dropped or drawn pixels as they are, and closes', async () => {
    const evaluation = useEvaluationStore()
    const pixels = new Float32Array(784).fill(0.5)
    await evaluation.explain({
      source: { kind: 'pixels', pixels },
      title: 'Your drawing',
      label: null
    })
    expect(studio.saliency.mock.calls[0][0].source.pixels).toBe(pixels)
    evaluation.closeSaliency()
    expect(evaluation.saliencySubject).toBeNull()
    expect(evaluation.saliencyStatus).toBe('idle')
  })

  it('shows the host message when the gradient cannot be computed', async () => {
    studio.saliency.mockRejectedValue(
      new Error('classIndex must be a whole number from 0 to 9, got 12')
    )
    const evaluation = useEvaluationStore()
    await evaluation.explain(
      { source: { kind: 'test', index: 1 }, title: 'Test image 1', label: 2 },
      12
    )
    expect(evaluation.saliencyStatus).toBe('failed')
    expect(evaluation.saliencyError).toContain('0 to 9')
  })
})
