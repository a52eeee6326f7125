// Records the current run from its TrainingEvents: saved at the start, every few seconds while it
// trains (status 'running'), at each live change of its settings, and when it ends. Writes happen one
// at a time, in order.

import { appendChanges, HealthHistory, liveChanges, type SettingChange } from '../../core'
import type {
  Divergence,
  RunEvaluation,
  RunPoint,
  RunRecord,
  RunStatus,
  TrainConfig,
  TrainingEvent
} from '../contract'
import { MetricSeries } from './metric-series'
import { defaultRunName, distinctRunName } from './run-name'
import type { RunStore } from './run-store'

/** A crash loses at most this much of a run's record. */
export const RUN_SAVE_INTERVAL_MS = 10_000

export interface RecorderOptions {
  readonly saveIntervalMs?: number
  /** Wall clock in ms; injectable for tests. */
  readonly now?: () => number
  /** Where write failures are reported (a full disk must not stop training). */
  readonly warn?: (message: string) => void
}

/** How a run ended, beyond its status. */
interface Ending {
  readonly status: RunStatus
  readonly failure: string | null
  readonly divergence: Divergence | null
}

const RUNNING: Ending = { status: 'running', failure: null, divergence: null }

/** The run being recorded. Times are the host's wall clock; pauses are excluded from the duration. */
interface ActiveRun {
  readonly id: string
  /** For a fork: the run and step it continues from. */
  readonly parent: RunPoint | null
  /** The name the learner gave it, or null: then its default name (settings, changes, a number). */
  chosenName: string | null
  /** Pinned by the learner while it trained (RunSummary.pinned). */
  pinned: boolean
  /** The default name as last made distinct from the other runs' names. */
  defaultName: string
  /** The default name must be made again (a new run, or a live change). */
  nameStale: boolean
  readonly startedAt: string
  /** As the run started. */
  readonly config: TrainConfig
  /** As it stands now, live changes included. */
  current: TrainConfig
  changes: readonly SettingChange[]
  readonly totalSteps: number
  readonly series: MetricSeries
  readonly evaluations: RunEvaluation[]
  /** The network's health samples, thinned as the Train view's panel thins them. */
  readonly health: HealthHistory
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
    return this.active ? this.snapshot(this.active, RUNNING) : null
  }

  record(event: TrainingEvent): void {
    const run = this.active
    switch (event.type) {
      case 'started':
        if (run) this.end(run, { ...RUNNING, status: 'interrupted' }) // NOTE: the worker always ends a run first; belt and braces
        this.begin(event, event.state === 'running')
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
      case 'updated':
        if (run) this.change(run, event.config, event.step + 1)
        break
      case 'health':
        if (run) run.health.push(event.sample) // saved with the next write (every few seconds)
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
        this.endTimed(run, event.elapsedSeconds, {
          ...RUNNING,
          status: event.reason === 'completed' ? 'completed' : 'stopped'
        })
        break
      case 'diverged':
        if (!run) break
        run.steps = Math.max(run.steps, event.divergence.step - 1)
        this.endTimed(run, event.elapsedSeconds, {
          ...RUNNING,
          status: 'diverged',
          divergence: event.divergence
        })
        break
      case 'failed':
        if (run) this.end(run, { ...RUNNING, status: 'failed', failure: event.message })
        break
      default:
        break // weights, resets, loaded models and evaluations on request are not part of a run's record
    }
  }

  /** Renames the run in progress (its next save carries the name). */
  rename(name: string): void {
    if (!this.active) return
    this.active.chosenName = name
    this.save(this.active, RUNNING)
  }

  /** Pins or unpins the run in progress (its next save carries it). */
  setPinned(pinned: boolean): void {
    if (!this.active) return
    this.active.pinned = pinned
    this.save(this.active, RUNNING)
  }

  /** Resolves when every write scheduled so far has finished. */
  idle(): Promise<void> {
    return this.writes
  }

  /** The app is closing: a run still in progress is saved as 'interrupted'. */
  async close(): Promise<void> {
    if (this.active) this.end(this.active, { ...RUNNING, status: 'interrupted' })
    await this.idle()
  }

  private begin(
    { runId: id, config, totalSteps, parent }: Extract<TrainingEvent, { type: 'started' }>,
    running: boolean
  ): void {
    const run: ActiveRun = {
      id,
      parent,
      chosenName: null,
      pinned: false,
      defaultName: defaultRunName(config),
      nameStale: true,
      startedAt: new Date(this.now()).toISOString(),
      config,
      current: config,
      changes: [],
      totalSteps,
      series: new MetricSeries(),
      evaluations: [],
      health: new HealthHistory(),
      steps: 0,
      accumulatedMs: 0,
      runningSince: running ? this.now() : null,
      dirty: false
    }
    this.active = run
    this.save(run, RUNNING) // so the runs list shows it at once
    const interval = this.options.saveIntervalMs ?? RUN_SAVE_INTERVAL_MS
    this.timer = setInterval(() => this.saveIfChanged(), interval)
    this.timer.unref() // NOTE: a pending save must not keep a closing process alive
  }

  /** A live change to `config`, trained from `fromStep` on: logged, named, saved at once. */
  private change(run: ActiveRun, config: TrainConfig, fromStep: number): void {
    run.changes = appendChanges(run.changes, liveChanges(run.current, config, fromStep))
    run.current = config
    run.nameStale = true
    this.save(run, RUNNING)
  }

  private endTimed(run: ActiveRun, elapsedSeconds: number, ending: Ending): void {
    run.accumulatedMs = elapsedSeconds * 1000 // the worker's own clock: exact, pauses excluded
    run.runningSince = null
    this.end(run, ending)
  }

  private end(run: ActiveRun, ending: Ending): void {
    this.setRunning(run, false)
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    this.active = null
    this.save(run, ending)
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
    this.save(run, RUNNING)
  }

  private snapshot(run: ActiveRun, { status, failure, divergence }: Ending): RunRecord {
    const running = run.runningSince === null ? 0 : this.now() - run.runningSince
    // NOTE: a failed or diverged run's last evaluation is of weights from before it went wrong: not a
    // final result.
    const final = status === 'failed' || status === 'diverged' ? undefined : run.evaluations.at(-1)
    return {
      id: run.id,
      name: run.chosenName ?? run.defaultName,
      status,
      startedAt: run.startedAt,
      durationSeconds: (run.accumulatedMs + running) / 1000,
      steps: run.steps,
      totalSteps: run.totalSteps,
      finalTestAccuracy: final?.accuracy ?? null,
      finalTestLoss: final?.loss ?? null,
      config: run.config,
      changes: run.changes.slice(),
      divergence,
      parent: run.parent,
      timeTravelDropped: false, // NOTE: a run in progress keeps its own checkpoints
      timeTravelThinned: null,
      pinned: run.pinned,
      metrics: run.series.values(),
      evaluations: run.evaluations.slice(),
      failure,
      health: run.health.values()
    }
  }

  /** Writes the run as it stands when its turn comes (after the writes before it). */
  private save(run: ActiveRun, ending: Ending): void {
    this.writes = this.writes
      .then(() => this.ready)
      .then(async () => {
        if (run.nameStale && run.chosenName === null) await this.nameDefault(run)
        await this.store.write(this.snapshot(run, ending))
      })
      .catch((error: unknown) =>
        this.warn(`Backprop Studio could not save run ${run.id}: ${String(error)}`)
      )
  }

  /** The default name, numbered when another recorded run has it already. */
  private async nameDefault(run: ActiveRun): Promise<void> {
    const { runs } = await this.store.list()
    const taken = runs.filter((other) => other.id !== run.id).map((other) => other.name)
    run.defaultName = distinctRunName(defaultRunName(run.config, run.changes), taken)
    run.nameStale = false
  }
}

function pick({ accuracy, loss }: { accuracy: number; loss: number }): {
  accuracy: number
  loss: number
} {
  return { accuracy, loss }
}
