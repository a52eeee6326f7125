// The Evaluate view's state: the test-set evaluation and its progress, the confusion cell chosen and
// its images, the misclassified gallery, and the saliency map of the image being inspected.

import { defineStore } from 'pinia'
import { computed, markRaw, ref, shallowRef } from 'vue'
import type {
  EvaluationSummary,
  ImageSource,
  ModelSummary,
  SaliencyResult,
  TestImage,
  TestImagePage,
  TestImageQuery
} from '@contract'
import { useStudio } from '@/shared/api'
import { useModelStore } from '@/shared/model/model-store'
import { useTrainingStore } from '@/train/training-store'

export type EvaluationStatus = 'idle' | 'evaluating' | 'done' | 'failed'

/** Thumbnails per page, in a cell's list and in the misclassified gallery. */
export const IMAGES_PER_PAGE = 36

export interface ConfusionSelection {
  readonly trueClass: number
  readonly predicted: number
}

export interface MistakeFilter {
  readonly trueClass: number | null
  readonly predictedClass: number | null
}

/** One list of test images: the page shown, or why it could not be read. */
export interface ImageList {
  readonly page: TestImagePage | null
  readonly loading: boolean
  readonly error: string | null
}

/** The image whose saliency is shown. */
export interface SaliencySubject {
  readonly source: ImageSource
  /** e.g. "Test image 1234" or "Your drawing". */
  readonly title: string
  /** The true label, when known (test images). */
  readonly label: number | null
}

export type SaliencyStatus = 'idle' | 'loading' | 'ready' | 'failed'

const EMPTY_LIST: ImageList = { page: null, loading: false, error: null }

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

/** Identifies a model state, so an evaluation can tell that the model changed since. */
function modelKey(model: ModelSummary | null): string {
  return JSON.stringify(model)
}

