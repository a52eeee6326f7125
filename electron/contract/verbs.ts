// StudioApi, declared once: one table row per verb (its channel, its arguments by kind, its result, and
// whether the host forwards it to the training worker). The preload, the browser-mode client, the host's
// dispatch and argument parsing, and the worker's commands are all derived from these two tables.
// Plain data and types only: the renderer imports it. How to add a verb: docs/architecture.md.

import type { HealthSample, StepThrough, TrainConfig } from '../../core'
import type { MenuCommand, OpenedFile, Settings, StudioInfo } from './app'
import type { Outcome } from './errors'
import type {
  BinaryFile,
  ExplainStepRequest,
  FeatureMapsResult,
  GradientCheckReport,
  GradientCheckRequest,
  ImageSource,
  ModelSummary,
  Prediction,
  SaliencyRequest,
  SaliencyResult,
  TestImagePage,
  TestImageQuery,
  TextFile
} from './model'
import type { RunPoint, RunRecord, RunSummary, TimeTravelUsage } from './runs'
import type { NetworkAtStep } from './time-travel'
import type {
  ControlCommand,
  CurrentRun,
  EvaluationSummary,
  LiveUpdate,
  StartOptions,
  TrainingEvent,
  WeightSnapshot
} from './training'

/**
 * What each kind of argument is. Every kind has exactly one parser on the receiving side
 * (electron/host/arguments.ts), which checks an untrusted value and names the field that is wrong.
 */
export interface ArgumentTypes {
  readonly config: TrainConfig
  readonly startOptions: StartOptions
  readonly command: ControlCommand
  readonly update: LiveUpdate
  /** One image: inputSize values in [0, 1] (784 for MNIST). */
  readonly pixels: Float32Array
  readonly testImageQuery: TestImageQuery
  /** A test image by index, or one image of pixels. */
  readonly imageSource: ImageSource
  readonly saliencyRequest: SaliencyRequest
  readonly explainStepRequest: ExplainStepRequest
  readonly gradientCheckRequest: GradientCheckRequest
  /** A model file's text (core/io format). */
  readonly modelText: string
  /** An ONNX model file's bytes. */
  readonly onnxBytes: Uint8Array
  /** A file's name as shown, never opened. */
  readonly fileName: string
  readonly runId: string
  /** A step of a run: { runId, step }. */
  readonly runPoint: RunPoint
  readonly runName: string
  /** Whether a run is pinned (RunSummary.pinned). */
  readonly pinned: boolean
  readonly settingsPatch: Partial<Settings>
}

export type ArgumentKind = keyof ArgumentTypes

/** An argument in the table: its kind, with a trailing '?' when callers may leave it out (last ones only). */
export type ArgumentSpec = ArgumentKind | `${ArgumentKind}?`

declare const carried: unique symbol
/** A type the table carries for the compiler only: at run time it is an empty object. */
export interface TypeOnly<T> {
  readonly [carried]?: T
}
/** A verb's result type. */
export const returns = <T>(): TypeOnly<T> => ({})
/** An event's payload type. */
export const delivers = <T>(): TypeOnly<T> => ({})

export interface VerbSpec {
  /** The Electron IPC channel and the WebSocket method: 'domain:verb'. */
  readonly channel: string
  readonly args: readonly ArgumentSpec[]
  readonly result: TypeOnly<unknown>
  /** The host checks the arguments, then the training worker runs it (WorkerSession has the method). */
  readonly worker?: true
}

/**
 * Every StudioApi call. Every argument is untrusted where it arrives and parsed there by its kind; the
 * calls without `worker` are implemented by the host (StudioHost).
 */
