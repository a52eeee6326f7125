// The fully connected (dense, linear) layer: y = x·Wᵀ + b.

import { assertCols, type Matrix, MatrixBuffer } from '../tensor/matrix'
import { matmulAB, matmulABt, matmulAtBAccumulate } from '../tensor/matmul'
import type { Rng } from '../random'
import { initialiseWeights, type InitKind } from './init'
import { createParameter, inputForBackward, type Layer, type Parameter } from './layer'

/**
 * Dense layer. Weight W: [out, in], bias b: [out].
 * NOTE: W is stored [out, in] (not [in, out] as in `x @ W`), so row o of the first layer's weight is
 * the 784 input weights of unit o: exactly a 28×28 image, which is what the heatmaps draw.
 */
export class Dense implements Layer {
  readonly weight: Parameter
  readonly bias: Parameter
  private input: Matrix | null = null
  private readonly output = new MatrixBuffer()
  private readonly inputGrad = new MatrixBuffer()

  constructor(
    readonly name: string,
    readonly inFeatures: number,
    readonly outFeatures: number,
    init: InitKind,
    rng: Rng
  ) {
    this.weight = createParameter(`${name}.weight`, [outFeatures, inFeatures], true)
    this.bias = createParameter(`${name}.bias`, [outFeatures], false)
    initialiseWeights(init, this.weight.data, inFeatures, outFeatures, rng)
  }

  /** y[B, out] = x[B, in] · Wᵀ[in, out] + b */
  forward(x: Matrix): Matrix {
    assertCols(`${this.name}.forward`, x, this.inFeatures)
    const y = this.output.take(x.rows, this.outFeatures)
    matmulABt(x.data, this.weight.data, y.data, x.rows, this.inFeatures, this.outFeatures)
    const b = this.bias.data
    for (let r = 0; r < y.rows; r++) {
      const row = r * this.outFeatures
      for (let o = 0; o < this.outFeatures; o++) y.data[row + o] += b[o]
    }
    this.input = x
    return y
  }

  /**
   * dW[out, in] += dyᵀ[out, B] · x[B, in]     (each sample adds an outer product dy ⊗ x)
   * db[out]     += Σ_batch dy                 (b is added to every row, so its gradient sums them)
   * dx[B, in]    = dy[B, out] · W[out, in]
   */
  backward(dy: Matrix, needInputGrad: boolean): Matrix | null {
    const x = inputForBackward(this, this.input, dy)
    matmulAtBAccumulate(
      dy.data,
      x.data,
      this.weight.grad,
      dy.rows,
      this.outFeatures,
      this.inFeatures
    )
    const db = this.bias.grad
    for (let r = 0; r < dy.rows; r++) {
      const row = r * this.outFeatures
      for (let o = 0; o < this.outFeatures; o++) db[o] += dy.data[row + o]
    }
    if (!needInputGrad) return null
    const dx = this.inputGrad.take(dy.rows, this.inFeatures)
    matmulAB(dy.data, this.weight.data, dx.data, dy.rows, this.outFeatures, this.inFeatures)
    return dx
  }

  parameters(): Parameter[] {
    return [this.weight, this.bias]
  }
}
