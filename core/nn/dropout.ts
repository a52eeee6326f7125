// Dropout: while training, each value is dropped with probability `rate` and the rest scaled up.

import type { Rng } from '../random'
import { type Matrix, MatrixBuffer } from '../tensor/matrix'
import type { Layer, Parameter } from './layer'

/**
 * Inverted dropout (Srivastava et al., 2014), with keep probability q = 1 − rate:
 *   training:    m ~ Bernoulli(q) per value,  y = x ⊙ m / q,   dx = dy ⊙ m / q
 *   evaluation:  y = x,  dx = dy
 * NOTE: "inverted" because the 1/q scaling happens while training, so that E[y] = x and evaluation,
 * prediction and every explanation run the plain network, with nothing to rescale. The mask is drawn
 * from the seeded `rng`, so a run is reproducible step for step.
 */
export class Dropout implements Layer {
  /** m / q for the last training pass: 0 for dropped values, 1/q for kept ones. */
  private mask = new Float32Array(0)
  private lastWasTraining = false
  private readonly output = new MatrixBuffer()
  private readonly inputGrad = new MatrixBuffer()

  constructor(
    readonly name: string,
    readonly rate: number,
    private readonly rng: Rng
  ) {}

  forward(x: Matrix, training = false): Matrix {
    this.lastWasTraining = training && this.rate > 0
    if (!this.lastWasTraining) return x
    const size = x.data.length
    if (this.mask.length < size) this.mask = new Float32Array(size)
    const scale = 1 / (1 - this.rate)
    const y = this.output.take(x.rows, x.cols)
    for (let i = 0; i < size; i++) {
      this.mask[i] = this.rng() < this.rate ? 0 : scale
      y.data[i] = x.data[i] * this.mask[i]
    }
    return y
  }

  backward(dy: Matrix): Matrix {
    if (!this.lastWasTraining) return dy
    const dx = this.inputGrad.take(dy.rows, dy.cols)
    for (let i = 0; i < dy.data.length; i++) dx.data[i] = dy.data[i] * this.mask[i]
    return dx
  }

  parameters(): Parameter[] {
    return []
  }
}
