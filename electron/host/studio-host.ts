// StudioHost: the Node side of StudioApi. Owns the training worker, validates every request, and
// replaces a crashed worker. Plain Node (no electron import): Electron IPC and browser mode both use it.

import type { ControlCommand, Prediction, StudioApi, StudioInfo, TrainingEvent } from '../contract'
import { parseControlCommand, parseLiveUpdate, parsePixels, parseStartOptions, parseTrainConfigFor } from './validation'
import { WorkerLink, type WorkerDatasets } from './worker-link'

export interface StudioHostOptions {
  /** The built worker entry, e.g. out/main/train-worker.js. */
  readonly workerPath: string
  readonly mode: StudioInfo['mode']
  readonly version: string
}

type Listener = (event: TrainingEvent) => void

/**
 * Every method takes `unknown`: its arguments crossed a process boundary and are checked here before
 * anything is posted to the worker. Errors are thrown with messages that name the field.
 */
export class StudioHost implements StudioApi {
  private link: WorkerLink
  private readonly listeners = new Set<Listener>()
  /** The step the current run has reached, for crash reports; null when no run is in progress. */
  private runStep: number | null = null
  private closed = false

  constructor(private readonly options: StudioHostOptions) {
    this.link = this.spawnWorker()
  }

  async getInfo(): Promise<StudioInfo> {
    const { train, test } = await this.link.ready
    return { version: this.options.version, mode: this.options.mode, train, test }
  }

  async startTraining(config: unknown, options?: unknown): Promise<void> {
    const { train } = await this.datasets()
    const parsed = parseTrainConfigFor(config, train)
    const { paused = false } = parseStartOptions(options)
    await this.link.request({ type: 'start', config: parsed, paused })
  }

  async controlTraining(command: unknown): Promise<void> {
    const parsed: ControlCommand = parseControlCommand(command)
    await this.link.request({ type: 'control', command: parsed })
  }

  async updateTraining(update: unknown): Promise<void> {
    await this.link.request({ type: 'update', update: parseLiveUpdate(update) })
  }

  async resetTraining(config: unknown): Promise<void> {
    const { train } = await this.datasets()
    await this.link.request({ type: 'reset', config: parseTrainConfigFor(config, train) })
  }

  async predict(pixels: unknown): Promise<Prediction> {
    const { train } = await this.datasets()
    const prediction = await this.link.request({
      type: 'predict',
      pixels: parsePixels(pixels, train.rows * train.cols)
    })
    if (!prediction) throw new Error('the training worker sent no prediction')
    return prediction
  }

  onTrainingEvent(listener: Listener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Stops the worker for good (app quit, server shutdown). */
  async close(): Promise<void> {
    this.closed = true
    this.listeners.clear()
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
    const step = this.runStep
    this.forward({
      type: 'failed',
      message:
        `The training worker stopped unexpectedly (${reason}). ` +
        (wasReady ? 'A fresh one has been started: start a new run.' : 'Restart Backprop Studio.'),
      step
    })
  }

  private forward(event: TrainingEvent): void {
    this.trackRun(event)
    for (const listener of this.listeners) listener(event)
  }

  private trackRun(event: TrainingEvent): void {
    if (event.type === 'started') this.runStep = 0
    else if (event.type === 'progress' && this.runStep !== null)
      this.runStep = event.metrics.at(-1)?.step ?? this.runStep
    else if (event.type === 'finished' || event.type === 'failed') this.runStep = null
  }
}
