// Exponential moving averages for noisy per-batch curves (loss, accuracy). Pure: no DOM, no Vue.

import type { Point } from './series'

/** Running state of a debiased EMA: the raw average and how many values it has seen. */
export interface EmaState {
  readonly average: number
  readonly count: number
}

export const EMPTY_EMA: EmaState = { average: 0, count: 0 }

/**
 * Adds one value: aₜ = β·aₜ₋₁ + (1 − β)·xₜ, starting from a₀ = 0.
 * Read it through `emaValue`, which divides by (1 − βᵗ) so early values are not pulled towards 0
 * (the same correction Adam and TensorBoard use).
 */
export function emaPush(state: EmaState, value: number, beta: number): EmaState {
  return { average: beta * state.average + (1 - beta) * value, count: state.count + 1 }
}

/** The debiased average, or NaN before any value arrived. */
export function emaValue(state: EmaState, beta: number): number {
  if (state.count === 0) return Number.NaN
  return state.average / (1 - beta ** state.count)
}

/** Smooths a whole series at once (handy for tests and for re-smoothing with another β). */
export function emaSeries(values: readonly number[], beta: number): number[] {
  let state = EMPTY_EMA
  return values.map((value) => {
    state = emaPush(state, value, beta)
    return emaValue(state, beta)
  })
}

/**
 * A smoothing factor that suits a run's length: averages over roughly 2% of the run,
 * never fewer than 5 batches nor more than 100 (β = 1 − 1/window).
 */
export function smoothingFor(totalSteps: number): number {
  const window = Math.min(100, Math.max(5, Math.round(totalSteps / 50)))
  return 1 - 1 / window
}

/**
 * Re-smooths a drawn curve with another β (the chart's smoothing slider). The curve may be thinned
 * (every stride-th step kept), so a point Δ steps after the previous one weighs as Δ steps would:
 * aₙ = βᐞ·aₙ₋₁ + (1 − βᐞ)·yₙ with ᐞ = Δx, debiased by the total weight wₙ = βᐞ·wₙ₋₁ + (1 − βᐞ).
 * β = 0 returns the curve as it is.
 */
export function emaPoints(points: readonly Point[], beta: number): Point[] {
  let average = 0
  let weight = 0
  let previousX = Number.NaN
  return points.map((p) => {
    const gap = Number.isNaN(previousX) ? 1 : Math.max(1, p.x - previousX)
    const keep = beta ** gap
    average = keep * average + (1 - keep) * p.y
    weight = keep * weight + (1 - keep)
    previousX = p.x
    return { x: p.x, y: weight > 0 ? average / weight : p.y }
  })
}
