// Adam: per-parameter step sizes from running averages of the gradient and its square.

import type { Parameter } from '../nn/layer'
import type { FusedAdam } from './fused-update'
import { decayedGradient, ParameterState, type Optimizer, type SlotName } from './optimizer'

export interface AdamOptions {
  learningRate: number
  beta1?: number
  beta2?: number
  epsilon?: number
  weightDecay?: number
}

/**
 * Adam (Kingma & Ba, 2015). Per parameter, at step t = 1, 2, …:
 *   m ← β1·m + (1 − β1)·g
 *   v ← β2·v + (1 − β2)·g²
 *   w ← w − lr · m̂ / (√v̂ + ε),   m̂ = m / (1 − β1ᵗ),  v̂ = v / (1 − β2ᵗ)
 * The bias corrections m̂, v̂ undo the zero start of m and v during the first steps.
 */
export class Adam implements Optimizer {
  learningRate: number
  weightDecay: number
  readonly beta1: number
  readonly beta2: number
  readonly epsilon: number
  readonly slotNames: readonly SlotName[] = ['adam.m', 'adam.v']
  /** t: the steps taken so far. */
  stepCount = 0
  private readonly firstMoment = new ParameterState()
  private readonly secondMoment = new ParameterState()

  constructor({
    learningRate,
    beta1 = 0.9,
    beta2 = 0.999,
    epsilon = 1e-8,
    weightDecay = 0
  }: AdamOptions) {
    this.learningRate = learningRate
    this.beta1 = beta1
    this.beta2 = beta2
    this.epsilon = epsilon
    this.weightDecay = weightDecay
  }

  step(params: readonly Parameter[]): void {
    const { learningRate: lr, beta1, beta2, epsilon: eps } = this
    const { c1, c2 } = this.nextCorrections()
    for (const p of params) {
      const w = p.data
      const m = this.firstMoment.get(p)
      const v = this.secondMoment.get(p)
      for (let i = 0; i < w.length; i++) {
        const g = decayedGradient(p, i, this.weightDecay)
        m[i] = beta1 * m[i] + (1 - beta1) * g
        v[i] = beta2 * v[i] + (1 - beta2) * g * g
        w[i] -= (lr * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + eps)
      }
    }
  }

  slot(name: SlotName, p: Parameter): Float32Array {
    return (name === 'adam.m' ? this.firstMoment : this.secondMoment).get(p)
  }

  /** The same rule for the fast engine's kernel (adam in core/wasm/kernels.wat), at the next step t. */
  fusedStep(): FusedAdam {
    const { learningRate, beta1, beta2, epsilon, weightDecay } = this
    const { c1, c2 } = this.nextCorrections()
    return {
      rule: 'adam',
      learningRate,
      beta1,
      beta2,
      epsilon,
      weightDecay,
      correction1: c1,
      correction2: c2
    }
  }

  /** t ← t + 1, and that step's bias corrections c1 = 1 − β1ᵗ, c2 = 1 − β2ᵗ. */
  private nextCorrections(): { c1: number; c2: number } {
    const t = ++this.stepCount
    return { c1: 1 - this.beta1 ** t, c2: 1 - this.beta2 ** t }
  }
}
