// The contract of an optimizer: turn each parameter's gradient into an update of its values.

import type { Parameter } from '../nn/layer'
import type { FusedUpdate } from './fused-update'

/**
 * Updates parameters in place from their gradients. The optimizer is the one owner of its
 * hyperparameters (learning rate, momentum): a trainer changes them here between steps, and reads them
 * back from here.
 */
export interface Optimizer {
  learningRate: number
  /** L2 penalty λ: adds λ·w to the gradient of every parameter that decays (weights, not biases). */
  weightDecay: number
  /** SGD's momentum μ; absent on optimizers that have no such setting. */
  momentum?: number
  /** The per-parameter buffers this optimizer keeps (its slots), for checkpoints: see `slot`. */
  readonly slotNames: readonly SlotName[]
  /**
   * Adam's step count t (the bias corrections depend on it); absent on optimizers whose rule does not
   * count steps. Settable so a restored trainer goes on from the same t.
   */
  stepCount?: number
  step(params: readonly Parameter[]): void
  /** Slot `name`'s buffer for `p` (same size, zero-filled at first use): read it, or fill it to restore. */
  slot(name: SlotName, p: Parameter): Float32Array
  /**
   * Takes one step the way the fast engine applies it: returns this step's rule for the engine's
   * kernels instead of updating parameters (and advances the optimizer's own step count, as `step`
   * does). Optional: the engine calls `step` on its working copies of the parameters without it.
   */
  fusedStep?(): FusedUpdate
}

/**
 * The optimizers' per-parameter state: SGD's velocity v, Adam's first moment m and second moment v.
 * NOTE: the fast engine keeps the same two buffers per parameter (its "moment" and "squares"), so a
 * slot means the same numbers on both engines.
 */
export type SlotName = 'velocity' | 'adam.m' | 'adam.v'

/** g + λ·w for parameters that decay, g otherwise: the gradient of L + (λ/2)·‖w‖². */
export function decayedGradient(p: Parameter, i: number, weightDecay: number): number {
  return p.decays && weightDecay !== 0 ? p.grad[i] + weightDecay * p.data[i] : p.grad[i]
}

/** Per-parameter state (momentum buffers, moments), created lazily with the parameter's size. */
export class ParameterState {
  private readonly buffers = new Map<Parameter, Float32Array>()

  get(p: Parameter): Float32Array {
    let buffer = this.buffers.get(p)
    if (!buffer) this.buffers.set(p, (buffer = new Float32Array(p.data.length)))
    return buffer
  }
}
