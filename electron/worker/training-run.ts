// One run's loop: steps the Trainer, paces progress / weight / evaluation events, obeys pause, stop and
// the run's pace (steps per second, 'auto', or null = full speed).

import {
  type Dataset,
  evaluateOnEngine,
  type Evaluation,
  firstLayerSnapshot,
  liveChanges,
  type StepMetrics,
  type StepTrainer,
  TrainingDivergedError
} from '../../core'
import type { AutoPause, ControlCommand, LiveUpdate, Pace, TrainingEvent } from '../contract'
import { HealthMonitor } from './health-monitor'
import { summarize } from './model-views'
import { resolvePace } from './pace'
import type { RunCheckpoints } from './time-travel'
import { RunControl } from './run-control'
import { EMIT_INTERVAL_MS, snapshotIntervalMs, Stopwatch, Throttle, type Clock } from './throttle'

export type Emit = (event: TrainingEvent) => void
/** Receives each full evaluation the run makes (the session caches it for queries about these weights). */
export type OnEvaluated = (evaluation: Evaluation) => void

/** Lets queued messages (pause, stop, predict) run: setImmediate comes after the event loop's poll phase. */
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

export interface RunOptions {
  /** Start paused (Step from idle). */
  readonly paused: boolean
  readonly pace: Pace
  /** Pause by itself on a NaN loss, an exploding gradient or a dead layer (health-monitor.ts). */
  readonly autoPause: boolean
  /** Where the run's checkpoints are kept (time travel), if anywhere. */
  readonly checkpoints?: RunCheckpoints
}

export class TrainingRun {
  readonly control: RunControl
  private readonly pending: StepMetrics[] = []
  private readonly metricsThrottle: Throttle
  private readonly snapshotThrottle: Throttle
  private readonly stopwatch: Stopwatch
  private readonly health: HealthMonitor
  private lastSnapshotStep = -1
  private lastEvaluatedStep = 0
  /** The pace in steps per second (an 'auto' pace resolved for this run), or null: full speed. */
  private stepsPerSecond: number | null
  /** When the next paced step may start (clock time); unused at full speed. */
  private nextStepAt = 0
  private readonly checkpoints: RunCheckpoints | null

  constructor(
    private readonly trainer: StepTrainer,
    private readonly testSet: Dataset,
    private readonly emit: Emit,
    { paused, pace, autoPause, checkpoints }: RunOptions,
    private readonly onEvaluated: OnEvaluated = () => undefined,
    private readonly clock: Clock = () => performance.now()
  ) {
    this.control = new RunControl(paused)
    this.checkpoints = checkpoints ?? null
    this.stepsPerSecond = resolvePace(pace, trainer.totalSteps)
    this.metricsThrottle = new Throttle(EMIT_INTERVAL_MS, clock)
    this.snapshotThrottle = new Throttle(
      snapshotIntervalMs(trainer.model.firstWeightedLayer.weight.data.byteLength),
      clock
    )
    this.stopwatch = new Stopwatch(clock)
    this.health = new HealthMonitor(trainer, emit, autoPause, clock)
  }

  /** Time spent training so far, pauses excluded. */
  get elapsedSeconds(): number {
    return this.stopwatch.seconds
  }

  /** Pause / resume / step / stop. A visible state change is announced after the pending metrics. */
  apply(command: ControlCommand): void {
    if (!this.control.apply(command)) return
    this.flushProgress()
    this.emit({ type: 'state', state: this.control.state })
  }

  /** Live change. Momentum first: it throws for Adam before anything has changed. */
  update(update: LiveUpdate): void {
    if (update.autoPause !== undefined) this.health.autoPause = update.autoPause
    const before = this.trainer.config
    if (update.momentum !== undefined) this.trainer.setMomentum(update.momentum)
    if (update.learningRate !== undefined) this.trainer.setLearningRate(update.learningRate)
    // The first step trained with the new values is the next one: a replay makes the change there.
    const next = this.trainer.stepsCompleted + 1
    this.checkpoints?.noteChanges(liveChanges(before, this.trainer.config, next))
    if (update.pace !== undefined) {
      this.stepsPerSecond = resolvePace(update.pace, this.trainer.totalSteps)
      this.nextStepAt = 0 // the new pace starts now, not after the old one's wait
      this.control.nudge() // a paced wait ends early and re-reads the pace
    }
    if (update.learningRate !== undefined || update.momentum !== undefined) {
      // The steps trained with the old settings are told first, so the change lands at its step.
      this.flushProgress()
      this.emit({ type: 'updated', config: this.trainer.config, step: this.trainer.stepsCompleted })
    }
  }

