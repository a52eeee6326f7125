// StudioHost: the Node side of StudioApi. Owns the training worker, the run history and the settings,
// validates every request, and replaces a crashed worker. Plain Node (no electron import): Electron IPC
// and browser mode both use it.

import type {
  BinaryFile,
  ControlCommand,
  CurrentRun,
  EvaluationSummary,
  GradientCheckReport,
  ModelSummary,
  Prediction,
  RunRecord,
  RunSummary,
  SaliencyResult,
  Settings,
  StepThrough,
  StudioApi,
  StudioInfo,
  TestImagePage,
  TextFile,
  TrainingEvent,
  WeightSnapshot
} from '../contract'
import { CurrentRunTracker } from './current-run'
import {
  checkGradientRequestFits,
  parseExplainStepRequest,
  parseFileName,
  parseGradientCheckRequest,
  parseModelText,
  parseSaliencyRequest,
  parseTestImageQuery,
  type DatasetShape
} from './model-requests'
import { RunHistory } from './run-history'
import {
  parseSettingsPatch,
  parseWindowBounds,
  SettingsStore,
  type WindowBounds
} from './settings-store'
import {
  parseControlCommand,
  parseLiveUpdate,
  parsePixels,
  parseStartOptions,
  parseTrainConfigFor
} from './validation'
import { WorkerLink, type WorkerDatasets } from './worker-link'

export interface StudioHostOptions {
  /** The built worker entry, e.g. out/main/train-worker.js. */
  readonly workerPath: string
  readonly mode: StudioInfo['mode']
  readonly version: string
  /** Where runs and settings live (Electron's userData folder; see data-dir.ts). Created on demand. */
  readonly dataDir: string
}

type Listener = (event: TrainingEvent) => void

/** StudioApi minus the menu, which is Electron main's (the host has no menu to report). */
export type HostApi = Omit<StudioApi, 'onMenuCommand' | 'onOpenedFiles'>

/**
 * Every method takes `unknown`: its arguments crossed a process boundary and are checked here before
 * anything is posted to the worker or touches a file. Errors are thrown with messages that name the field.
 */
export class StudioHost implements HostApi {
  private link: WorkerLink
  private readonly listeners = new Set<Listener>()
  private readonly history: RunHistory
  private readonly settings: SettingsStore
  private readonly currentRun = new CurrentRunTracker()
  private closed = false

  constructor(private readonly options: StudioHostOptions) {
    this.history = new RunHistory(options.dataDir)
    this.settings = new SettingsStore(options.dataDir)
    this.link = this.spawnWorker()
  }

  async getInfo(): Promise<StudioInfo> {
    const { train, test } = await this.link.ready
    return { version: this.options.version, mode: this.options.mode, train, test }
  }

  // ── training ──

  async startTraining(config: unknown, options?: unknown): Promise<void> {
    const { train } = await this.datasets()
    const parsed = parseTrainConfigFor(config, train)
    const { paused = false, pace = null } = parseStartOptions(options)
    await this.link.request({ type: 'start', config: parsed, paused, pace })
    this.currentRun.setPace(pace)
  }

  async controlTraining(command: unknown): Promise<void> {
    const parsed: ControlCommand = parseControlCommand(command)
    await this.link.request({ type: 'control', command: parsed })
  }

  async updateTraining(update: unknown): Promise<void> {
    const parsed = parseLiveUpdate(update)
    await this.link.request({ type: 'update', update: parsed })
    if (parsed.pace !== undefined) this.currentRun.setPace(parsed.pace)
  }

  async getCurrentRun(): Promise<CurrentRun | null> {
    return this.currentRun.current()
  }

  async resetTraining(config: unknown): Promise<void> {
    const { train } = await this.datasets()
    await this.link.request({ type: 'reset', config: parseTrainConfigFor(config, train) })
  }

  // ── the current model ──

  async predict(pixels: unknown): Promise<Prediction> {
    const { inputSize } = await this.shape()
    return this.link.request({ type: 'predict', pixels: parsePixels(pixels, inputSize) })
  }

  evaluateModel(): Promise<EvaluationSummary> {
    return this.link.request({ type: 'evaluate' })
  }

  async queryTestImages(query: unknown): Promise<TestImagePage> {
    return this.link.request({ type: 'queryTestImages', query: parseTestImageQuery(query) })
  }

