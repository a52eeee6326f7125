// Softmax followed by cross-entropy, fused into one loss "layer".

import { assertCols, type Matrix, MatrixBuffer } from '../tensor/matrix'
import { assertLabelsBelow } from '../data/dataset'
import { ShapeError } from '../errors'
import { softmaxRow } from './softmax'

/**
 * For logits z [B, C] and integer labels y [B]:
 *   p = softmax(z),  pᵢⱼ = e^zᵢⱼ / Σₖ e^zᵢₖ
 *   L = −(1/B) Σᵢ log pᵢ,yᵢ
 *   ∂L/∂z = (p − onehot(y)) / B
 * NOTE: fused on purpose. Softmax's own Jacobian is a dense C×C matrix per sample, but multiplied by
 * cross-entropy's gradient it collapses to p − onehot(y): one cheap, numerically stable expression.
 * Stability: each row's max is subtracted before exp (log-sum-exp), or float32 overflows above z ≈ 88.
 */
export class SoftmaxCrossEntropy {
  private readonly probabilityBuffer = new MatrixBuffer()
  private readonly gradBuffer = new MatrixBuffer()
  private probabilitiesMatrix: Matrix | null = null
  private labels: Uint8Array | null = null

  constructor(readonly classes: number) {}

  /** Mean cross-entropy of the batch; remembers p and y for `backward`. */
  forward(logits: Matrix, labels: Uint8Array): number {
    assertCols('SoftmaxCrossEntropy.forward', logits, this.classes)
    if (labels.length !== logits.rows) {
      throw new ShapeError(
        `SoftmaxCrossEntropy.forward: ${logits.rows} rows of logits but ${labels.length} labels`
      )
    }
    assertLabelsBelow(labels, this.classes, 'SoftmaxCrossEntropy.forward')
    const p = this.probabilityBuffer.take(logits.rows, this.classes)
    let totalLoss = 0
    for (let r = 0; r < logits.rows; r++) {
      const logSumExp = softmaxRow(logits.data, p.data, r * this.classes, this.classes)
      // −log pᵧ = log Σ e^z − z_y, computed from the logits so that p = 0 (underflow) never gives −log 0.
      totalLoss += logSumExp - logits.data[r * this.classes + labels[r]]
    }
    this.probabilitiesMatrix = p
    this.labels = labels
    return totalLoss / logits.rows
  }

  /** ∂L/∂z = (p − onehot(y)) / B, for the batch of the last `forward`. */
  backward(): Matrix {
    const p = this.probabilitiesMatrix
    const labels = this.labels
    if (!p || !labels) throw new Error('SoftmaxCrossEntropy.backward called before forward')
    const dz = this.gradBuffer.take(p.rows, p.cols)
    const scale = 1 / p.rows
    for (let i = 0; i < p.data.length; i++) dz.data[i] = p.data[i] * scale
    for (let r = 0; r < p.rows; r++) dz.data[r * p.cols + labels[r]] -= scale
    return dz
  }

  /** The softmax probabilities of the last `forward`, [B, C]. */
  get probabilities(): Matrix {
    if (!this.probabilitiesMatrix) throw new Error('SoftmaxCrossEntropy: no forward pass yet')
    return this.probabilitiesMatrix
  }
}
