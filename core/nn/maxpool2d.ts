// Max-pooling: each size × size window of each feature map keeps only its largest value.

import {
  maxPool2dBackward,
  maxPool2dForward,
  poolGeometry,
  type PoolGeometry
} from '../tensor/conv'
import { assertCols, type Matrix, MatrixBuffer } from '../tensor/matrix'
import { imageValues, type ImageShape } from './conv2d'
import type { Layer, Parameter } from './layer'

/**
 * MaxPool2D, windows of size × size with stride = size: [C, H, W] → [C, ⌊H/size⌋, ⌊W/size⌋].
 *
 *   y[b, c, i, j] = max over u, v < size of x[b, c, i·size + u, j·size + v]
 *   dx[winner of (b, c, i, j)] = dy[b, c, i, j],  every other dx = 0
 *
 * NOTE: the maximum is the only input that moved the output, so the backward pass routes each window's
 * gradient to its winner (the first maximum in row-major order, as PyTorch on CPU), remembered by the
 * forward pass. No parameters: pooling only shrinks the maps and tolerates small shifts.
 */
export class MaxPool2D implements Layer {
  readonly outHeight: number
  readonly outWidth: number
  private argmax = new Uint32Array(0)
  private batch = 0
  private readonly output = new MatrixBuffer()
  private readonly inputGrad = new MatrixBuffer()

  constructor(
    readonly name: string,
    readonly inputShape: ImageShape,
    readonly size: number
  ) {
    const { outHeight, outWidth } = this.geometry(1)
    this.outHeight = outHeight
    this.outWidth = outWidth
  }

  /** Values per input row: C·H·W. */
  get inFeatures(): number {
    return imageValues(this.inputShape)
  }

  get outFeatures(): number {
    return this.inputShape.channels * this.outHeight * this.outWidth
  }

  geometry(batch: number): PoolGeometry {
    const { channels, height, width } = this.inputShape
    return poolGeometry({ batch, channels, inHeight: height, inWidth: width, size: this.size })
  }

  forward(x: Matrix): Matrix {
    assertCols(`${this.name}.forward`, x, this.inFeatures)
    const y = this.output.take(x.rows, this.outFeatures)
    if (this.argmax.length < y.data.length) this.argmax = new Uint32Array(y.data.length)
    maxPool2dForward(x.data, y.data, this.argmax, this.geometry(x.rows))
    this.batch = x.rows
    return y
  }

  backward(dy: Matrix): Matrix {
    if (this.batch === 0) throw new Error(`${this.name}.backward called before forward`)
    assertCols(`${this.name}.backward`, dy, this.outFeatures)
    const dx = this.inputGrad.take(dy.rows, this.inFeatures)
    maxPool2dBackward(dy.data, this.argmax, dx.data, this.geometry(dy.rows))
    return dx
  }

  parameters(): Parameter[] {
    return []
  }
}