  /**
   * Runs to completion, stop, divergence or failure; always ends with exactly one `finished`,
   * `diverged` or `failed` event.
   * NOTE: a diverged run stops (core/train/divergence.ts): once its loss has exploded, its weights are
   * wrecked (ReLUs dead or weights huge), so further steps teach nothing, and a "finished" run with 10%
   * accuracy would read as the config's result rather than the explosion's. The record, the CSV and
   * the chart end at the step that diverged, where the cause is. With auto-pause on, the run first
   * pauses there, naming the layer to blame, and ends as diverged at the learner's next command.
   */
  async run(): Promise<void> {
    try {
      this.emitSnapshot() // the initial weights, so the heatmaps show where training starts
      this.checkpoints?.keep(this.trainer)
      await this.loop()
      this.flushProgress()
      this.emitSnapshot()
      // The final model is worth one evaluation, unless the last one was of this very step.
      if (this.trainer.stepsCompleted > this.lastEvaluatedStep) this.emitEvaluation()
      this.stopwatch.stop()
      await this.saveCheckpoints()
      this.emit({
        type: 'finished',
        reason: this.control.stopping ? 'stopped' : 'completed',
        step: this.trainer.stepsCompleted,
        elapsedSeconds: this.stopwatch.seconds
      })
    } catch (error) {
      // The step that diverged is drawn too (when its loss was finite): the chart shows the explosion.
      if (error instanceof TrainingDivergedError && error.metrics) this.pending.push(error.metrics)
      this.flushProgress()
      // The weights as the run left them (after a divergence: grown huge, the colour scale shows how
      // huge); a failure to read them must not hide the failure itself.
      try {
        this.emitSnapshot()
      } catch {
        // NOTE: nothing to show; the event below says what happened.
      }
      this.stopwatch.stop()
      if (error instanceof TrainingDivergedError) {
        const pause = this.health.diverged(error)
        if (pause) {
          this.pauseFor(pause)
          await this.control.changed() // whatever comes next (resume, step, stop), the run is over
        }
        await this.saveCheckpoints()
        this.emit({
          type: 'diverged',
          divergence: error.divergence,
          elapsedSeconds: this.stopwatch.seconds
        })
        return
      }
      await this.saveCheckpoints()
      this.emit({
        type: 'failed',
        message: error instanceof Error ? error.message : String(error),
        step: this.trainer.stepsCompleted
      })
    }
  }

  /**
   * Writes the run's last checkpoints before its end is announced.
   * NOTE: once the host hears the end, the learner may Clear the time-travel data or delete the run; a
   * save still in flight then would put the file back after it was deleted (an orphan, or "cleared"
   * data that is still there).
   */
  private async saveCheckpoints(): Promise<void> {
    await this.checkpoints?.saver?.finish()
  }

  private async loop(): Promise<void> {
    while (!this.trainer.done) {
      const permit = this.control.take()
      if (permit === 'stop') return
      if (permit === 'wait') {
        this.stopwatch.stop()
        this.flushProgress()
        this.emitSnapshot() // paused: the learner studies the weights now, so they match the step shown
        await this.control.changed()
        continue
      }
      if (permit === 'run' && (await this.waitForPace())) continue
      this.stopwatch.start()
      // While paused, the one requested step must show at once, not on the next tick.
      const single = permit === 'single'
      this.health.beforeStep(single)
      const metrics = this.trainer.step()
      this.pending.push(metrics)
      this.checkpoints?.keep(this.trainer)
      const pause = this.health.afterStep()
      const flushed = single || this.metricsThrottle.due
      if (flushed) this.flushProgress()
      if (single || this.snapshotThrottle.due) this.emitSnapshot()
      if (pause) this.pauseFor(pause)
      if (this.evaluationDue(metrics.step)) {
        this.flushProgress()
        this.emitEvaluation()
      }
      if (flushed) await yieldToEventLoop()
    }
  }

  /**
   * At a set pace, waits until the next step is due. Returns true when the wait was cut short by a
   * command (pause, stop, a new pace), so the loop decides again before stepping.
   * NOTE: the metrics, the weights and the wall-clock stopwatch keep going while it waits; only the
   * steps are spread out, so a slowed run computes exactly what a full-speed run computes.
   */
  private async waitForPace(): Promise<boolean> {
    if (this.stepsPerSecond === null) return false
    const now = this.clock()
    const due = Math.max(this.nextStepAt, now)
    this.nextStepAt = due + 1000 / this.stepsPerSecond
    if (due <= now) return false
    // The throttles still decide: at 100 steps/s, a message per step would be 10× the UI's budget.
    if (this.metricsThrottle.due) this.flushProgress()
    if (this.snapshotThrottle.due) this.emitSnapshot()
    const interrupted = await Promise.race([
      sleep(due - now).then(() => false),
      this.control.changed().then(() => true)
    ])
    if (interrupted) this.nextStepAt = 0
    return interrupted
  }

  /** Auto-pause: says why (after the steps so far and the weights there), then pauses. */
  private pauseFor(pause: AutoPause): void {
    this.flushProgress()
    this.emitSnapshot()
    this.emit({ type: 'autoPaused', pause })
    this.apply('pause')
  }

  private evaluationDue(step: number): boolean {
    const every = this.trainer.config.evaluateEvery
    return this.trainer.atEpochEnd || (every > 0 && step % every === 0)
  }

  private flushProgress(): void {
    if (this.pending.length === 0) return
    this.emit({ type: 'progress', metrics: this.pending.splice(0) })
    this.metricsThrottle.mark()
  }

  private emitSnapshot(): void {
    const step = this.trainer.stepsCompleted
    if (step === this.lastSnapshotStep) return
    this.emit({ type: 'weights', snapshot: firstLayerSnapshot(this.trainer.model, step) })
    this.lastSnapshotStep = step
    this.snapshotThrottle.mark()
  }

  private emitEvaluation(): void {
    const step = this.trainer.stepsCompleted
    // NOTE: synchronous, so control messages wait for it; on the fast engine the MLP's 10 000 test
    // images take ~40 ms (the reference layers: ~0.6 s).
    const evaluation = evaluateOnEngine(this.trainer.model, this.testSet)
    this.onEvaluated(evaluation)
    this.emit({
      type: 'evaluation',
      step,
      epoch: this.epochOf(step),
      evaluation: summarize(evaluation)
    })
    this.lastEvaluatedStep = step
  }

  private epochOf(step: number): number {
    return Math.max(1, Math.ceil(step / this.trainer.stepsPerEpoch))
  }
}
