// The Evaluate view wired to its stores, against a stubbed StudioApi: evaluate, pick a confusion cell,
// see its images, open one's saliency; a bad model file is explained and the model stays.
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { EvaluationSummary, ModelSummary, StudioApi, TestImageQuery } from '@contract'
import { PRESETS } from '@core/train/presets'
import EvaluateView from '@/evaluate/EvaluateView.vue'
import { DRAWING_ID } from '@/classify/classify-item'
import { useClassifyStore } from '@/classify/classify-store'
import { useModelStore } from '@/shared/model/model-store'

const MODEL: ModelSummary = {
  source: 'run',
  architecture: PRESETS.seed.config.architecture,
  trainingConfig: PRESETS.seed.config,
  metrics: { testAccuracy: 0.9 },
  step: 100,
  fileName: null
}
const confusion: number[][] = Array.from({ length: 10 }, (_, t) =>
  Array.from({ length: 10 }, (_, p) => (t === p ? 90 : t === 4 && p === 9 ? 12 : 0))
)
const SUMMARY: EvaluationSummary = {
  count: 912,
  accuracy: 900 / 912,
  loss: 0.35,
  confusion,
  classCounts: confusion.map((row) => row.reduce((a, b) => a + b, 0)),
  perClassAccuracy: confusion.map((row, t) => row[t] / row.reduce((a, b) => a + b, 0))
}

const studio = vi.hoisted(() => ({
  getModel: vi.fn(),
  evaluateModel: vi.fn(),
  queryTestImages: vi.fn(),
  saliency: vi.fn(),
  importModel: vi.fn(),
  predict: vi.fn()
}))
vi.mock('@/shared/api', () => ({ useStudio: (): StudioApi => studio as unknown as StudioApi }))

let pinia: ReturnType<typeof createPinia>
beforeEach(() => {
  pinia = createPinia()
  setActivePinia(pinia)
  vi.clearAllMocks()
  studio.getModel.mockResolvedValue(MODEL)
  studio.evaluateModel.mockResolvedValue(SUMMARY)
  studio.queryTestImages.mockImplementation(async (q: TestImageQuery) => ({
    total: 12,
    offset: q.offset,
    items: [
      {
        index: 321,
        label: q.trueClass ?? 4,
        predicted: q.predictedClass ?? 9,
        confidence: 0.8,
        pixels: new Uint8Array(784)
      }
    ]
  }))
  studio.saliency.mockResolvedValue({
    input: new Float32Array(784),
    map: new Float32Array(784),
    classIndex: 9,
    predicted: 9,
    probabilities: Array.from({ length: 10 }, (_, k) => (k === 9 ? 0.8 : 0.02))
  })
})

const mountView = async () => {
  await useModelStore().refresh()
  return mount(EvaluateView, { global: { plugins: [pinia] }, attachTo: document.body })
}

describe('EvaluateView', () => {
  it('evaluates, shows a cell’s images ranked by confidence, and opens an image’s saliency', async () => {
    const view = await mountView()
    await view
      .findAll('button')
      .find((b) => b.text() === 'Evaluate on the test set')!
      .trigger('click')
    await flushPromises()
    expect(view.get('[data-testid="test-accuracy"]').text()).toBe('98.68%')
    expect(view.text()).toContain('4 read as 9 (12×)')

    await view.get('[aria-label="true 4, predicted 9: 12 images"]').trigger('click')
    await flushPromises()
    expect(view.text()).toContain('True 4 read as 9')
    expect(view.text()).toContain('12 images, most confident first')
    expect(studio.queryTestImages).toHaveBeenCalledWith(
      expect.objectContaining({ trueClass: 4, predictedClass: 9, order: 'confidence-desc' })
    )

    const thumb = view
      .findAll('button')
      .find((b) => b.attributes('aria-label')?.startsWith('Test image 321: true 4, predicted 9'))!
    await thumb.trigger('click')
    await flushPromises()
    expect(studio.saliency).toHaveBeenCalledWith({ source: { kind: 'test', index: 321 } })
    expect(view.text()).toContain('Saliency · Test image 321')
    expect(view.find('[aria-label="Saliency of class 9 for Test image 321"]').exists()).toBe(true)
    view.unmount()
  })

  it('explains the image shown in the Classify view', async () => {
    const view = await mountView()
    expect(view.text()).not.toContain('from Classify')
    const classify = useClassifyStore()
    const input = new Float32Array(784).fill(0.25)
    const drawing = {
      id: DRAWING_ID,
      name: 'Your drawing',
      source: 'drawing' as const,
      stage: 'ready' as const,
      header: null,
      preview: null,
      input,
      steps: null,
      problem: null,
      error: null,
      prediction: null,
      predictionError: null,
      predicting: false
    }
    classify.drawing = drawing
    classify.select(DRAWING_ID)
    await flushPromises()
    await view
      .findAll('button')
      .find((b) => b.text() === 'Explain “Your drawing” from Classify')!
      .trigger('click')
    await flushPromises()
    expect(studio.saliency).toHaveBeenCalledWith({ source: { kind: 'pixels', pixels: input } })
    expect(view.text()).toContain('Saliency · Your drawing')
    view.unmount()
  })

  it('explains a corrupted model file and keeps showing the current model', async () => {
    studio.importModel.mockRejectedValue(
      new Error('the model file is not valid JSON: it is probably truncated or damaged')
    )
    const view = await mountView()
    const input = view.get('input[type="file"]').element as HTMLInputElement
    Object.defineProperty(input, 'files', {
      value: [new File(['{"form'], 'broken.json')],
      configurable: true
    })
    input.dispatchEvent(new Event('change'))
    await flushPromises()
    expect(view.get('[role="alert"] p').text()).toBe(
      'broken.json: the model file is not valid JSON: it is probably truncated or damaged'
    )
    expect(view.text()).toContain('From the last run, step 100')
    view.unmount()
  })
})
