// The run as it crosses the boundaries: starting and steering it, its events, and the condensed record
// a window that opens or reloads catches up from.

import type {
  BatchImage,
  Divergence,
  Evaluation,
  HealthAlarm,
  HealthSample,
  PresetName,
  StepMetrics,
  TrainConfig,
  WeightSnapshot
} from '../../core'
import type { ModelSummary } from './model'
import type { RunEvaluation, RunPoint } from './runs'

export type ControlCommand = 'pause' | 'resume' | 'step' | 'stop'

/**
 * How fast a run goes: at most this many steps per second, null for as fast as the engine can, or
 * 'auto' (AUTO_PACE). It changes only wall time, never results: slowed down, a learner can watch the
 * weights form.
 */
export type Pace = number | 'auto' | null

/** The slowest and fastest pace that can be asked for, in steps per second. */
export const PACE_LIMITS = { min: 0.1, max: 10_000 } as const

/**
 * The 'auto' pace: a run of at most `maxSteps` steps goes at `stepsPerSecond` (the seed preset's 100
 * steps take 5 s, long enough to watch the weights form from the first step), a longer run at full
 * speed (it lasts long enough anyway, and slowing it would only make the learner wait).
 */
export const AUTO_PACE = { stepsPerSecond: 20, maxSteps: 200 } as const

/** Settings that may change while a run is going. */
export interface LiveUpdate {
  readonly learningRate?: number
  readonly momentum?: number
  readonly pace?: Pace
  /** Pause the run when its health calls for it (core/train/health-watch.ts); see Settings.autoPause. */
  readonly autoPause?: boolean
}

/**
 * Why the worker paused a run by itself (auto-pause): the alarm naming the layer and the step, and
 * the first image of the batch that showed it, for Explore's step-through.
 */
export interface AutoPause {
  readonly alarm: HealthAlarm
  readonly image: BatchImage | null
}

export interface StartOptions {
  /** Start paused, e.g. so that "Step" from idle runs exactly one batch. */
  readonly paused?: boolean
  /** Default: null, full speed. */
  readonly pace?: Pace
  /** The preset the config was made from (as edited), so every window can name it; default null. */
  readonly preset?: PresetName | null
  /** Pause on trouble (AutoPause); default: the host's setting (Settings.autoPause). */
  readonly autoPause?: boolean
  /**
   * Replace a run still in progress. Without it, a start while a run is going (e.g. one another
   * window started) fails with 'run-in-progress', so that no window ends a run without saying so.
   */
  readonly replace?: boolean
  /**
   * Fork: continue from exactly the state after `step` steps of run `runId` (its checkpoints replayed),
   * with this config's learning rate, momentum and schedule; the rest must be the parent's.
   */
  readonly fork?: RunPoint
}

// A weight matrix for drawing (the first layer's, one row per picture): core's, which builds it.
export type { WeightRows, WeightSnapshot } from '../../core'

/** Test-set results without the per-image arrays (those stay on the Node side). */
export type EvaluationSummary = Omit<Evaluation, 'predictions' | 'confidences'>

export type RunState = 'running' | 'paused'

/**
 * The latest run of this session, as a window that opens or reloads needs it to catch up: the host
 * condenses its events (DESIGN: the renderer is a view of the host's state, so a reload loses nothing).
 */
export interface CurrentRun {
  readonly runId: string
  /** As started, with any live changes (learning rate, momentum) since. */
  readonly config: TrainConfig
  /** The preset the config was made from, as the starting window said; null if it did not say. */
  readonly preset: PresetName | null
  /** The first layer's weights at step 0 (W₀), so a window that opens late can show W − W₀ too. */
  readonly initialWeights: WeightSnapshot | null
  readonly totalSteps: number
  readonly stepsPerEpoch: number
  /** Where it stands: still going, or how it ended. */
  readonly status: RunState | 'finished' | 'stopped' | 'diverged' | 'failed'
  /** Why it failed (the 'failed' event's message), else null. */
  readonly failure: string | null
  /** Where and how the loss diverged, for status 'diverged', else null. */
  readonly divergence: Divergence | null
  readonly pace: Pace
  /** Every step's metrics, thinned evenly beyond MAX_RECORDED_STEPS, always with the last. */
  readonly metrics: readonly StepMetrics[]
  /** Each test-set evaluation during the run, in order. */
  readonly tests: readonly RunEvaluation[]
  /** The network's health as measured along the run, thinned to HEALTH_HISTORY_LIMIT samples. */
  readonly health: readonly HealthSample[]
  /** Why the run last paused itself; null once resumed, unless its loss diverged there (it ends there). */
  readonly autoPause: AutoPause | null
  /** The latest of them in full (confusion matrix, per-class accuracy), or null. */
  readonly lastTest: {
    readonly step: number
    readonly epoch: number
    readonly evaluation: EvaluationSummary
  } | null
  /** Time spent training so far, pauses excluded. */
  readonly elapsedSeconds: number
}

/** worker → host → renderer. */
export type TrainingEvent =
  | {
      readonly type: 'started'
      readonly runId: string
      readonly config: TrainConfig
      /** The preset the config was made from, as the start said (StartOptions.preset). */
      readonly preset: PresetName | null
      /** For a fork (StartOptions.fork): where it continues from; its first step is parent.step + 1. */
      readonly parent: RunPoint | null
      readonly totalSteps: number
      readonly stepsPerEpoch: number
      readonly state: RunState
    }
  | { readonly type: 'progress'; readonly metrics: readonly StepMetrics[] }
  | { readonly type: 'state'; readonly state: RunState }
  | { readonly type: 'weights'; readonly snapshot: WeightSnapshot }
  /** The network's health at one step (core/train/health.ts), at about the snapshots' cadence. */
  | { readonly type: 'health'; readonly sample: HealthSample }
  /** The run paused itself (auto-pause on): a 'state' event saying 'paused' follows. */
  | { readonly type: 'autoPaused'; readonly pause: AutoPause }
  | {
      readonly type: 'evaluation'
      readonly step: number
      readonly epoch: number
      readonly evaluation: EvaluationSummary
    }
  /** Learning rate or momentum changed live: `config` applies from step `step + 1` on. */
  | { readonly type: 'updated'; readonly config: TrainConfig; readonly step: number }
  | {
      readonly type: 'finished'
      readonly reason: 'completed' | 'stopped'
      readonly step: number
      /** Time spent training, pauses excluded. */
      readonly elapsedSeconds: number
    }
  /**
   * The loss diverged (NaN, infinite, or exploded: core/train/divergence.ts) and the run stopped there,
   * before that step's update. A progress event with that step's metrics comes first when it was finite.
   */
  | {
      readonly type: 'diverged'
      readonly divergence: Divergence
      /** Time spent training, pauses excluded. */
      readonly elapsedSeconds: number
    }
  | { readonly type: 'failed'; readonly message: string; readonly step: number | null }
  | { readonly type: 'reset'; readonly config: TrainConfig }
  /** The current model was replaced by a loaded model file (any run was stopped first). */
  | { readonly type: 'modelLoaded'; readonly model: ModelSummary }
  /** A user-requested evaluation (evaluateModel) is under way: images done out of total. */
  | { readonly type: 'evaluationProgress'; readonly done: number; readonly total: number }