  async saliency(request: unknown): Promise<SaliencyResult> {
    return this.link.request({
      type: 'saliency',
      request: parseSaliencyRequest(request, await this.shape())
    })
  }

  async explainStep(request: unknown): Promise<StepThrough> {
    return this.link.request({
      type: 'explainStep',
      request: parseExplainStepRequest(request, await this.shape())
    })
  }

  async checkGradients(request: unknown): Promise<GradientCheckReport> {
    const parsed = parseGradientCheckRequest(request)
    const model = await this.link.request({ type: 'getModel' })
    checkGradientRequestFits(parsed, model.architecture)
    return this.link.request({ type: 'checkGradients', request: parsed })
  }

  getWeights(): Promise<WeightSnapshot> {
    return this.link.request({ type: 'getWeights' })
  }

  getModel(): Promise<ModelSummary> {
    return this.link.request({ type: 'getModel' })
  }

  exportModel(): Promise<TextFile> {
    return this.link.request({ type: 'exportModel' })
  }

  async importModel(text: unknown, fileName: unknown): Promise<ModelSummary> {
    const parsedName = parseFileName(fileName)
    const parsedText = parseModelText(text)
    return this.link.request({ type: 'importModel', text: parsedText, fileName: parsedName })
  }

  exportNpz(): Promise<BinaryFile> {
    return this.link.request({ type: 'exportNpz' })
  }

  // ── run history ──

  listRuns(): Promise<RunSummary[]> {
    return this.history.list()
  }

  getRun(id: unknown): Promise<RunRecord> {
    return this.history.get(id)
  }

  renameRun(id: unknown, name: unknown): Promise<void> {
    return this.history.rename(id, name)
  }

  deleteRun(id: unknown): Promise<void> {
    return this.history.remove(id)
  }

  exportRunCsv(id: unknown): Promise<TextFile> {
    return this.history.csv(id)
  }

  // ── settings ──

  getSettings(): Promise<Settings> {
    return this.settings.get()
  }

  async updateSettings(patch: unknown): Promise<Settings> {
    return this.settings.update(parseSettingsPatch(patch))
  }

  /** For Electron main only (not part of StudioApi): where to put the window at start. */
  windowBounds(): Promise<WindowBounds | null> {
    return this.settings.windowBounds()
  }

  /** For Electron main only: remembers the window's bounds for the next start. */
  async saveWindowBounds(bounds: unknown): Promise<void> {
    await this.settings.saveWindowBounds(parseWindowBounds(bounds))
  }

  onTrainingEvent(listener: Listener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Stops the worker for good (app quit, server shutdown), after saving a run in progress as interrupted. */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.listeners.clear()
    await Promise.allSettled([this.history.close(), this.settings.idle()])
    await this.link.close()
  }

  /**
   * Kills the worker as a crash would. Only for tests of the crash path; nothing in the app calls it.
   * @internal
   */
  async killWorkerForTesting(): Promise<void> {
    await this.link.kill()
  }

  private datasets(): Promise<WorkerDatasets> {
    return this.link.ready
  }

  private async shape(): Promise<DatasetShape> {
    const { train, test } = await this.datasets()
    return { testCount: test.count, inputSize: train.rows * train.cols }
  }

  private spawnWorker(): WorkerLink {
    return new WorkerLink(this.options.workerPath, {
      onEvent: (event) => this.forward(event),
      onCrash: (reason, wasReady) => this.recover(reason, wasReady)
    })
  }

  /** Reports a crash as `failed`, and starts a fresh worker first so that the user can start again at once. */
  private recover(reason: string, wasReady: boolean): void {
    if (this.closed) return
    // NOTE: a worker that dies before it is ready (missing file, unreadable dataset) would die again;
    // restarting it in a loop helps nobody, so that is reported and left for the next getInfo to show.
    if (wasReady) this.link = this.spawnWorker()
    const step = this.currentRun.activeStep()
    this.forward({
      type: 'failed',
      message:
        `The training worker stopped unexpectedly (${reason}). ` +
        (wasReady ? 'A fresh one has been started: start a new run.' : 'Restart Backprop Studio.'),
      step
    })
  }

  private forward(event: TrainingEvent): void {
    this.currentRun.record(event)
    this.history.record(event)
    for (const listener of this.listeners) listener(event)
  }
}
