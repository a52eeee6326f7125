// A run's chart series as plain data: per batch the raw and smoothed loss and accuracy, and
// the test set's loss and accuracy. Every update returns new series; the training store replaces its
// copy whole (a shallowRef), so Vue never proxies the points.

import type { StepMetrics } from '@contract'
import { appendPoints, emptySeries, type Point, type ThinnedSeries } from '@/shared/charts/series'
import { EMPTY_EMA, emaPush, emaValue, type EmaState } from '@/shared/charts/smoothing'

export interface MetricSeries {
  readonly loss: ThinnedSeries
  readonly smoothLoss: ThinnedSeries
  readonly accuracy: ThinnedSeries
  readonly smoothAccuracy: ThinnedSeries
  readonly testLoss: ThinnedSeries
  readonly testAccuracy: ThinnedSeries
}

/** The batch curves' smoothing: β (smoothingFor the run's length) and the two running averages. */
export interface Smoothing {
  readonly beta: number
  readonly loss: EmaState
  readonly accuracy: EmaState
}

/** One test-set result, at the step it was measured. */
export interface TestPoint {
  readonly step: number
  readonly loss: number
  readonly accuracy: number
}

export function emptyMetricSeries(): MetricSeries {
  return {
    loss: emptySeries(),
    smoothLoss: emptySeries(),
    accuracy: emptySeries(),
    smoothAccuracy: emptySeries(),
    testLoss: emptySeries(),
    testAccuracy: emptySeries()
  }
}

/** Smoothing with factor β that has seen no batch yet. */
export function freshSmoothing(beta: number): Smoothing {
  return { beta, loss: EMPTY_EMA, accuracy: EMPTY_EMA }
}

/** Adds batches' metrics: the loss and accuracy, raw and smoothed (x = the step). */
export function appendProgress(
  series: MetricSeries,
  smoothing: Smoothing,
  metrics: readonly StepMetrics[]
): { series: MetricSeries; smoothing: Smoothing } {
  const { beta } = smoothing
  let { loss: lossEma, accuracy: accuracyEma } = smoothing
  const loss: Point[] = []
  const smoothLoss: Point[] = []
  const accuracy: Point[] = []
  const smoothAccuracy: Point[] = []
  for (const m of metrics) {
    lossEma = emaPush(lossEma, m.loss, beta)
    accuracyEma = emaPush(accuracyEma, m.accuracy, beta)
    loss.push({ x: m.step, y: m.loss })
    smoothLoss.push({ x: m.step, y: emaValue(lossEma, beta) })
    accuracy.push({ x: m.step, y: m.accuracy })
    smoothAccuracy.push({ x: m.step, y: emaValue(accuracyEma, beta) })
  }
  return {
    series: {
      ...series,
      loss: appendPoints(series.loss, loss),
      smoothLoss: appendPoints(series.smoothLoss, smoothLoss),
      accuracy: appendPoints(series.accuracy, accuracy),
      smoothAccuracy: appendPoints(series.smoothAccuracy, smoothAccuracy)
    },
    smoothing: { beta, loss: lossEma, accuracy: accuracyEma }
  }
}

/** Adds test-set results (x = the step each was measured at). */
export function appendTests(series: MetricSeries, tests: readonly TestPoint[]): MetricSeries {
  return {
    ...series,
    testLoss: appendPoints(
      series.testLoss,
      tests.map((t) => ({ x: t.step, y: t.loss }))
    ),
    testAccuracy: appendPoints(
      series.testAccuracy,
      tests.map((t) => ({ x: t.step, y: t.accuracy }))
    )
  }
}
