// The curves of compared runs: one colour per run, smoothed batch loss and accuracy thinned to what a
// chart can show, test accuracy as dots. Pure data for MetricChart.

import type { RunRecord } from '@contract'
import type { ChartLine, RunTone } from '@/shared/charts/chart-lines'
import { appendPoints, emptySeries, seriesPoints, type Point } from '@/shared/charts/series'
import { EMPTY_EMA, emaPush, emaValue, smoothingFor } from '@/shared/charts/smoothing'
import { pointsIn, unitsPerStep, type StepScale, type XUnit } from '@/shared/charts/x-axis'

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

/** MNIST's training images: an epoch of batchCount 'all' when the record has not shown its length. */
const MNIST_TRAIN_IMAGES = 60_000

/** The run's batches per epoch; for 'all', read from its metrics (step = batches before + batchInEpoch). */
function stepsPerEpochOf(record: RunRecord): number {
  const { batchCount, batchSize } = record.config
  if (batchCount !== 'all') return batchCount
  const later = record.metrics.find((m) => m.epoch > 1)
  return later
    ? (later.step - later.batchInEpoch) / (later.epoch - 1)
    : Math.ceil(MNIST_TRAIN_IMAGES / batchSize)
}

/** What one of the run's steps is worth in epochs and samples. */
function scaleOf(record: RunRecord): StepScale {
  return { stepsPerEpoch: stepsPerEpochOf(record), batchSize: record.config.batchSize }
}

/** One smoothed loss line per run, x in `unit`. */
export function compareLossLines(
  entries: readonly CompareEntry[],
  unit: XUnit = 'step'
): ChartLine[] {
  return entries.map(({ record, tone }) => ({
    id: `${record.id}-loss`,
    label: record.name,
    tone,
    style: 'smooth',
    points: pointsIn(smoothedCurves(record).loss, unit, scaleOf(record))
  }))
}

/** Per run: smoothed batch accuracy (line) and test accuracy (dots), in percent, x in `unit`. */
export function compareAccuracyLines(
  entries: readonly CompareEntry[],
  unit: XUnit = 'step'
): ChartLine[] {
  return entries.flatMap(({ record, tone }): ChartLine[] => [
    {
      id: `${record.id}-accuracy`,
      label: `${record.name} (batch)`,
      tone,
      style: 'smooth',
      points: pointsIn(smoothedCurves(record).accuracy, unit, scaleOf(record))
    },
    {
      id: `${record.id}-test`,
      label: `${record.name} (test)`,
      tone,
      style: 'points',
      points: pointsIn(
        record.evaluations.map((e) => ({ x: e.step, y: e.accuracy * 100 })),
        unit,
        scaleOf(record)
      )
    }
  ])
}

/**
 * The x axis's end: the longest compared run, in `unit`. NOTE: runs of different lengths or batch
 * sizes line up by epochs or samples; by steps a short run is squeezed against the left edge.
 */
export function compareXMax(
  entries: readonly CompareEntry[],
  unit: XUnit = 'step'
): number | undefined {
  const ends = entries.map(({ record }) => {
    const steps = Math.max(record.steps, record.metrics.at(-1)?.step ?? 0)
    return steps * unitsPerStep(unit, scaleOf(record))
  })
  const max = Math.max(0, ...ends)
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
