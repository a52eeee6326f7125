// The contract of an optimizer: turn each parameter's gradient into an update of its values.

import type { Parameter } from '../nn/layer'

/** Updates parameters in place from their gradients. Hyperparameters may change between steps. */
export interface Optimizer {
  learningRate: number
  /** L2 penalty λ: adds λ·w to the gradient of every parameter that decays (weights, not biases). */
  weightDecay: number
  step(params: readonly Parameter[]): void
}

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
