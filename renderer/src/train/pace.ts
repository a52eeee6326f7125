// The paces a learner can pick for a run: automatic, full speed, or slowed down to watch the network learn.

import { AUTO_PACE, type Pace } from '@contract'

export interface PaceOption {
  readonly value: Pace
  readonly label: string
}

/** Auto first (the default); slower paces make each step's change to the weights visible. */
export const PACE_OPTIONS: readonly PaceOption[] = [
  { value: 'auto', label: 'Auto' },
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

/** The Pace control's help: what pacing does, and the 'auto' rule in numbers. */
export const PACE_HELP =
  `Auto: a short run (up to ${AUTO_PACE.maxSteps} steps, like the seed preset's 100) goes at ` +
  `${AUTO_PACE.stepsPerSecond} steps/s, so you can watch the loss fall and the weights form; a longer ` +
  'run goes at full speed. Any pace changes only how long a run takes, never what it computes, and ' +
  'applies at once, also during a run.'
