// The one typed vocabulary between renderer, main process / web server, and training worker.
// Almost no logic: types, channel names and the exhaustiveness guard. The renderer imports types only.

import type {
  Divergence,
  Evaluation,
  GradientCheck,
  ModelArchitecture,
  ModelMetrics,
  SettingChange,
  StepMetrics,
  StepThrough,
  TrainConfig
} from '../core'

export type {
  Divergence,
  Evaluation,
  GradientCheck,
  ModelArchitecture,
  ModelMetrics,
  SettingChange,
  StepMetrics,
  StepThrough,
  TrainConfig
}

/** IPC channel names (Electron) and WebSocket method names (browser mode), declared once. */
export const Channel = {
  GetInfo: 'studio:info',
  StartTraining: 'training:start',
  ControlTraining: 'training:control',
  UpdateTraining: 'training:update',
  ResetTraining: 'training:reset',
  Predict: 'model:predict',
  EvaluateModel: 'model:evaluate',
  QueryTestImages: 'model:query-test-images',
  Saliency: 'model:saliency',
  ExplainStep: 'model:explain-step',
  CheckGradients: 'model:check-gradients',
  GetModel: 'model:get',
  GetWeights: 'model:get-weights',
  GetCurrentRun: 'training:get-current-run',
  ExportModel: 'model:export',
  ImportModel: 'model:import',
  ExportNpz: 'model:export-npz',
  ListRuns: 'runs:list',
  GetRun: 'runs:get',
  RenameRun: 'runs:rename',
  DeleteRun: 'runs:delete',
  ExportRunCsv: 'runs:export-csv',
  GetSettings: 'settings:get',
  UpdateSettings: 'settings:update',
  TrainingEvent: 'training:event',
  MenuCommand: 'app:menu-command',
  OpenedFiles: 'app:opened-files'
} as const

export type ControlCommand = 'pause' | 'resume' | 'step' | 'stop'

/**
 * How fast a run goes: at most this many steps per second, or null for as fast as the engine can.
 * It changes only wall time, never results: slowed down, a learner can watch the weights form.
 */
export type Pace = number | null

/** The slowest and fastest pace that can be asked for, in steps per second. */
export const PACE_LIMITS = { min: 0.1, max: 10_000 } as const

/** Settings that may change while a run is going. */
export interface LiveUpdate {
  readonly learningRate?: number
  readonly momentum?: number
  readonly pace?: Pace
}

