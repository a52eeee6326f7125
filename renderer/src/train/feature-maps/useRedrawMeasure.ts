// PERF: times each new set of feature maps' whole redraw (the panel's update and every layer's
// painting) as 'studio:feature-maps-redraw', for bench/app.ts, as WeightHeatmaps times its snapshots.

import { nextTick, watch, type Ref } from 'vue'
import type { FeatureMapsResult } from '@contract'
import { measureSince } from '@/shared/perf-marks'

export function useRedrawMeasure(result: Ref<FeatureMapsResult | null>): void {
  watch(
    result,
    () => {
      const begin = performance.now()
      void nextTick(() => measureSince('studio:feature-maps-redraw', begin))
    },
    { flush: 'pre' }
  )
}
