// The 2-D convolution layer: each of O filters slides over the image and gives one feature map.

import {
  conv2dBackwardInput,
  conv2dBackwardWeight,
  conv2dForward,
  convGeometry,
  type ConvGeometry
} from '../tensor/conv'
import { assertCols, type Matrix, MatrixBuffer } from '../tensor/matrix'
import type { Rng } from '../random'
import type { ConvPadding } from './architecture'
import { initialiseWeights, type InitKind } from './init'
import { createParameter, inputForBackward, type Layer, type Parameter } from './layer'
import { paddingOf } from './shapes'

/** The input a conv layer reads: [channels, height, width] per sample. */
export interface ImageShape {
  readonly channels: number
  readonly height: number
  readonly width: number
}

/** Values in one image: C·H·W, the width of a row of a batch of them. */
export function imageValues({ channels, height, width }: ImageShape): number {
  return channels * height * width
}

/**
 * Conv2D. Weight W: [O, C, k, k], bias b: [O]. Input rows are images [C, H, W] (CHW order), output
 * rows are feature maps [O, H′, W′] with H′ = ⌊(H + 2p − k)/s⌋ + 1.
 *
 *   y[b, o, i, j] = b[o] + Σ_c Σ_u Σ_v  W[o, c, u, v] · x[b, c, i·s + u − p, j·s + v − p]
 *
 * The loops are core/tensor/conv.ts, the specification the fast kernels are tested against.
 * NOTE: W is [O, C, k, k] (PyTorch's order), so filter o of a one-channel first layer is a k×k image,
 * the conv counterpart of a dense layer's rows being 28×28 images.
 */
export class Conv2D implements Layer {
  readonly weight: Parameter
  readonly bias: Parameter
  readonly outHeight: number
  readonly outWidth: number
  private readonly padding: number
  private input: Matrix | null = null
  private readonly output = new MatrixBuffer()
  private readonly inputGrad = new MatrixBuffer()

  constructor(
    readonly name: string,
    readonly inputShape: ImageShape,
    readonly filters: number,
    readonly kernel: number,
    readonly stride: 1 | 2,
    padding: ConvPadding,
    init: InitKind,
    rng: Rng
  ) {
    const { channels } = inputShape
    this.padding = paddingOf(kernel, padding)
    const { outHeight, outWidth } = this.geometry(1) // throws when the filter does not fit
    this.outHeight = outHeight
    this.outWidth = outWidth
    this.weight = createParameter(`${name}.weight`, [filters, channels, kernel, kernel], true)
    this.bias = createParameter(`${name}.bias`, [filters], false)
    // NOTE: each output sums C·k·k products (its fan-in) and each input feeds O·k·k of them (fan-out),
    // the counts He and Xavier scale by, as a dense layer's in and out.
    initialiseWeights(
      init,
      this.weight.data,
      channels * kernel * kernel,
      filters * kernel * kernel,
      rng
    )
  }

  /** Values per input row: C·H·W. */
  get inFeatures(): number {
    return imageValues(this.inputShape)
  }

  /** Values per output row: O·H′·W′. */
  get outFeatures(): number {
    return this.filters * this.outHeight * this.outWidth
  }

  /** The convolution's sizes for a batch (throws a ShapeError when the filter does not fit). */
  geometry(batch: number): ConvGeometry {
    const { channels, height, width } = this.inputShape
    return convGeometry({
      batch,
      inChannels: channels,
      inHeight: height,
      inWidth: width,
      outChannels: this.filters,
      kernel: this.kernel,
      stride: this.stride,
      padding: this.padding
    })
  }

  /** y[B, O·H′·W′] = W ⋆ x[B, C·H·W] + b */
  forward(x: Matrix): Matrix {
    assertCols(`${this.name}.forward`, x, this.inFeatures)
    const y = this.output.take(x.rows, this.outFeatures)
    conv2dForward(x.data, this.weight.data, this.bias.data, y.data, this.geometry(x.rows))
    this.input = x
    return y
  }

  /**
   * dW[o, c, u, v] += Σ_b Σ_i Σ_j  dy[b, o, i, j] · x[b, c, i·s + u − p, j·s + v − p]
   *                   (the correlation of the input with the output gradient)
   * db[o]          += Σ_b Σ_i Σ_j  dy[b, o, i, j]     (b is added at every output pixel)
   * dx[b, c, h, w]  = Σ over every (o, i, j, u, v) whose window put x[b, c, h, w] under W[o, c, u, v]
   *                   of dy[b, o, i, j] · W[o, c, u, v]   (at stride 1, the full convolution of dy
   *                   with the filter flipped by 180°)
   */
  backward(dy: Matrix, needInputGrad: boolean): Matrix | null {
    const x = inputForBackward(this, this.input, dy)
    const g = this.geometry(dy.rows)
    conv2dBackwardWeight(x.data, dy.data, this.weight.grad, this.bias.grad, g)
    if (!needInputGrad) return null
    const dx = this.inputGrad.take(dy.rows, this.inFeatures)
    conv2dBackwardInput(dy.data, this.weight.data, dx.data, g)
    return dx
  }

  parameters(): Parameter[] {
    return [this.weight, this.bias]
  }
}
