// What a pace means for one run: a number of steps per second, or none (full speed).

import { AUTO_PACE, type Pace } from '../contract'

/** Steps per second for a run of `totalSteps` at `pace` ('auto': see AUTO_PACE), or null for full speed. */
export function resolvePace(pace: Pace, totalSteps: number): number | null {
  if (pace !== 'auto') return pace
  return totalSteps <= AUTO_PACE.maxSteps ? AUTO_PACE.stepsPerSecond : null
}
