// The curves of compared runs: one colour per run, smoothed batch loss and accuracy thinned to what a
// chart can show, test accuracy as dots. Pure data for MetricChart.

import type { RunRecord } from '@contract'
import type { ChartLine, RunTone } from '@/shared/charts/chart-lines'
import { appendPoints, emptySeries, seriesPoints, type Point } from '@/shared/charts/series'
import { EMPTY_EMA, emaPush, emaValue, smoothingFor } from '@/shared/charts/smoothing'

/** At most this many runs are overlaid: more lines than colours stop being readable. */
export const MAX_COMPARED_RUNS = 5

export const RUN_TONES: readonly RunTone[] = ['run-1', 'run-2', 'run-3', 'run-4', 'run-5']

/** Points per curve; a 20 000-step run is thinned evenly, keeping its last point. */
const POINTS_PER_CURVE = 1_000

export interface CompareEntry {
  readonly record: RunRecord
  readonly tone: RunTone
}

interface Smoothed {
  readonly loss: readonly Point[]
  readonly accuracy: readonly Point[]
}

/** The run's batch loss and accuracy, smoothed as the training view smooths them, then thinned. */
export function smoothedCurves(record: RunRecord): Smoothed {
  const beta = smoothingFor(record.totalSteps || record.metrics.length)
  let lossEma = EMPTY_EMA
  let accuracyEma = EMPTY_EMA
  const loss: Point[] = []
  const accuracy: Point[] = []
  for (const m of record.metrics) {
    lossEma = emaPush(lossEma, m.loss, beta)
    accuracyEma = emaPush(accuracyEma, m.accuracy, beta)
    loss.push({ x: m.step, y: emaValue(lossEma, beta) })
    accuracy.push({ x: m.step, y: emaValue(accuracyEma, beta) * 100 })
  }
  const thin = (points: Point[]) =>
    seriesPoints(appendPoints(emptySeries(POINTS_PER_CURVE), points))
  return { loss: thin(loss), accuracy: thin(accuracy) }
}

/** One smoothed loss line per run. */
export function compareLossLines(entries: readonly CompareEntry[]): ChartLine[] {
  return entries.map(({ record, tone }) => ({
    id: `${record.id}-loss`,
    label: record.name,
    tone,
    style: 'smooth',
    points: smoothedCurves(record).loss
  }))
}

/** Per run: smoothed batch accuracy (line) and test accuracy (dots), in percent. */
export function compareAccuracyLines(entries: readonly CompareEntry[]): ChartLine[] {
  return entries.flatMap(({ record, tone }): ChartLine[] => [
    {
      id: `${record.id}-accuracy`,
      label: `${record.name} (batch)`,
      tone,
      style: 'smooth',
      points: smoothedCurves(record).accuracy
    },
    {
      id: `${record.id}-test`,
      label: `${record.name} (test)`,
      tone,
      style: 'points',
      points: record.evaluations.map((e) => ({ x: e.step, y: e.accuracy * 100 }))
    }
  ])
}

/** The step axis's end: the longest compared run. */
export function compareStepMax(entries: readonly CompareEntry[]): number | undefined {
  const steps = entries.map(({ record }) =>
    Math.max(record.steps, record.metrics.at(-1)?.step ?? 0)
  )
  const max = Math.max(0, ...steps)
  return max > 0 ? max : undefined
}

/**
 * Tones for a new selection, keeping each already-selected run's colour: a run that stays selected
 * never changes colour when another is added or removed.
 */
export function assignTones(
  ids: readonly string[],
  previous: ReadonlyMap<string, RunTone>
): Map<string, RunTone> {
  const result = new Map<string, RunTone>()
  for (const id of ids) {
    const tone = previous.get(id)
    if (tone) result.set(id, tone)
  }
  for (const id of ids) {
    if (result.has(id)) continue
    const used = new Set(result.values())
    const free = RUN_TONES.find((tone) => !used.has(tone))
    if (free) result.set(id, free)
  }
  return result
}
