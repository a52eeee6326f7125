// Stochastic gradient descent, optionally with (heavy-ball) momentum.

import type { Parameter } from '../nn/layer'
import type { FusedSgd } from './fused-update'
import { decayedGradient, ParameterState, type Optimizer, type SlotName } from './optimizer'

export interface SgdOptions {
  learningRate: number
  /** μ in [0, 1): 0 is plain SGD, 0.9 is the classic momentum value. */
  momentum?: number
  weightDecay?: number
}

/**
 * Plain SGD (μ = 0):      w ← w − lr·g
 * With momentum μ > 0:    v ← μ·v + g
 *                         w ← w − lr·v
 * (PyTorch's form: the velocity is in gradient units, so changing lr mid-run takes effect at once.)
 */
export class Sgd implements Optimizer {
  learningRate: number
  momentum: number
  weightDecay: number
  readonly slotNames: readonly SlotName[] = ['velocity']
  private readonly velocity = new ParameterState()

  constructor({ learningRate, momentum = 0, weightDecay = 0 }: SgdOptions) {
    this.learningRate = learningRate
    this.momentum = momentum
    this.weightDecay = weightDecay
  }

  step(params: readonly Parameter[]): void {
    const lr = this.learningRate
    const mu = this.momentum
    for (const p of params) {
      const w = p.data
      if (mu === 0) {
        for (let i = 0; i < w.length; i++) w[i] -= lr * decayedGradient(p, i, this.weightDecay)
        continue
      }
      const v = this.velocity.get(p)
      for (let i = 0; i < w.length; i++) {
        v[i] = mu * v[i] + decayedGradient(p, i, this.weightDecay)
        w[i] -= lr * v[i]
      }
    }
  }

  slot(_name: SlotName, p: Parameter): Float32Array {
    return this.velocity.get(p)
  }

  /** The same rule for the fast engine's kernels (sgd, sgd_momentum in core/wasm/kernels.wat). */
  fusedStep(): FusedSgd {
    const { learningRate, momentum, weightDecay } = this
    return { rule: 'sgd', learningRate, momentum, weightDecay }
  }
}
