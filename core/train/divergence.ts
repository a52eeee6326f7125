// When a run has diverged, and how that is told: the rule that watches each batch's loss, with its
// constants and the measurements behind them, and the error a diverged step throws. Pure.

import { formatValue } from '../number-format'
import type { HealthSample } from './health'
import type { StepMetrics } from './step-metrics'

/**
 * The batch loss is watched through a debiased exponential moving average over about 10 batches:
 *   aₜ = β·aₜ₋₁ + (1 − β)·Lₜ,   L̄ₜ = aₜ / (1 − βᵗ),   β = 0.9
 * so one unlucky batch does not count as an explosion, and a real one is caught within a few steps.
 */
export const DIVERGENCE_SMOOTHING = 0.9

/**
 * A run has exploded when its smoothed loss passes this many times its start (the first batch's loss,
 * or ln(classes), the loss of a uniform guess, if that is higher): about 23 on MNIST, where the right
 * digit gets an average probability of e⁻²³ ≈ 10⁻¹⁰. Only updates that overshoot get there.
 *
 * NOTE: measured on MNIST (npm run train, seeds 1–8): the largest smoothed loss ÷ start was 12–568 for
 * the seed preset at learning rate 10 and 13–606 with momentum 0.99 at lr 10, all caught; runs that
 * jump but recover stay under it (softmax regression at lr 3: ≤ 8.4, a sigmoid MLP with SGD at lr 5:
 * ≤ 7.0, the seed preset at lr 0.03–2: ≤ 3.7, Adam at lr 0.05: ≤ 3.7). A tanh MLP with SGD at lr 1
 * (10.7–15.3) is caught although it later recovers: its loss did explode, from 2.4 to over 50.
 */
export const EXPLOSION_FACTOR = 10

/** 'not-finite': the loss became NaN or ±∞; 'exploded': its smoothed value passed the limit. */
export type DivergenceKind = 'not-finite' | 'exploded'

/** Where and how a run diverged, as data (the window writes the sentence). */
export interface Divergence {
  readonly kind: DivergenceKind
  /** The step whose loss gave it away (1-based). */
  readonly step: number
  /** That step's batch loss, or null when it was not finite. */
  readonly loss: number | null
  /** The smoothed loss at that step, or null when it was not finite. */
  readonly smoothedLoss: number | null
  /** The smoothed loss the run could not pass: EXPLOSION_FACTOR × its start (null before any finite loss). */
  readonly limit: number | null
}

/** What a DivergenceWatch has seen: part of a trainer's state (a resumed run diverges where it would have). */
export interface DivergenceWatchState {
  readonly average: number
  readonly count: number
  readonly limit: number | null
}

/** Watches one run's batch losses in step order and says when, and how, it diverged. */
export class DivergenceWatch {
  private average = 0
  private count = 0
  private limitValue: number | null = null

  /** @param classes how many classes the model tells apart: ln(classes) is a uniform guess's loss. */
  constructor(private readonly classes: number) {}

  /** The smoothed loss a run may not pass (null until the first batch). */
  get limit(): number | null {
    return this.limitValue
  }

  get state(): DivergenceWatchState {
    return { average: this.average, count: this.count, limit: this.limitValue }
  }

  restore({ average, count, limit }: DivergenceWatchState): void {
    this.average = average
    this.count = count
    this.limitValue = limit
  }

  /** Takes the next batch's loss; returns the divergence it reveals, or null while all is well. */
  observe(step: number, loss: number): Divergence | null {
    if (!Number.isFinite(loss))
      return { kind: 'not-finite', step, loss: null, smoothedLoss: null, limit: this.limitValue }
    this.limitValue ??= EXPLOSION_FACTOR * Math.max(loss, Math.log(Math.max(2, this.classes)))
    const beta = DIVERGENCE_SMOOTHING
    this.average = beta * this.average + (1 - beta) * loss
    this.count++
    const smoothedLoss = this.average / (1 - beta ** this.count)
    if (smoothedLoss <= this.limitValue) return null
    return { kind: 'exploded', step, loss, smoothedLoss, limit: this.limitValue }
  }
}

/**
 * The divergence in one sentence, for logs and the command line; the window writes its own from the
 * data. "the loss exploded at step 4 (smoothed 27.1, over 10× its start): the learning rate is too
 * high for this network".
 */
export function describeDivergence(divergence: Divergence): string {
  const cause = 'the learning rate is too high for this network'
  if (divergence.kind === 'not-finite')
    return `the loss became infinite or NaN at step ${divergence.step}: ${cause}`
  const smoothed = formatValue(divergence.smoothedLoss) // a loss, written as the charts' tooltips write it
  return `the loss exploded at step ${divergence.step} (smoothed ${smoothed}, over ${EXPLOSION_FACTOR}× its start): ${cause}`
}

/**
 * A step diverged: the run cannot usefully continue. Thrown before the step's update, so the weights
 * are those that gave the loss. `metrics` is the step's own (null when its loss was not finite), so
 * a chart can still show where the loss exploded. `health` is the network measured on that step's
 * batch at those weights (health-probe.ts; no update ratios), so the layer to blame can be named.
 */
export class TrainingDivergedError extends Error {
  override name = 'TrainingDivergedError'
  constructor(
    readonly divergence: Divergence,
    readonly metrics: StepMetrics | null,
    readonly health: HealthSample | null = null
  ) {
    super(describeDivergence(divergence))
  }

  /** The step that diverged. */
  get step(): number {
    return this.divergence.step
  }
}
