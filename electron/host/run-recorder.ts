// Records the current run from its TrainingEvents: saved at the start, every few seconds while it
// trains (status 'running'), and when it ends. Writes happen one at a time, in order.

import { describeArchitecture } from '../../core'
import type { RunEvaluation, RunRecord, RunStatus, TrainConfig, TrainingEvent } from '../contract'
import { MetricSeries } from './metric-series'
import type { RunStore } from './run-store'

/** A crash loses at most this much of a run's record. */
export const RUN_SAVE_INTERVAL_MS = 10_000

/** The default name of a run, e.g. "784 → 10 ReLU → 10 · SGD 0.03". */
export function defaultRunName(config: TrainConfig): string {
  const optimizer = config.optimizer.kind === 'sgd' ? 'SGD' : 'Adam'
  return `${describeArchitecture(config.architecture)} · ${optimizer} ${config.learningRate}`
}

export interface RecorderOptions {
  readonly saveIntervalMs?: number
  /** Wall clock in ms; injectable for tests. */
  readonly now?: () => number
  /** Where write failures are reported (a full disk must not stop training). */
  readonly warn?: (message: string) => void
}

/** The run being recorded. Times are the host's wall clock; pauses are excluded from the duration. */
interface ActiveRun {
  readonly id: string
  name: string
  readonly startedAt: string
  readonly config: TrainConfig
  readonly totalSteps: number
  readonly series: MetricSeries
  readonly evaluations: RunEvaluation[]
  steps: number
  accumulatedMs: number
  runningSince: number | null
  dirty: boolean
}

export class RunRecorder {
  private active: ActiveRun | null = null
  private writes: Promise<void> = Promise.resolve()
  private timer: ReturnType<typeof setInterval> | null = null
  private readonly now: () => number
  private readonly warn: (message: string) => void

  /** @param ready resolves when the store may be written (after the start-up sweep of old records). */
  constructor(
    private readonly store: RunStore,
    private readonly ready: Promise<void>,
    private readonly options: RecorderOptions = {}
  ) {
    this.now = options.now ?? (() => Date.now())
    this.warn = options.warn ?? ((message) => console.warn(message))
  }

  get activeId(): string | null {
    return this.active?.id ?? null
  }

  /** The run in progress as a record (fresher than its file), or null. */
  activeRecord(): RunRecord | null {
    return this.active ? this.snapshot(this.active, 'running', null) : null
  }

  record(event: TrainingEvent): void {
    const run = this.active
    switch (event.type) {
      case 'started':
        if (run) this.end(run, 'interrupted', null) // NOTE: the worker always ends a run first; belt and braces
        this.begin(event.runId, event.config, event.totalSteps, event.state === 'running')
        break
      case 'progress':
        if (!run) break
        for (const metrics of event.metrics) run.series.push(metrics)
        run.steps = event.metrics.at(-1)?.step ?? run.steps
        run.dirty = true
        break
      case 'state':
        if (run) this.setRunning(run, event.state === 'running')
        break
      case 'evaluation':
        // NOTE: JSON has no Infinity or NaN; a near-diverged model's infinite test loss is not kept.
        if (!run || !Number.isFinite(event.evaluation.loss)) break
        run.evaluations.push({ step: event.step, epoch: event.epoch, ...pick(event.evaluation) })
        run.dirty = true
        break
      case 'finished':
        if (!run) break
        run.steps = event.step
        run.accumulatedMs = event.elapsedSeconds * 1000 // the worker's own clock: exact, pauses excluded
        run.runningSince = null
        this.end(run, event.reason, null)
        break
      case 'failed':
        if (run) this.end(run, 'failed', event.message)
        break
      default:
        break // weights, resets, loaded models and evaluations on request are not part of a run's record
    }
  }

  /** Renames the run in progress (its next save carries the name). */
  rename(name: string): void {
    if (!this.active) return
    this.active.name = name
    this.save(this.snapshot(this.active, 'running', null))
  }

  /** Resolves when every write scheduled so far has finished. */
  idle(): Promise<void> {
    return this.writes
  }

  /** The app is closing: a run still in progress is saved as 'interrupted'. */
  async close(): Promise<void> {
    if (this.active) this.end(this.active, 'interrupted', null)
    await this.idle()
  }

  private begin(id: string, config: TrainConfig, totalSteps: number, running: boolean): void {
    const run: ActiveRun = {
      id,
      name: defaultRunName(config),
      startedAt: new Date(this.now()).toISOString(),
      config,
      totalSteps,
      series: new MetricSeries(),
      evaluations: [],
      steps: 0,
      accumulatedMs: 0,
      runningSince: running ? this.now() : null,
      dirty: false
    }
    this.active = run
    this.save(this.snapshot(run, 'running', null)) // so the runs list shows it at once
    const interval = this.options.saveIntervalMs ?? RUN_SAVE_INTERVAL_MS
    this.timer = setInterval(() => this.saveIfChanged(), interval)
    this.timer.unref() // NOTE: a pending save must not keep a closing process alive
  }

  private end(run: ActiveRun, status: RunStatus, failure: string | null): void {
    this.setRunning(run, false)
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    this.active = null
    this.save(this.snapshot(run, status, failure))
  }

  private setRunning(run: ActiveRun, running: boolean): void {
    if (running) run.runningSince ??= this.now()
    else if (run.runningSince !== null) {
      run.accumulatedMs += this.now() - run.runningSince
      run.runningSince = null
    }
  }

  private saveIfChanged(): void {
    const run = this.active
    if (!run?.dirty) return
    run.dirty = false
    this.save(this.snapshot(run, 'running', null))
  }

  private snapshot(run: ActiveRun, status: RunStatus, failure: string | null): RunRecord {
    const running = run.runningSince === null ? 0 : this.now() - run.runningSince
    // NOTE: a failed run's last evaluation is of weights from before it diverged: not a final result.
    const final = status === 'failed' ? undefined : run.evaluations.at(-1)
    return {
      id: run.id,
      name: run.name,
      status,
      startedAt: run.startedAt,
      durationSeconds: (run.accumulatedMs + running) / 1000,
      steps: run.steps,
      totalSteps: run.totalSteps,
      finalTestAccuracy: final?.accuracy ?? null,
      finalTestLoss: final?.loss ?? null,
      config: run.config,
      metrics: run.series.values(),
      evaluations: run.evaluations.slice(),
      failure
    }
  }

  private save(record: RunRecord): void {
    this.writes = this.writes
      .then(() => this.ready)
      .then(() => this.store.write(record))
      .catch((error: unknown) =>
        this.warn(`Backprop Studio could not save run ${record.id}: ${String(error)}`)
      )
  }
}

function pick({ accuracy, loss }: { accuracy: number; loss: number }): {
  accuracy: number
  loss: number
} {
  return { accuracy, loss }
}
