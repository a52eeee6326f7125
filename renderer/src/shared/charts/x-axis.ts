// The x axis of a training chart: steps (batches), epochs or samples seen. Runs of different lengths or
// batch sizes compare better by epochs or samples than by steps. Pure data.

import type { ChartLine } from './chart-lines'
import type { Point } from './series'

export type XUnit = 'step' | 'epoch' | 'sample'

export const X_UNITS: readonly { readonly value: XUnit; readonly label: string }[] = [
  { value: 'step', label: 'Steps' },
  { value: 'epoch', label: 'Epochs' },
  { value: 'sample', label: 'Samples' }
]

/** What one step is worth on each axis: a run's batches per epoch and images per batch. */
export interface StepScale {
  readonly stepsPerEpoch: number
  readonly batchSize: number
}

/** x units per step: 1 step, 1/stepsPerEpoch epochs, batchSize samples. */
export function unitsPerStep(unit: XUnit, scale: StepScale): number {
  if (unit === 'epoch') return 1 / Math.max(1, scale.stepsPerEpoch)
  if (unit === 'sample') return scale.batchSize
  return 1
}

/** Points whose x is a step, moved to `unit`. */
export function pointsIn(
  points: readonly Point[],
  unit: XUnit,
  scale: StepScale
): readonly Point[] {
  const factor = unitsPerStep(unit, scale)
  return factor === 1 ? points : points.map((p) => ({ x: p.x * factor, y: p.y }))
}

/** Lines whose x is a step, moved to `unit`. */
export function linesIn(lines: readonly ChartLine[], unit: XUnit, scale: StepScale): ChartLine[] {
  return lines.map((line) => ({ ...line, points: pointsIn(line.points, unit, scale) }))
}
