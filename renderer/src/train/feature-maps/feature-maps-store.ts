// A conv net's feature maps for one probe digit, asked of the host again as the weights change: the
// probe is the image shown in Classify (the last one drawn or dropped) when there is one, else a test
// image the learner picks. The network is the live one, or the one at the time-travel cursor's step.

import { defineStore } from 'pinia'
import { computed, markRaw, ref, shallowRef } from 'vue'
import type { FeatureMapsResult, ImageSource, RunPoint } from '@contract'
import { useClassifyStore } from '@/classify/classify-store'
import { useStudio } from '@/shared/api'

/** MNIST's test set: 10 000 images, numbered from 0. */
export const TEST_IMAGE_COUNT = 10_000

/** Which image the maps are of, and how the panel names it. */
export interface Probe {
  readonly source: ImageSource
  /** "Test image 3", or the Classify image's name ("Drawing", "seven.png"). */
  readonly name: string
}

export const useFeatureMapsStore = defineStore('feature-maps', () => {
  /** The test image the learner picked (shown unless the Classify image is chosen and exists). */
  const testIndex = ref(0)
  /** Show the image from Classify when there is one (the default), or the picked test image. */
  const preferClassify = ref(true)
  const result = shallowRef<FeatureMapsResult | null>(null)
  const error = ref<string | null>(null)

  /** The image Classify shows, once it has been turned into the network's input. */
  const classifyImage = computed(() => {
    const item = useClassifyStore().selected
    return item?.stage === 'ready' && item.input ? item : null
  })
  const probe = computed<Probe>(() => {
    const image = classifyImage.value
    if (preferClassify.value && image?.input)
      return { source: { kind: 'pixels', pixels: image.input }, name: image.name }
    return {
      source: { kind: 'test', index: testIndex.value },
      name: `Test image ${testIndex.value}`
    }
  })

  /** The step of a run whose network the maps are of (time travel), or null: the live network. */
  const at = shallowRef<RunPoint | null>(null)
  /** The probe the last answer was for (so the panel names what it shows, not what it asked for). */
  const shownProbe = shallowRef<Probe | null>(null)
  /** The step the last answer was for, or null: the live network's. */
  const shownAt = shallowRef<RunPoint | null>(null)
  let asking = false
  let askAgain = false

  /** Shows the network at `point` (a time-travel step), or the live one (null), from the next answer. */
  function showAt(point: RunPoint | null): void {
    at.value = point
    void refresh()
  }

  /**
   * Asks for the maps of the current probe with the current weights (or those at `at`).
   * PERF: at most one request in flight: a call meanwhile (the next weight snapshot) asks once more
   * when it returns, so a slow answer never queues up a backlog of stale ones.
   */
  async function refresh(): Promise<void> {
    if (asking) {
      askAgain = true
      return
    }
    asking = true
    try {
      do {
        askAgain = false
        const asked = probe.value
        const point = at.value
        const maps = await (point
          ? useStudio().featureMapsAtStep(point, asked.source)
          : useStudio().featureMaps(asked.source))
        result.value = markRaw(maps)
        shownProbe.value = asked
        shownAt.value = point
        error.value = null
      } while (askAgain)
    } catch (err) {
      error.value = `Could not compute the feature maps: ${err instanceof Error ? err.message : String(err)}`
    } finally {
      asking = false
    }
  }

  /** Shows test image `index` (clamped to the test set) instead of the Classify image. */
  function pickTestImage(index: number): void {
    if (!Number.isFinite(index)) return
    testIndex.value = Math.min(TEST_IMAGE_COUNT - 1, Math.max(0, Math.round(index)))
    preferClassify.value = false
  }

  function useClassifyImage(): void {
    preferClassify.value = true
  }

  return {
    testIndex,
    preferClassify,
    result,
    error,
    classifyImage,
    probe,
    shownProbe,
    shownAt,
    showAt,
    refresh,
    pickTestImage,
    useClassifyImage
  }
})
