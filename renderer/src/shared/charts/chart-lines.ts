// What each chart draws, as plain data for the chart wrapper: which series, in which style and tone.

import { seriesPoints, type Point, type ThinnedSeries } from './series'

/** Colour roles; the chart wrapper resolves each to a CSS custom property of the current theme. */
export type ChartTone = 'loss' | 'accuracy' | 'test' | RunTone

/** One colour per compared run (Okabe–Ito, readable with the common colour-vision deficiencies). */
export type RunTone = 'run-1' | 'run-2' | 'run-3' | 'run-4' | 'run-5'

export type LineStyle = 'raw' | 'smooth' | 'points'

export interface ChartLine {
  readonly id: string
  readonly label: string
  readonly tone: ChartTone
  readonly style: LineStyle
  readonly points: readonly Point[]
}

export interface LossSeries {
  readonly loss: ThinnedSeries
  readonly smoothLoss: ThinnedSeries
  readonly testLoss: ThinnedSeries
}

export interface AccuracySeries {
  readonly smoothAccuracy: ThinnedSeries
  readonly testAccuracy: ThinnedSeries
}

/** Raw per-batch loss (thin), its moving average (bold) and test-set loss (dots). */
export function lossLines(series: LossSeries): ChartLine[] {
  return [
    {
      id: 'loss',
      label: 'Batch loss',
      tone: 'loss',
      style: 'raw',
      points: seriesPoints(series.loss)
    },
    {
      id: 'smoothLoss',
      label: 'Smoothed',
      tone: 'loss',
      style: 'smooth',
      points: seriesPoints(series.smoothLoss)
    },
    {
      id: 'testLoss',
      label: 'Test loss',
      tone: 'test',
      style: 'points',
      points: seriesPoints(series.testLoss)
    }
  ]
}

/** Batch accuracy (smoothed) and test accuracy, both as percentages. */
export function accuracyLines(series: AccuracySeries): ChartLine[] {
  return [
    {
      id: 'smoothAccuracy',
      label: 'Batch accuracy (smoothed)',
      tone: 'accuracy',
      style: 'smooth',
      points: toPercent(seriesPoints(series.smoothAccuracy))
    },
    {
      id: 'testAccuracy',
      label: 'Test accuracy',
      tone: 'test',
      style: 'points',
      points: toPercent(seriesPoints(series.testAccuracy))
    }
  ]
}

function toPercent(points: readonly Point[]): Point[] {
  return points.map((p) => ({ x: p.x, y: p.y * 100 }))
}

/** Runs up to this many steps always show their whole length. */
const SHORT_RUN_STEPS = 500

/**
 * The right end of the step axis: the whole run when it is short or well under way, otherwise a
 * "nice" bound (1, 2 or 5 × 10ᵏ) a little past the latest step, so early progress of a long run is
 * not squashed against the left edge. The bound only changes when the curve reaches it.
 */
export function stepAxisMax(step: number, totalSteps: number): number | undefined {
  if (totalSteps <= 0) return undefined
  if (totalSteps <= SHORT_RUN_STEPS) return totalSteps
  const wanted = Math.max(50, step * 1.2)
  if (wanted >= totalSteps * 0.8) return totalSteps
  const magnitude = 10 ** Math.floor(Math.log10(wanted))
  const nice = [1, 2, 5, 10].map((m) => m * magnitude).find((bound) => bound >= wanted) ?? wanted
  return Math.min(totalSteps, nice)
}
