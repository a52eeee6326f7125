// The paces a learner can pick for a run: full speed, or slowed down to watch the network learn.

import type { Pace } from '@contract'

export interface PaceOption {
  readonly value: Pace
  readonly label: string
}

/** Full speed first (the default); slower paces make each step's change to the weights visible. */
export const PACE_OPTIONS: readonly PaceOption[] = [
  { value: null, label: 'Full speed' },
  { value: 500, label: '500 steps/s' },
  { value: 100, label: '100 steps/s' },
  { value: 20, label: '20 steps/s' },
  { value: 5, label: '5 steps/s' },
  { value: 1, label: '1 step/s' }
]

/** The option's key for a <select> (null has no string form of its own). */
export const paceKey = (pace: Pace): string => (pace === null ? 'full' : String(pace))

/** The pace a <select> key stands for. */
export const paceFromKey = (key: string): Pace =>
  PACE_OPTIONS.find((o) => paceKey(o.value) === key)?.value ?? null