export const STUDIO_VERBS = {
  getInfo: { channel: 'studio:info', args: [], result: returns<StudioInfo>() },
  /**
   * Starts a new run from `config` (fresh weights from config.seed). A run still in progress is
   * replaced only when `startOptions.replace` says so; otherwise the call fails with 'run-in-progress'.
   */
  startTraining: {
    channel: 'training:start',
    args: ['config', 'startOptions?'],
    result: returns<void>(),
    worker: true
  },
  /**
   * Pause / resume / step one batch / stop the current run. Fails with 'no-run' when no run is in
   * progress, except 'stop', which is then a no-op (a run may finish just as the user clicks Stop).
   */
  controlTraining: {
    channel: 'training:control',
    args: ['command'],
    result: returns<void>(),
    worker: true
  },
  /**
   * Changes learning rate, momentum and/or pace of the current run from its next step on (an `updated`
   * event follows). Without a run in progress it only validates: the next start takes its config.
   */
  updateTraining: {
    channel: 'training:update',
    args: ['update'],
    result: returns<void>(),
    worker: true
  },
  /** Ends any run and re-initialises the model from `config` (same seed, same initial weights). */
  resetTraining: {
    channel: 'training:reset',
    args: ['config'],
    result: returns<void>(),
    worker: true
  },
  /**
   * The latest run since the host started, for a window that opens or reloads while it trains or after
   * it ended; null when there was none, or a reset or loaded model has replaced its weights since.
   */
  getCurrentRun: {
    channel: 'training:get-current-run',
    args: [],
    result: returns<CurrentRun | null>()
  },

  /** Classifies one image with the current weights. */
  predict: {
    channel: 'model:predict',
    args: ['pixels'],
    result: returns<Prediction>(),
    worker: true
  },
  /** Evaluates the current model on the whole test set ('evaluationProgress' events meanwhile). */
  evaluateModel: {
    channel: 'model:evaluate',
    args: [],
    result: returns<EvaluationSummary>(),
    worker: true
  },
  /** Pages through test images with the current model's predictions. */
  queryTestImages: {
    channel: 'model:query-test-images',
    args: ['testImageQuery'],
    result: returns<TestImagePage>(),
    worker: true
  },
  /** ∂logit/∂pixel for one image and one class. */
  saliency: {
    channel: 'model:saliency',
    args: ['saliencyRequest'],
    result: returns<SaliencyResult>(),
    worker: true
  },
  /** A conv net's feature maps for one image: every conv and pool layer's output (none for a dense net). */
  featureMaps: {
    channel: 'model:feature-maps',
    args: ['imageSource'],
    result: returns<FeatureMapsResult>(),
    worker: true
  },
  /** One forward/backward/update on one image, every intermediate kept (core's stepThrough). */
  explainStep: {
    channel: 'model:explain-step',
    args: ['explainStepRequest'],
    result: returns<StepThrough>(),
    worker: true
  },
  /** Backprop's dL/dw next to a central difference, on a fixed minibatch of test images. */
  checkGradients: {
    channel: 'model:check-gradients',
    args: ['gradientCheckRequest'],
    result: returns<GradientCheckReport>(),
    worker: true
  },
  /**
   * The current model. There always is one: the host starts with the seed preset's initial weights
   * (source 'reset', step 0), so that every view works from the first click.
   */
  getModel: { channel: 'model:get', args: [], result: returns<ModelSummary>(), worker: true },
  /** The current model's first-layer weights, as the last 'weights' event would have them. Changes nothing. */
  getWeights: {
    channel: 'model:get-weights',
    args: [],
    result: returns<WeightSnapshot>(),
    worker: true
  },
  /** The current model as a model file (core/io format), to save. */
  exportModel: { channel: 'model:export', args: [], result: returns<TextFile>(), worker: true },
  /** Validates a model file and makes it the current model (stopping any run); a bad file changes nothing. */
  importModel: {
    channel: 'model:import',
    args: ['modelText', 'fileName'],
    result: returns<ModelSummary>(),
    worker: true
  },
  /** The current model's weights as .npz, shaped like the original numpy project's. */
  exportNpz: { channel: 'model:export-npz', args: [], result: returns<BinaryFile>(), worker: true },
  /** The current model as ONNX (opset 17; input "input", outputs "logits" and "probabilities"). */
  exportOnnx: {
    channel: 'model:export-onnx',
    args: [],
    result: returns<BinaryFile>(),
    worker: true
  },
  /** Reads an ONNX file operator by operator and makes it the current model, as importModel does. */
  importOnnx: {
    channel: 'model:import-onnx',
    args: ['onnxBytes', 'fileName'],
    result: returns<ModelSummary>(),
    worker: true
  },

  /** Newest first. */
  listRuns: { channel: 'runs:list', args: [], result: returns<RunSummary[]>() },
  getRun: { channel: 'runs:get', args: ['runId'], result: returns<RunRecord>() },
  renameRun: { channel: 'runs:rename', args: ['runId', 'runName'], result: returns<void>() },
  deleteRun: { channel: 'runs:delete', args: ['runId'], result: returns<void>() },
  /** Pins or unpins a run: the time-travel disk budget never thins or deletes a pinned run's data. */
  pinRun: { channel: 'runs:pin', args: ['runId', 'pinned'], result: returns<void>() },
  /** One row per recorded step: step, epoch, batch, loss, accuracy, samples seen, learning rate, test accuracy/loss where evaluated. */
  exportRunCsv: { channel: 'runs:export-csv', args: ['runId'], result: returns<TextFile>() },
  /** The bytes runs' checkpoint files take in the data folder (time-travel data). */
  getTimeTravelUsage: {
    channel: 'runs:time-travel-usage',
    args: [],
    result: returns<TimeTravelUsage>()
  },
  /** Deletes every run's checkpoint files but the pinned runs'; the run records stay. */
  clearTimeTravel: { channel: 'runs:clear-time-travel', args: [], result: returns<void>() },
  /** The ids of the runs whose time-travel data (a checkpoint file) is on disk: the runs a window can
   *  open in Train to scrub and fork (one without it was cleared, trimmed by the budget or never kept). */
  listTimeTravelRuns: {
    channel: 'runs:time-travel-runs',
    args: [],
    result: returns<string[]>()
  },
  /** The network after `step` steps of a run (the current one or a recorded one with checkpoints):
   *  its first layer, the probe digits' predictions and the confusion on SCRUB_TEST_IMAGES test images. */
  networkAtStep: {
    channel: 'runs:network-at-step',
    args: ['runPoint'],
    result: returns<NetworkAtStep>(),
    worker: true
  },
  /** A conv net's feature maps for one image at `step` of a run (the network networkAtStep shows). */
  featureMapsAtStep: {
    channel: 'runs:feature-maps-at-step',
    args: ['runPoint', 'imageSource'],
    result: returns<FeatureMapsResult>(),
    worker: true
  },
  /** The network's health at a step of a run: its sample at that step, or the nearest before it (null
   *  before the first), from the run in progress or its record (RunRecord.health). */
  healthAtStep: {
    channel: 'runs:health-at-step',
    args: ['runPoint'],
    result: returns<HealthSample | null>()
  },

  getSettings: { channel: 'settings:get', args: [], result: returns<Settings>() },
  /** Merges `patch` into the settings and saves them (atomically); returns the result. */
  updateSettings: {
    channel: 'settings:update',
    args: ['settingsPatch'],
    result: returns<Settings>()
  }
} as const satisfies Readonly<Record<string, VerbSpec>>

