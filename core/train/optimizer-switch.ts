// A fork that changes its optimizer (SGD ↔ SGD with momentum ↔ Adam): the state the parent's optimizer
// left, turned into one the child's optimizer can go on from.

import type { OptimizerConfig } from './config'
import { findSlot, type SlotValues, type TrainerState } from './trainer-state'

/**
 * What a fork keeps when it changes its optimizer, in words for the fork form (what carries over
 * from the parent's step; `switchOptimizer` does exactly this).
 */
export function optimizerSwitchNote(from: OptimizerConfig, to: OptimizerConfig): string {
  if (from.kind === to.kind)
    return from.kind === 'adam'
      ? "Adam's moments and step count go on."
      : 'The momentum velocity goes on (plain SGD keeps none).'
  if (to.kind === 'adam')
    return "The weights carry over; Adam starts fresh (its moments at 0, its step count at 1): SGD's velocity is not Adam's moment."
  return to.momentum > 0
    ? "The weights carry over, and Adam's average gradient becomes the momentum velocity; Adam's per-weight step sizes are dropped."
    : "The weights carry over; plain SGD keeps no optimizer state, so Adam's moments are dropped."
}

/**
 * The parent's state at the fork, for an optimizer of kind `to.kind` (the same state when it does
 * not change). The weights, the data order, the random streams and the schedule always carry over;
 * the optimizer's own state is mapped:
 *
 *   SGD → Adam:     m ← 0, v ← 0, t ← 0 (Adam starts fresh).
 *     NOTE: the heavy-ball velocity is not Adam's first moment: v_sgd = Σₖ μᵏ·g (a sum, ≈ g/(1 − μ)),
 *     m = (1 − β1)·Σₖ β1ᵏ·g (an average, ≈ g); and Adam divides by √v̂, a second moment SGD never kept.
 *     A carried m over a zero v would step lr·m̂/ε per weight: an explosion. From zero, the bias
 *     corrections (1 − β1ᵗ, 1 − β2ᵗ with t from 1 again) make the first step about lr per weight, as
 *     at the start of any Adam run.
 *   Adam → SGD with momentum μ > 0:   v_sgd ← m̂ / (1 − μ),   m̂ = m / (1 − β1ᵗ)
 *     the velocity that a steady gradient m̂ builds under heavy-ball momentum (the fixed point of
 *     v ← μ·v + m̂), so the run goes on in the direction Adam was averaging, at SGD's own scale lr·v.
 *     Adam's second moment is dropped: SGD has no per-weight step size.
 *   Adam → plain SGD (μ = 0): no optimizer state (plain SGD keeps none).
 */
export function switchOptimizer(
  state: TrainerState,
  from: OptimizerConfig,
  to: OptimizerConfig
): TrainerState {
  if (from.kind !== state.optimizerKind)
    throw new RangeError(`the state was taken with ${state.optimizerKind}, not ${from.kind}`)
  if (from.kind === to.kind) return state
  if (to.kind === 'adam')
    return { ...state, optimizerKind: 'adam', optimizerSteps: 0, momentum: null, slots: [] }
  if (from.kind !== 'adam') throw new RangeError('unreachable: two optimizer kinds')
  const mu = to.momentum
  const correction = 1 - from.beta1 ** state.optimizerSteps
  const slots: SlotValues[] =
    mu === 0 || state.optimizerSteps === 0
      ? []
      : state.parameters.flatMap(({ name }) => {
          const m = findSlot(state, 'adam.m', name)
          if (!m) return []
          const velocity = new Float32Array(m.length)
          for (let i = 0; i < m.length; i++) velocity[i] = m[i] / correction / (1 - mu)
          return [{ slot: 'velocity' as const, name, data: velocity }]
        })
  return { ...state, optimizerKind: 'sgd', optimizerSteps: 0, momentum: mu, slots }
}
