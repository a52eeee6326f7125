// The run history: every run recorded, as the Runs view lists, compares and exports them.

import type { Divergence, HealthSample, SettingChange, StepMetrics, TrainConfig } from '../../core'

/** 'interrupted': the app closed while the run was going; 'diverged': its loss exploded or became NaN. */
export type RunStatus = 'running' | 'completed' | 'stopped' | 'diverged' | 'failed' | 'interrupted'

/** Run ids are file names: letters, digits, '-' and '_' only, so no id can name a path. */
export const RUN_ID_PATTERN = /^[A-Za-z0-9_-]{1,100}$/

/** A point of a run: after `step` steps of run `runId` (a fork's start, a scrub's cursor). */
export interface RunPoint {
  readonly runId: string
  readonly step: number
}

export interface RunSummary {
  readonly id: string
  /** Editable; defaults to e.g. "784 → 10 ReLU → 10 · SGD 0.03". */
  readonly name: string
  readonly status: RunStatus
  /** ISO 8601. */
  readonly startedAt: string
  /** Training time, pauses excluded. */
  readonly durationSeconds: number
  readonly steps: number
  readonly totalSteps: number
  readonly finalTestAccuracy: number | null
  readonly finalTestLoss: number | null
  /** As the run started; `changes` says what changed while it trained. */
  readonly config: TrainConfig
  /** Live changes of learning rate and momentum, in step order ([] in records from before they were kept). */
  readonly changes: readonly SettingChange[]
  /** For status 'diverged': where and how. */
  readonly divergence: Divergence | null
  /** For a fork: the run and step it continues from (null for a run started from fresh weights). */
  readonly parent: RunPoint | null
  /**
   * Its time-travel data (checkpoints) was deleted to keep every run's within the disk budget
   * (Settings.timeTravelBudgetMB): its charts remain, without scrubbing or forking.
   */
  readonly timeTravelDropped: boolean
  /**
   * Its checkpoints were thinned (every other one dropped, the first and last kept) to keep every run's
   * within the disk budget: it can still be scrubbed and forked, a scrub replaying longer. Null when
   * they never were.
   */
  readonly timeTravelThinned: ThinnedTimeTravel | null
  /** Pinned by the user: the disk budget never thins or deletes its time-travel data. */
  readonly pinned: boolean
}

/** What thinning left of a run's time travel (RunSummary.timeTravelThinned). */
export interface ThinnedTimeTravel {
  /** The most steps a scrub or fork replays from the nearest kept checkpoint. */
  readonly longestReplay: number
}

export interface RunEvaluation {
  readonly step: number
  readonly epoch: number
  readonly accuracy: number
  readonly loss: number
}

export interface RunRecord extends RunSummary {
  /** Every step's metrics (thinned evenly beyond MAX_RECORDED_STEPS, always keeping the last). */
  readonly metrics: readonly StepMetrics[]
  readonly evaluations: readonly RunEvaluation[]
  /** Why it failed, for status 'failed'. */
  readonly failure: string | null
  /**
   * The network's health along the run (as the Train view's health panel showed it), thinned to
   * HEALTH_HISTORY_LIMIT samples, in step order; [] in records from before it was kept. The sample at
   * a step, or the nearest before it: core's healthAt, or the healthAtStep verb.
   * NOTE: JSON has no NaN or ∞: a norm that was not finite reads back as NaN (`finite` says which
   * layer went wrong), an update ratio that was not finite as null.
   */
  readonly health: readonly HealthSample[]
}

export const MAX_RECORDED_STEPS = 20_000

/** What runs' time-travel data (their checkpoint files) takes on disk: shown with a Clear button. */
export interface TimeTravelUsage {
  readonly bytes: number
  readonly files: number
  /** The most they may take together (Settings.timeTravelBudgetMB, in bytes). */
  readonly budgetBytes: number
  /** Of those, the pinned runs' files (RunSummary.pinned): the budget never thins or deletes them,
   *  so when they alone take more than budgetBytes the files stay over it (Runs says so). */
  readonly pinnedBytes: number
  readonly pinnedFiles: number
}