export interface StartOptions {
  /** Start paused, e.g. so that "Step" from idle runs exactly one batch. */
  readonly paused?: boolean
  /** Default: null, full speed. */
  readonly pace?: Pace
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

/**
 * The latest run of this session, as a window that opens or reloads needs it to catch up: the host
 * condenses its events (DESIGN: the renderer is a view of the host's state, so a reload loses nothing).
 */
export interface CurrentRun {
  readonly runId: string
  /** As started, with any live changes (learning rate, momentum) since. */
  readonly config: TrainConfig
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

// ── Understanding the model (issues 5 and 6) ──

/** An image to inspect: a test-set image by index, or 784 pixels in [0, 1] the user dropped or drew. */
export type ImageSource =
  | { readonly kind: 'test'; readonly index: number }
  | { readonly kind: 'pixels'; readonly pixels: Float32Array }

/** Which test images to list. Filters combine; predictions come from the current model. */
export interface TestImageQuery {
  readonly trueClass?: number
  readonly predictedClass?: number
  readonly onlyMistakes?: boolean
  /** 'confidence-desc': most confident first (how a confusion cell's images are ranked). */
  readonly order: 'confidence-desc' | 'confidence-asc' | 'index'
  readonly offset: number
  /** At most MAX_TEST_IMAGES_PER_PAGE. */
  readonly limit: number
}

export const MAX_TEST_IMAGES_PER_PAGE = 200

export interface TestImage {
  readonly index: number
  readonly label: number
  readonly predicted: number
  /** The probability the model gave its prediction. */
  readonly confidence: number
  /** rows × cols bytes, 0 = background, 255 = ink, as in the IDX file. */
  readonly pixels: Uint8Array
}

export interface TestImagePage {
  /** How many images match the filters (for paging). */
  readonly total: number
  readonly offset: number
  readonly items: readonly TestImage[]
}

export interface SaliencyRequest {
  readonly source: ImageSource
  /** The class whose logit is explained; default: the predicted class. */
  readonly classIndex?: number
}

export interface SaliencyResult {
  /** The 784 input values the network saw, in [0, 1]. */
  readonly input: Float32Array
  /** ∂logit[classIndex]/∂input: positive pixels push the class up, negative ones down. */
  readonly map: Float32Array
  readonly classIndex: number
  readonly predicted: number
  readonly probabilities: readonly number[]
}

export interface ExplainStepRequest {
  readonly source: ImageSource
  /** The true label to compute the loss against; default: the test label, or the prediction for pixels. */
  readonly label?: number
  /** For the update stages; default: the current config's learning rate. */
  readonly learningRate?: number
}

export interface GradientCheckRequest {
  /** e.g. 'dense1.weight'. */
  readonly parameter: string
  /** Specific weights to check (e.g. the heatmap pixel clicked), at most MAX_GRADIENT_CHECKS. */
  readonly indices?: readonly number[]
  /** Or: this many weights sampled at random (seeded), at most MAX_GRADIENT_CHECKS. */
  readonly sampleCount?: number
}

export const MAX_GRADIENT_CHECKS = 1000

export interface GradientCheckReport {
  readonly checks: readonly GradientCheck[]
  /** The worst relative error among checks not on a ReLU kink (see GradientCheck.kink). */
  readonly worstRelativeError: number
  /** How many checks sat on a kink and were left out of the worst error. */
  readonly kinks: number
  /** The fixed minibatch the loss is computed on (the first test images). */
  readonly batchSize: number
}

/** The model the studio currently holds: from the current or last run, a reset, or a loaded file. */
export interface ModelSummary {
  readonly source: 'run' | 'reset' | 'loaded'
  readonly architecture: ModelArchitecture
  readonly trainingConfig: TrainConfig | null
  readonly metrics: ModelMetrics
  /** Training steps behind these weights (0 after a reset). */
  readonly step: number
  /** The loaded file's name, for 'loaded'. */
  readonly fileName: string | null
}

/** A file for the renderer to save (a download in browser mode; Electron shows its save dialog). */
export interface TextFile {
  readonly fileName: string
  readonly text: string
}

export interface BinaryFile {
  readonly fileName: string
  readonly bytes: Uint8Array
}

/** The largest model file importModel accepts (base64 JSON; the 784-128-10 MLP is about 0.6 MB). */
export const MAX_MODEL_FILE_BYTES = 64 * 1024 * 1024

// ── Run history (issue 5) ──

/** 'interrupted': the app closed while the run was going; 'diverged': its loss exploded or became NaN. */
export type RunStatus = 'running' | 'completed' | 'stopped' | 'diverged' | 'failed' | 'interrupted'

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
}

export const MAX_RECORDED_STEPS = 20_000

// ── Settings that survive a restart (issue 5) ──

export type ThemePreference = 'system' | 'light' | 'dark'

export interface Settings {
  /** The config the user last edited, restored at start; null the first time. */
  readonly lastConfig: TrainConfig | null
  readonly theme: ThemePreference
}

/**
 * Application menu items that the window acts on (Electron only; browser mode has no menu).
 * Open Images… and Load Model… are not among them: a menu click is not a user gesture, so the window
 * could not open a file chooser; main shows the native dialog and sends the files (OpenedFile).
 */
export type MenuCommand =
  | 'save-model'
  | 'export-npz'
  | 'show-train'
  | 'show-classify'
  | 'show-evaluate'
  | 'show-runs'
  | 'show-explore'

/**
 * A file the user chose in a native Open dialog, read by the main process: its name and bytes, or why
 * it was not read (too large). Paths never reach the renderer; it treats these like dropped files.
 */
export type OpenedFile =
  | { readonly name: string; readonly bytes: Uint8Array }
  | { readonly name: string; readonly error: string }

/** The largest file the Open dialogs read (an image's pixel count is limited separately, by its header). */
export const MAX_OPENED_FILE_BYTES = 64 * 1024 * 1024
/** At most this many files from one Open dialog (as for one drop). */
export const MAX_OPENED_FILES = 100

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

  /** Evaluates the current model on the whole test set ('evaluationProgress' events meanwhile). */
  evaluateModel(): Promise<EvaluationSummary>
  /** Pages through test images with the current model's predictions. */
  queryTestImages(query: TestImageQuery): Promise<TestImagePage>
  saliency(request: SaliencyRequest): Promise<SaliencyResult>
  /** One forward/backward/update on one image, every intermediate kept (core's stepThrough). */
  explainStep(request: ExplainStepRequest): Promise<StepThrough>
  /** Backprop's dL/dw next to a central difference, on a fixed minibatch of test images. */
  checkGradients(request: GradientCheckRequest): Promise<GradientCheckReport>
  /**
   * The current model. The host starts with the seed preset's initial weights (source 'reset', step 0),
   * so that every view works from the first click: null is not returned today.
   */
  getModel(): Promise<ModelSummary | null>
  /** The current model's first-layer weights, as the last 'weights' event would have them. Changes nothing. */
  getWeights(): Promise<WeightSnapshot>
  /**
   * The latest run since the host started, for a window that opens or reloads while it trains or after
   * it ended; null when there was none, or a reset or loaded model has replaced its weights since.
   */
  getCurrentRun(): Promise<CurrentRun | null>
  /** The current model as a model file (core/io format), to save. */
  exportModel(): Promise<TextFile>
  /** Validates a model file and makes it the current model (stopping any run); a bad file changes nothing. */
  importModel(text: string, fileName: string): Promise<ModelSummary>
  /** The current model's weights as .npz, shaped like the original numpy project's. */
  exportNpz(): Promise<BinaryFile>

