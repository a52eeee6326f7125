// The one typed vocabulary between renderer, main process / web server, and training worker.
// Almost no logic: types, channel names and the exhaustiveness guard. The renderer imports types only.

import type { Evaluation, ModelArchitecture, StepMetrics, TrainConfig } from '../core'

export type { Evaluation, ModelArchitecture, StepMetrics, TrainConfig }

/** IPC channel names (Electron) and WebSocket method names (browser mode), declared once. */
export const Channel = {
  GetInfo: 'studio:info',
  StartTraining: 'training:start',
  ControlTraining: 'training:control',
  UpdateTraining: 'training:update',
  ResetTraining: 'training:reset',
  Predict: 'model:predict',
  TrainingEvent: 'training:event'
} as const

export type ControlCommand = 'pause' | 'resume' | 'step' | 'stop'

/** Hyperparameters that may change while a run is going. */
export interface LiveUpdate {
  readonly learningRate?: number
  readonly momentum?: number
}

export interface StartOptions {
  /** Start paused, e.g. so that "Step" from idle runs exactly one batch. */
  readonly paused?: boolean
}

/** A weight matrix sent for drawing: row r is unit r's incoming weights (for dense1, a 28×28 image). */
export interface WeightSnapshot {
  readonly layer: string
  readonly step: number
  readonly rows: number
  readonly cols: number
  readonly data: Float32Array
}

/** Test-set results without the per-image arrays (those stay on the Node side). */
export type EvaluationSummary = Omit<Evaluation, 'predictions' | 'confidences'>

export type RunState = 'running' | 'paused'

/** worker → host → renderer. */
export type TrainingEvent =
  | {
      readonly type: 'started'
      readonly runId: string
      readonly config: TrainConfig
      readonly totalSteps: number
      readonly stepsPerEpoch: number
      readonly state: RunState
    }
  | { readonly type: 'progress'; readonly metrics: readonly StepMetrics[] }
  | { readonly type: 'state'; readonly state: RunState }
  | { readonly type: 'weights'; readonly snapshot: WeightSnapshot }
  | {
      readonly type: 'evaluation'
      readonly step: number
      readonly epoch: number
      readonly evaluation: EvaluationSummary
    }
  | { readonly type: 'updated'; readonly config: TrainConfig }
  | {
      readonly type: 'finished'
      readonly reason: 'completed' | 'stopped'
      readonly step: number
      /** Time spent training, pauses excluded. */
      readonly elapsedSeconds: number
    }
  | { readonly type: 'failed'; readonly message: string; readonly step: number | null }
  | { readonly type: 'reset'; readonly config: TrainConfig }

export interface DatasetSummary {
  readonly name: string
  readonly count: number
  readonly rows: number
  readonly cols: number
}

export interface StudioInfo {
  readonly version: string
  /** How the window reaches the host: Electron IPC, or WebSocket in browser mode. */
  readonly mode: 'electron' | 'browser'
  readonly train: DatasetSummary
  readonly test: DatasetSummary
}

/** Class probabilities for one input, from the current model (training or loaded). */
export interface Prediction {
  readonly probabilities: readonly number[]
  readonly predicted: number
}

/**
 * Exactly what preload exposes as `window.studio`, and what the browser-mode client implements.
 * Every argument is untrusted on the receiving side and validated there.
 */
export interface StudioApi {
  getInfo(): Promise<StudioInfo>
  /** Starts a new run from `config` (fresh weights from config.seed), replacing any current run. */
  startTraining(config: TrainConfig, options?: StartOptions): Promise<void>
  /**
   * Pause / resume / step one batch / stop the current run. Rejects when no run is in progress,
   * except 'stop', which is then a no-op (a run may finish just as the user clicks Stop).
   */
  controlTraining(command: ControlCommand): Promise<void>
  /**
   * Changes learning rate and/or momentum of the current run from its next step on (an `updated`
   * event follows). Without a run in progress it only validates: the next start takes its config.
   */
  updateTraining(update: LiveUpdate): Promise<void>
  /** Ends any run and re-initialises the model from `config` (same seed, same initial weights). */
  resetTraining(config: TrainConfig): Promise<void>
  /** Classifies one image of inputSize values in [0, 1] (784 for MNIST) with the current weights. */
  predict(pixels: Float32Array): Promise<Prediction>

  /** Returns an unsubscribe function. */
  onTrainingEvent(listener: (event: TrainingEvent) => void): () => void
}

// ── Host ↔ training worker (Node only; worker_threads structured clone) ──

/** host → worker. Every command carries an id, and the worker answers each with one `reply`. */
export type WorkerCommand =
  | { readonly type: 'start'; readonly id: number; readonly config: TrainConfig; readonly paused: boolean }
  | { readonly type: 'control'; readonly id: number; readonly command: ControlCommand }
  | { readonly type: 'update'; readonly id: number; readonly update: LiveUpdate }
  | { readonly type: 'reset'; readonly id: number; readonly config: TrainConfig }
  | { readonly type: 'predict'; readonly id: number; readonly pixels: Float32Array }

/** worker → host. */
export type WorkerMessage =
  | { readonly type: 'ready'; readonly train: DatasetSummary; readonly test: DatasetSummary }
  | { readonly type: 'loadFailed'; readonly message: string }
  | { readonly type: 'event'; readonly event: TrainingEvent }
  | { readonly type: 'reply'; readonly id: number; readonly ok: true; readonly prediction: Prediction | null }
  | { readonly type: 'reply'; readonly id: number; readonly ok: false; readonly message: string }

// ── Browser mode: the WebSocket between the page and the local server ──

/** Where the page opens its WebSocket (with ?token=…). */
export const WEB_SOCKET_PATH = '/studio'

/** The StudioApi calls, named by their Channel (the event channel is a push, not a call). */
export type StudioMethod = Exclude<(typeof Channel)[keyof typeof Channel], typeof Channel.TrainingEvent>

/** page → server. JSON text; Float32Arrays travel tagged (electron/web/wire.ts). */
export interface WebRequest {
  readonly id: number
  readonly method: StudioMethod
  readonly params: readonly unknown[]
}

/** server → page. */
export type WebMessage =
  | { readonly type: 'reply'; readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly type: 'reply'; readonly id: number; readonly ok: false; readonly message: string }
  | { readonly type: 'event'; readonly event: TrainingEvent }

export function assertNever(value: never): never {
  throw new Error(`Unhandled message: ${JSON.stringify(value)}`)
}
