// One run's health watch in the worker: which steps measure the network (core/train/health-probe.ts),
// sending each sample, and deciding when the run must pause itself (auto-pause) and why.

import { HealthWatch, type StepTrainer, type TrainingDivergedError } from '../../core'
import type { AutoPause, TrainingEvent } from '../contract'
import { SNAPSHOT_INTERVAL_MS, type Clock } from './throttle'

/**
 * The health is measured at the weight snapshots' cadence, and at most this share of the training
 * time: a measured step is followed by at least (its cost ÷ this) ms of unmeasured ones.
 * PERF: a measurement is one forward + backward pass of the reference layers on the batch. Measured
 * with 8 other engineers' jobs on 2 cores (load 16): +1.3 ms (seed, reference), +4 ms (seed, fast),
 * +13 ms (MLP, fast), +370 ms (LeNet, fast: its conv layers on the reference engine), against steps of
 * 1.1, 0.14, 0.5 and 11 ms. At 500 ms, LeNet would lose 40 % of its speed; so it is measured about
 * every 7 s instead, and the dense nets every 500 ms (≤ 3 %).
 */
export const HEALTH_COST_SHARE = 0.05

export class HealthMonitor {
  private readonly watch = new HealthWatch()
  /** Clock time from which the next step is measured (0: the first step is). */
  private dueAt = 0
  /** When the step being measured began; null when the current step is not measured. */
  private measuringSince: number | null = null
  /** What the last few measured steps cost (ms), the first left out; see afterStep. */
  private readonly costs: number[] = []
  private measured = 0

  constructor(
    private readonly trainer: StepTrainer,
    private readonly emit: (event: TrainingEvent) => void,
    /** Pause the run on an alarm (the learner's setting, which may change mid-run). */
    public autoPause: boolean,
    private readonly clock: Clock
  ) {}

  /** Before a step: asks it to measure the network when one is due (and on every single step). */
  beforeStep(single: boolean): void {
    const now = this.clock()
    if (!single && now < this.dueAt) return
    this.trainer.requestHealth()
    this.measuringSince = now
  }

  /** After a step: sends what it measured; returns why the run must pause now, or null. */
  afterStep(): AutoPause | null {
    if (this.measuringSince === null) return null
    const now = this.clock()
    // NOTE: the first measured steps also pay for warming up (the probe's code is compiled only after
    // a few runs of it, and the run's first step for everything else), 10–100× a later one; and one
    // slow step on a busy machine is not the probe's cost. So the cheapest of the last three counts,
    // once there are three (the run's first step left out); until then, the snapshot cadence.
    if (this.measured++ > 0) this.costs.push(now - this.measuringSince)
    if (this.costs.length > 3) this.costs.shift()
    const cost = this.costs.length === 3 ? Math.min(...this.costs) : 0
    this.dueAt = now + Math.max(SNAPSHOT_INTERVAL_MS, cost / HEALTH_COST_SHARE)
    this.measuringSince = null
    const sample = this.trainer.lastHealth
    if (!sample) return null
    this.emit({ type: 'health', sample })
    const alarm = this.watch.observe(sample)
    return alarm && this.autoPause ? { alarm, image: this.trainer.lastBatchImage() } : null
  }

  /**
   * A step whose loss diverged (measured there by the trainer): sends its sample, and returns the pause
   * that names the layer to blame, or null with auto-pause off.
   */
  diverged(error: TrainingDivergedError): AutoPause | null {
    const sample = error.health
    if (!sample) return null
    this.emit({ type: 'health', sample })
    const alarm = this.watch.culprit(sample, error.divergence)
    return this.autoPause ? { alarm, image: this.trainer.lastBatchImage() } : null
  }
}
