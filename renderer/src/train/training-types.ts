// What the training store holds and is told: the run's lifecycle, the events about it, its test
// results, and what a start asks for beyond the config.

import type { EvaluationSummary, RunPoint, TrainConfig, TrainingEvent } from '@contract'
import type { PresetName } from '@core/train/presets'

/** The host's events about the run (every training event but the evaluation's progress). */
export type RunEvent = Exclude<TrainingEvent, { readonly type: 'evaluationProgress' }>

/** The run's lifecycle. `starting` covers the moment between Start and the host's `started`. */
export type TrainingStatus =
  'idle' | 'starting' | 'running' | 'paused' | 'finished' | 'stopped' | 'diverged' | 'failed'

/** A run's config and the preset it was made from, as the settings panel shows them. */
export interface RunSettings {
  readonly config: TrainConfig
  readonly preset: PresetName | null
}

/** How a start goes beyond the config: paused (for Step), its preset, and replacing a run in progress. */
export interface StartRequest {
  readonly paused?: boolean
  readonly preset?: PresetName | null
  readonly replace?: boolean
  /** Fork: continue from this step of that run (StartOptions.fork). */
  readonly fork?: RunPoint
}

/** The latest test result: a live run's in full, a recorded run's (RunEvaluation) as its accuracy and
 *  loss, which is all the view shows of it. */
export interface TestResult {
  readonly step: number
  readonly epoch: number
  readonly evaluation: Pick<EvaluationSummary, 'accuracy' | 'loss'>
}

/** A recorded run opened from Runs (not the host's current run): shown as it was recorded. */
export interface RecordedRun {
  readonly id: string
  readonly name: string
  /** Its last recorded step (where the cursor's range ends). */
  readonly steps: number
  /** How it ended, as Runs says it ('Completed', 'Stopped', 'Interrupted'…). */
  readonly ended: string
}