/** What the host pushes to the window. Each subscription returns its unsubscribe function. */
export const STUDIO_EVENTS = {
  onTrainingEvent: { channel: 'training:event', payload: delivers<TrainingEvent>() },
  /** Application menu commands (Electron only: never fires in browser mode). */
  onMenuCommand: { channel: 'app:menu-command', payload: delivers<MenuCommand>() },
  /** Files chosen in the File menu's native Open dialogs (Electron only). */
  onOpenedFiles: { channel: 'app:opened-files', payload: delivers<readonly OpenedFile[]>() }
} as const

// ── Derived: nothing below names a verb ──

export type Verb = keyof typeof STUDIO_VERBS
export type StudioEvent = keyof typeof STUDIO_EVENTS
type SpecOf<V extends Verb> = (typeof STUDIO_VERBS)[V]

/** The verbs the host forwards to the worker, and those it implements itself. */
export type WorkerVerb = { [V in Verb]: SpecOf<V> extends { worker: true } ? V : never }[Verb]
export type HostVerb = Exclude<Verb, WorkerVerb>

/** An argument list from the table's kinds: ['config', 'startOptions?'] → [TrainConfig, StartOptions?]. */
export type ArgumentsOf<Specs> = Specs extends readonly [infer Head, ...infer Tail]
  ? Head extends `${infer Kind extends ArgumentKind}?`
    ? [ArgumentTypes[Kind]?, ...ArgumentsOf<Tail>]
    : Head extends ArgumentKind
      ? [ArgumentTypes[Head], ...ArgumentsOf<Tail>]
      : never
  : []

