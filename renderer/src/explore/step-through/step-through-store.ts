// The network step-through: which image (a test image, or the learner's own), one forward/backward/
// update on it from the host (core's stepThrough on the current weights), and which stage is shown.

import { defineStore } from 'pinia'
import { computed, markRaw, ref, shallowRef } from 'vue'
import type { StepThrough, TestImage, TestImagePage } from '@contract'
import { useStudio } from '@/shared/api'
import type { LoadStatus } from '@/shared/load-status'
import { phaseGroups } from './step-through-view'
import type { PickedPixel } from './conv-step-view'
import { useConfigStore } from '@/train/config-store'

/** Test images per page of the picker strip. */
export const TEST_PAGE_SIZE = 16
/** Used until the learner sets one, when the edited config has no valid learning rate. */
const FALLBACK_LEARNING_RATE = 0.03

/** What is being stepped through: a test image (with its true label) or the learner's own pixels. */
export type StepImage =
  | {
      readonly kind: 'test'
      readonly index: number
      readonly label: number
      readonly pixels: Uint8Array
    }
  | {
      readonly kind: 'pixels'
      readonly name: string
      readonly input: Float32Array
      /** The true label when it is known (a training image), else the prediction stands in. */
      readonly label?: number
    }

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

export const useStepThroughStore = defineStore('step-through', () => {
  const page = shallowRef<TestImagePage | null>(null)
  const pageStatus = ref<LoadStatus>('idle')
  const pageError = ref<string | null>(null)
  const image = shallowRef<StepImage | null>(null)
  const learningRate = ref<number | null>(null)
  /** markRaw: ten 784-long Float32Arrays per weight stage must never be proxied. */
  const result = shallowRef<StepThrough | null>(null)
  /** The learning rate `result` was computed with (for the step −lr·dW shown beside the weights). */
  const resultLearningRate = ref(FALLBACK_LEARNING_RATE)
  const status = ref<LoadStatus>('idle')
  const error = ref<string | null>(null)
  const stageIndex = ref(0)
  /** A conv net's picked value (map, row, column): kept from stage to stage (z1 → a1 → m1 follow it). */
  const pixel = shallowRef<PickedPixel | null>(null)
  let pageRequest = 0
  let stepRequest = 0

  const stages = computed(() => result.value?.stages ?? [])
  const stage = computed(() => stages.value[stageIndex.value] ?? null)
  const groups = computed(() => phaseGroups(stages.value))
  const effectiveLearningRate = computed(
    () => learningRate.value ?? useConfigStore().validConfig?.learningRate ?? FALLBACK_LEARNING_RATE
  )
  const pageCount = computed(() =>
    Math.max(1, Math.ceil((page.value?.total ?? 0) / TEST_PAGE_SIZE))
  )
  const pageNumber = computed(() => Math.floor((page.value?.offset ?? 0) / TEST_PAGE_SIZE))

  /** Loads one page of test images in index order; the first call also steps through the first image. */
  async function loadPage(offset = 0): Promise<void> {
    const id = ++pageRequest
    pageStatus.value = 'loading'
    pageError.value = null
    try {
      const loaded = await useStudio().queryTestImages({
        order: 'index',
        offset: Math.max(0, offset),
        limit: TEST_PAGE_SIZE
      })
      if (id !== pageRequest) return
      page.value = markRaw(loaded)
      pageStatus.value = 'ready'
      if (!image.value && loaded.items.length > 0) await pickTestImage(loaded.items[0])
    } catch (err) {
      if (id !== pageRequest) return
      pageStatus.value = 'failed'
      pageError.value = messageOf(err)
    }
  }

  const nextPage = () =>
    loadPage(
      ((page.value?.offset ?? 0) + TEST_PAGE_SIZE) %
        Math.max(TEST_PAGE_SIZE, page.value?.total ?? 0)
    )
  const previousPage = () => loadPage(Math.max(0, (page.value?.offset ?? 0) - TEST_PAGE_SIZE))

  /** Loads the first page unless one is already shown (the view calls this whenever it appears). */
  async function ensureLoaded(): Promise<void> {
    if (pageStatus.value === 'idle' || pageStatus.value === 'failed')
      await loadPage(page.value?.offset ?? 0)
  }

  async function pickTestImage(item: TestImage): Promise<void> {
    image.value = markRaw<StepImage>({
      kind: 'test',
      index: item.index,
      label: item.label,
      pixels: item.pixels
    })
    await explain()
  }

  /**
   * Steps through an image given as 784 values in [0, 1]: the learner's own (its label is what the
   * network predicts) or a training batch's (an auto-pause's, with its true label).
   */
  async function pickPixels(name: string, input: Float32Array, label?: number): Promise<void> {
    image.value = markRaw<StepImage>({
      kind: 'pixels',
      name,
      input: Float32Array.from(input),
      ...(label === undefined ? {} : { label })
    })
    await explain()
  }

  /** Asks the host for the step-through of the current image with the current weights; keeps the stage shown. */
  async function explain(): Promise<void> {
    const current = image.value
    if (!current) return
    const id = ++stepRequest
    const rate = effectiveLearningRate.value
    status.value = 'loading'
    error.value = null
    try {
      const source =
        current.kind === 'test'
          ? { kind: 'test' as const, index: current.index }
          : { kind: 'pixels' as const, pixels: current.input }
      const label = current.kind === 'pixels' ? current.label : undefined
      const explained = await useStudio().explainStep({
        source,
        learningRate: rate,
        ...(label === undefined ? {} : { label })
      })
      if (id !== stepRequest) return
      result.value = markRaw(explained)
      resultLearningRate.value = rate
      stageIndex.value = Math.min(stageIndex.value, explained.stages.length - 1)
      status.value = 'ready'
    } catch (err) {
      if (id !== stepRequest) return
      status.value = 'failed'
      error.value = messageOf(err)
    }
  }

  function setLearningRate(value: number): void {
    if (!Number.isFinite(value) || value <= 0 || value === learningRate.value) return
    learningRate.value = value
    void explain()
  }

  function goTo(index: number): void {
    stageIndex.value = Math.max(0, Math.min(stages.value.length - 1, index))
  }
  const next = () => goTo(stageIndex.value + 1)
  const previous = () => goTo(stageIndex.value - 1)
  /** Jumps to a stage by id ('dW1'); ignored when the result has no such stage. */
  function show(id: string): void {
    const index = stages.value.findIndex((s) => s.id === id)
    if (index >= 0) stageIndex.value = index
  }

  function pickPixel(picked: PickedPixel): void {
    pixel.value = picked
  }

  return {
    page,
    pageStatus,
    pageError,
    pageCount,
    pageNumber,
    image,
    learningRate: effectiveLearningRate,
    result,
    resultLearningRate,
    status,
    error,
    stageIndex,
    pixel,
    stages,
    stage,
    groups,
    loadPage,
    nextPage,
    previousPage,
    ensureLoaded,
    pickTestImage,
    pickPixels,
    explain,
    setLearningRate,
    goTo,
    next,
    previous,
    show,
    pickPixel
  }
})