export const useEvaluationStore = defineStore('evaluation', () => {
  const status = ref<EvaluationStatus>('idle')
  const progress = shallowRef({ done: 0, total: 0 })
  const summary = shallowRef<EvaluationSummary | null>(null)
  const error = shallowRef<string | null>(null)
  const evaluatedModel = shallowRef<string | null>(null)

  const cell = shallowRef<ConfusionSelection | null>(null)
  const cellImages = shallowRef<ImageList>(EMPTY_LIST)
  const mistakeFilter = shallowRef<MistakeFilter>({ trueClass: null, predictedClass: null })
  const mistakes = shallowRef<ImageList>(EMPTY_LIST)

  const saliencySubject = shallowRef<SaliencySubject | null>(null)
  const saliencyClass = ref<number | null>(null)
  const saliency = shallowRef<SaliencyResult | null>(null)
  const saliencyStatus = ref<SaliencyStatus>('idle')
  const saliencyError = shallowRef<string | null>(null)

  // Each list answers only its latest request: a slow page never overwrites a newer one.
  const latest = { cell: 0, mistakes: 0, saliency: 0 }

  /** The summary describes an older model: a run went on, or another model was loaded since. */
  const isStale = computed(() => {
    if (!summary.value) return false
    return useTrainingStore().isBusy || modelKey(useModelStore().current) !== evaluatedModel.value
  })

  async function evaluate(): Promise<void> {
    if (status.value === 'evaluating') return
    status.value = 'evaluating'
    progress.value = { done: 0, total: 0 }
    error.value = null
    try {
      const result = await useStudio().evaluateModel()
      const model = useModelStore()
      await model.refresh()
      summary.value = markRaw(result)
      evaluatedModel.value = modelKey(model.current)
      status.value = 'done'
      progress.value = { done: result.count, total: result.count }
      if (cell.value) await loadCell(cellImages.value.page?.offset ?? 0)
      await loadMistakes(0)
    } catch (err) {
      status.value = 'failed'
      error.value = messageOf(err)
    }
  }

  /** The host's evaluationProgress events (app/host-events.ts hands them here). */
  function receiveProgress(done: number, total: number): void {
    if (status.value === 'evaluating') progress.value = { done, total }
  }

  async function query(list: 'cell' | 'mistakes', request: TestImageQuery): Promise<void> {
    const ticket = ++latest[list]
    const target = list === 'cell' ? cellImages : mistakes
    target.value = { ...target.value, loading: true, error: null }
    try {
      const page = markRaw(await useStudio().queryTestImages(request))
      if (ticket === latest[list]) target.value = { page, loading: false, error: null }
    } catch (err) {
      if (ticket === latest[list])
        target.value = { page: target.value.page, loading: false, error: messageOf(err) }
    }
  }

  /** Shows a confusion cell's images, most confident first. */
  async function selectCell(selection: ConfusionSelection): Promise<void> {
    cell.value = selection
    cellImages.value = EMPTY_LIST
    await loadCell(0)
  }

  function loadCell(offset: number): Promise<void> {
    if (!cell.value) return Promise.resolve()
    const { trueClass, predicted } = cell.value
    return query('cell', {
      trueClass,
      predictedClass: predicted,
      order: 'confidence-desc',
      offset,
      limit: IMAGES_PER_PAGE
    })
  }

  function clearCell(): void {
    cell.value = null
    cellImages.value = EMPTY_LIST
    latest.cell++
  }

  function loadMistakes(offset: number): Promise<void> {
    const { trueClass, predictedClass } = mistakeFilter.value
    return query('mistakes', {
      onlyMistakes: true,
      ...(trueClass === null ? {} : { trueClass }),
      ...(predictedClass === null ? {} : { predictedClass }),
      order: 'confidence-desc',
      offset,
      limit: IMAGES_PER_PAGE
    })
  }

  async function filterMistakes(filter: MistakeFilter): Promise<void> {
    mistakeFilter.value = filter
    await loadMistakes(0)
  }

  /** Opens the saliency panel for an image; the class explained defaults to the prediction. */
  async function explain(
    subject: SaliencySubject,
    classIndex: number | null = null
  ): Promise<void> {
    saliencySubject.value = markRaw(subject)
    saliencyClass.value = classIndex
    saliency.value = null
    await loadSaliency()
  }

  function explainTestImage(image: TestImage): Promise<void> {
    return explain({
      source: { kind: 'test', index: image.index },
      title: `Test image ${image.index}`,
      label: image.label
    })
  }

  /** Opens the saliency of the learner's own image (drawn, dropped or pasted in Classify). */
  function explainOwnImage(image: {
    readonly name: string
    readonly input: Float32Array
  }): Promise<void> {
    return explain({
      source: { kind: 'pixels', pixels: image.input },
      title: image.name,
      label: null
    })
  }

  async function explainClass(classIndex: number): Promise<void> {
    saliencyClass.value = classIndex
    await loadSaliency()
  }

  async function loadSaliency(): Promise<void> {
    const subject = saliencySubject.value
    if (!subject) return
    const ticket = ++latest.saliency
    saliencyStatus.value = 'loading'
    saliencyError.value = null
    try {
      const classIndex = saliencyClass.value
      const result = await useStudio().saliency({
        source: subject.source,
        ...(classIndex === null ? {} : { classIndex })
      })
      if (ticket !== latest.saliency) return
      saliency.value = markRaw(result)
      saliencyClass.value = result.classIndex
      saliencyStatus.value = 'ready'
    } catch (err) {
      if (ticket !== latest.saliency) return
      saliencyStatus.value = 'failed'
      saliencyError.value = messageOf(err)
    }
  }

  function dismissError(): void {
    error.value = null
  }

  function closeSaliency(): void {
    latest.saliency++
    saliencySubject.value = null
    saliency.value = null
    saliencyClass.value = null
    saliencyStatus.value = 'idle'
    saliencyError.value = null
  }

  return {
    status,
    progress,
    summary,
    error,
    isStale,
    cell,
    cellImages,
    mistakeFilter,
    mistakes,
    saliencySubject,
    saliencyClass,
    saliency,
    saliencyStatus,
    saliencyError,
    evaluate,
    receiveProgress,
    selectCell,
    loadCell,
    clearCell,
    loadMistakes,
    filterMistakes,
    explain,
    explainOwnImage,
    explainTestImage,
    explainClass,
    closeSaliency,
    dismissError
  }
})