export type VerbArgs<V extends Verb> = ArgumentsOf<SpecOf<V>['args']>
export type VerbResult<V extends Verb> = SpecOf<V>['result'] extends TypeOnly<infer T> ? T : never
export type EventPayload<E extends StudioEvent> =
  (typeof STUDIO_EVENTS)[E]['payload'] extends TypeOnly<infer T> ? T : never

/** The StudioApi calls, named by their channel (what IPC handles and the WebSocket accepts). */
export type StudioMethod = SpecOf<Verb>['channel']

export type StudioCalls = {
  readonly [V in Verb]: (...args: VerbArgs<V>) => Promise<VerbResult<V>>
}
export type StudioEvents = {
  readonly [E in StudioEvent]: (listener: (payload: EventPayload<E>) => void) => () => void
}

/** What the window calls (through `useStudio()`): a failed call rejects with a StudioError. */
export type StudioApi = StudioCalls & StudioEvents

/**
 * Exactly what preload exposes as `window.studio`: every call answers its Outcome rather than throwing
 * (contextBridge would keep only an error's message); the renderer turns outcomes into StudioApi.
 */
export type StudioBridge = {
  readonly [V in Verb]: (...args: VerbArgs<V>) => Promise<Outcome<VerbResult<V>>>
} & StudioEvents

export const VERBS = Object.keys(STUDIO_VERBS) as Verb[]
export const EVENTS = Object.keys(STUDIO_EVENTS) as StudioEvent[]

export const WORKER_VERBS = VERBS.filter(
  (verb): verb is WorkerVerb => 'worker' in STUDIO_VERBS[verb]
)

/** The verb each channel belongs to (transports receive channels, implementations are named by verb). */
export const VERB_OF_CHANNEL = Object.fromEntries(
  VERBS.map((verb) => [STUDIO_VERBS[verb].channel, verb])
) as Readonly<Record<StudioMethod, Verb>>

/**
 * Builds an object with one member per verb: the preload's proxy, the page's client, the host's
 * untrusted face, typed as `T` (StudioBridge, UntrustedCalls…).
 * NOTE: the one cast of the derivations. A generic member (`(...args) => send(channel, args)`) cannot
 * be typed per verb: its value comes from the other side of a boundary, where the same table types it.
 */
export function eachVerb<T extends Record<Verb, unknown>>(make: (verb: Verb) => unknown): T {
  return Object.fromEntries(VERBS.map((verb) => [verb, make(verb)])) as T
}

/** Every channel by name (Channel.StartTraining, Channel.TrainingEvent…), for code and tests naming one. */
export const Channel = Object.fromEntries([
  ...VERBS.map((verb) => [capitalized(verb), STUDIO_VERBS[verb].channel]),
  ...EVENTS.map((event) => [event.slice('on'.length), STUDIO_EVENTS[event].channel])
]) as {
  readonly [V in Verb as Capitalize<V>]: SpecOf<V>['channel']
} & {
  readonly [
    E in StudioEvent as E extends `on${infer Name}` ? Name : never
  ]: (typeof STUDIO_EVENTS)[E]['channel']
}

function capitalized(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1)
}
