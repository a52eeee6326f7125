// What each chart draws, as plain data for the chart wrapper: which series, in which style and tone.

import { formatAccuracy, formatPercent, formatValue } from '@/shared/format'
import { niceAbove } from './nice-numbers'
import { seriesPoints, type Point, type ThinnedSeries } from './series'
import { emaPoints } from './smoothing'

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
  readonly accuracy: ThinnedSeries
  readonly smoothAccuracy: ThinnedSeries
  readonly testAccuracy: ThinnedSeries
}

/** How the batch curves are drawn: the chart's smoothing slider and raw-curve switch. */
export interface CurveOptions {
  /** The EMA factor β of the smoothed curve (0: none, 0.99: ~100 batches), or null for the run's own. */
  readonly smoothing: number | null
  /** Draw the raw per-batch curve under the smoothed one. */
  readonly showRaw: boolean
}

export const DEFAULT_CURVES: CurveOptions = { smoothing: null, showRaw: true }

/** The smoothed curve: the run's own, or the raw curve re-smoothed with the slider's β. */
function smoothedPoints(
  raw: ThinnedSeries,
  own: ThinnedSeries,
  options: CurveOptions
): readonly Point[] {
  return options.smoothing === null
    ? seriesPoints(own)
    : emaPoints(seriesPoints(raw), options.smoothing)
}

/** Raw per-batch loss (thin), its moving average (bold) and test-set loss (dots). */
export function lossLines(series: LossSeries, options = DEFAULT_CURVES): ChartLine[] {
  const lines: ChartLine[] = [
    {
      id: 'smoothLoss',
      label: 'Smoothed',
      tone: 'loss',
      style: 'smooth',
      points: smoothedPoints(series.loss, series.smoothLoss, options)
    },
    {
      id: 'testLoss',
      label: 'Test loss',
      tone: 'test',
      style: 'points',
      points: seriesPoints(series.testLoss)
    }
  ]
  if (options.showRaw)
    lines.unshift({
      id: 'loss',
      label: 'Batch loss',
      tone: 'loss',
      style: 'raw',
      points: seriesPoints(series.loss)
    })
  return lines
}

/** Batch accuracy (raw and smoothed) and test accuracy, all as percentages. */
export function accuracyLines(series: AccuracySeries, options = DEFAULT_CURVES): ChartLine[] {
  const lines: ChartLine[] = [
    {
      id: 'smoothAccuracy',
      label: 'Smoothed',
      tone: 'accuracy',
      style: 'smooth',
      points: toPercent(smoothedPoints(series.accuracy, series.smoothAccuracy, options))
    },
    {
      id: 'testAccuracy',
      label: 'Test accuracy',
      tone: 'test',
      style: 'points',
      points: toPercent(seriesPoints(series.testAccuracy))
    }
  ]
  if (options.showRaw)
    lines.unshift({
      id: 'accuracy',
      label: 'Batch accuracy',
      tone: 'accuracy',
      style: 'raw',
      points: toPercent(seriesPoints(series.accuracy))
    })
  return lines
}

/**
 * A y value as the rest of the window writes it: a loss "1.460", a batch accuracy "55.9%", and a
 * test accuracy (the dots: evaluations on the test set) "61.46%", since one test image is 0.01 %.
 * NOTE: the tooltip and the screen-reader summary both read this, so the dot at the end of a run
 * says what the status line and the headline say, not "61.5%" beside "61.46%".
 */
export function formatLineValue(
  line: Pick<ChartLine, 'style'>,
  y: number,
  percent: boolean
): string {
  if (!percent) return formatValue(y)
  return line.style === 'points' ? formatAccuracy(y / 100) : formatPercent(y / 100)
}

/** The line with this id, if drawn. */
export function lineById(lines: readonly ChartLine[], id: string): ChartLine | undefined {
  return lines.find((line) => line.id === id)
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
  return Math.min(totalSteps, niceAbove(wanted))
}