  listRuns(): Promise<RunSummary[]>
  getRun(id: string): Promise<RunRecord>
  renameRun(id: string, name: string): Promise<void>
  deleteRun(id: string): Promise<void>
  /** One row per recorded step: step, epoch, batch, loss, accuracy, samples seen, learning rate, test accuracy/loss where evaluated. */
  exportRunCsv(id: string): Promise<TextFile>

  getSettings(): Promise<Settings>
  /** Merges `patch` into the settings and saves them (atomically); returns the result. */
  updateSettings(patch: Partial<Settings>): Promise<Settings>

  /** Returns an unsubscribe function. */
  onTrainingEvent(listener: (event: TrainingEvent) => void): () => void
  /** Application menu commands (never fires in browser mode). Returns an unsubscribe function. */
  onMenuCommand(listener: (command: MenuCommand) => void): () => void
  /** Files chosen in the File menu's native Open dialogs (never fires in browser mode). */
  onOpenedFiles(listener: (files: readonly OpenedFile[]) => void): () => void
}

// ── Host ↔ training worker (Node only; worker_threads structured clone) ──

/** host → worker. Every command carries an id, and the worker answers each with one `reply`. */
export type WorkerCommand =
  | {
      readonly type: 'start'
      readonly id: number
      readonly config: TrainConfig
      readonly paused: boolean
      readonly pace: Pace
    }
  | { readonly type: 'control'; readonly id: number; readonly command: ControlCommand }
  | { readonly type: 'update'; readonly id: number; readonly update: LiveUpdate }
  | { readonly type: 'reset'; readonly id: number; readonly config: TrainConfig }
  | { readonly type: 'predict'; readonly id: number; readonly pixels: Float32Array }
  | { readonly type: 'evaluate'; readonly id: number }
  | { readonly type: 'queryTestImages'; readonly id: number; readonly query: TestImageQuery }
  | { readonly type: 'saliency'; readonly id: number; readonly request: SaliencyRequest }
  | { readonly type: 'explainStep'; readonly id: number; readonly request: ExplainStepRequest }
  | { readonly type: 'checkGradients'; readonly id: number; readonly request: GradientCheckRequest }
  | { readonly type: 'getModel'; readonly id: number }
  | { readonly type: 'getWeights'; readonly id: number }
  | { readonly type: 'exportModel'; readonly id: number }
  | {
      readonly type: 'importModel'
      readonly id: number
      readonly text: string
      readonly fileName: string
    }
  | { readonly type: 'exportNpz'; readonly id: number }

/** What the worker's `reply` carries for each command type. */
export interface WorkerResults {
  readonly start: null
  readonly control: null
  readonly update: null
  readonly reset: null
  readonly predict: Prediction
  readonly evaluate: EvaluationSummary
  readonly queryTestImages: TestImagePage
  readonly saliency: SaliencyResult
  readonly explainStep: StepThrough
  readonly checkGradients: GradientCheckReport
  readonly getModel: ModelSummary
  readonly getWeights: WeightSnapshot
  readonly exportModel: TextFile
  readonly importModel: ModelSummary
  readonly exportNpz: BinaryFile
}

/** worker → host. */
export type WorkerMessage =
  | { readonly type: 'ready'; readonly train: DatasetSummary; readonly test: DatasetSummary }
  | { readonly type: 'loadFailed'; readonly message: string }
  | { readonly type: 'event'; readonly event: TrainingEvent }
  | {
      readonly type: 'reply'
      readonly id: number
      readonly ok: true
      readonly result: WorkerResults[WorkerCommand['type']]
    }
  | { readonly type: 'reply'; readonly id: number; readonly ok: false; readonly message: string }

// ── Browser mode: the WebSocket between the page and the local server ──

/** Where the page opens its WebSocket (with ?token=…). */
export const WEB_SOCKET_PATH = '/studio'

/** The StudioApi calls, named by their Channel (the event channel is a push, not a call). */
export type StudioMethod = Exclude<
  (typeof Channel)[keyof typeof Channel],
  typeof Channel.TrainingEvent | typeof Channel.MenuCommand | typeof Channel.OpenedFiles
>

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
