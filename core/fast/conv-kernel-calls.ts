// The TypeScript face of the convolution and pooling kernels (core/wasm/conv-kernels.wat,
// pool-kernels.wat): what each buffer must hold, how large the scratch is, and the calls at byte
// addresses that a trainer chooses in its own memory. (ConvEngine, in conv-engine.ts, wraps them with
// exactly the signatures of core/tensor/conv.ts.)
//
// Buffer rules (for a caller placing its own buffers):
//   - every buffer is float32 (argmax u32) in the references' layout: x [B, C, H, W], w [O, C, k, k],
//     bias [O], y [B, O, H', W'], pooling planes [B, C, H, W] → [B, C, H', W'];
//   - addresses are multiples of 4 bytes; 16 is best (a v128 load then never straddles a cache line as
//     often) and is what every planner here uses;
//   - up to CONV_READ_SLACK bytes past the end of an input (x, w, dy, dw, argmax) are read, never
//     written: keep them inside the memory (the next buffer may sit there);
//   - outputs are written exactly (never past their end), except the scratch, which convScratchBytes
//     sizes with its slack included; one scratch per thread;
//   - the weight gradient accumulates (dw += …, db += …) like the reference; everything else overwrites.

import { type ConvGeometry, type PoolGeometry } from '../tensor/conv'
import {
  instantiateConvKernels,
  instantiatePoolKernels,
  type ConvKernels,
  type ConvShape,
  type PoolKernels,
  type PoolShape
} from '../wasm/conv-runtime'
import { type WasmMemory } from '../wasm/runtime'
import { roundUp } from './layout'

/** Bytes past the end of an input buffer that the kernels may read (whole-vector loads). */
export const CONV_READ_SLACK = 32

/** Alignment every planner here gives a buffer: one v128. */
export const CONV_ALIGN = 16

/**
 * Scratch bytes for the convolution kernels of geometry g (the largest need of them all, whichever
 * method), mirroring the layout at the top of conv_forward (conv-kernels/convolution.wat),
 * conv_backward_input, conv_backward_weight (convolution.wat), conv_backward_weight_sparse_dy
 * (weight-gradient-nonzeros.wat) and conv_backward_input_sparse_dy (input-gradient-nonzeros.wat): an
 * offset table, then the im2col (im2row) matrix, or the direct forward's padded planes and wide
 * output, or the lists of dy's nonzeros (and the transposed filters and channels-last grid).
 */
export function convScratchBytes(g: ConvGeometry): number {
  const { inChannels: C, inHeight: H, inWidth: W, outChannels: O, kernel: k, stride: s } = g
  const { padding: p, outHeight: Ho, outWidth: Wo } = g
  const align = (bytes: number): number => roundUp(bytes, 16)
  const K = C * k * k
  const N = Ho * Wo
  const im2col = K * roundUp(N, 4) * 4 + 16
  const Kq = roundUp(K, 16)
  const needs = [
    align(K * 4) + im2col, // forward, im2col
    align(O * 4) + im2col, // input gradient
    align(N * 4) + N * roundUp(K, 4) * 4 + 16, // weight gradient (im2row)
    // weight gradient over dy's nonzeros: the rows' table, the im2row rows (Kq floats), the
    // accumulated rows [O, Kq] (a filter range needs no more than all filters), the nonzeros' lists
    align(N * 4) + align(N * Kq * 4 + 16) + O * Kq * 4 + 2 * align(O * N * 4) + align(O * 4),
    // input gradient over dy's nonzeros: the grid offsets' table, the filters transposed (blocks of
    // 8 channels, rows of 5 taps, 8 lanes), the grid (4 pixels of slack), one column's nonzeros
    align(N * 4) +
      Math.ceil(C / 8) * O * k * 160 +
      ((H + 2 * p) * (W + 2 * p) + 4) * 32 +
      2 * align(O * 4)
  ]
  if (s === 1) {
    // forward, direct: the padded planes (and k + 16 zero floats after them), the wide output
    const [Hp, Wp] = [H + 2 * p, W + 2 * p]
    needs.push(align(K * 4) + align((C * Hp * Wp + k + 16) * 4) + O * Ho * Wp * 4)
  }
  if (sparseConvSupported(g)) {
    // the sparse kernels: the grid (4 lead-in + Hq·Wq + 12 pixels of 8 floats), the nonzeros' grid
    // bases, the channels' first nonzeros, and the forward's taps (10 vectors per block, c, u)
    const Q = k - 1
    const grid = ((Ho + 2 * Q) * (Wo + 2 * Q) + 16) * 32
    needs.push(grid + align(C * H * W * 4) + align((C + 1) * 4) + Math.ceil(O / 8) * C * k * 160)
  }
  return Math.max(...needs)
}

/**
 * How the forward convolution computes: 'auto' picks the faster for the geometry (measured, see the
 * PERF notes in conv-kernels.wat); 'im2col' copies the windows into a matrix (any stride); 'direct'
 * reads the padded image in place (stride 1; other strides fall back to im2col). Both give the same
 * sums up to float32 rounding. (The input gradient has one way: the other measured slower.)
 */
export type ConvMethod = 'auto' | 'im2col' | 'direct'

const METHOD_CODES: Readonly<Record<ConvMethod, number>> = { auto: 0, im2col: 1, direct: 2 }

/**
 * How the weight and input gradients go over dy: 'dense' by the GEMM (im2row; im2col + col2im), or
 * 'nonzeros', over each filter's nonzeros of dy only (conv-kernels/weight-gradient-nonzeros.wat,
 * input-gradient-nonzeros.wat). 'nonzeros' pays where most of dy is 0, as behind a max-pool (LeNet's
 * conv2: ~19 % nonzero after the ReLU), and is slower on a dense dy (see the PERF notes there). Both
 * add the same products in the same order either way (the GEMM's +0 terms are what 'nonzeros' skips),
 * so both give the same bits: a run does not depend on the choice, which a trainer makes per layer.
 */
export type DyMethod = 'dense' | 'nonzeros'

/** Whether the sparse kernels (conv_forward_sparse, conv_backward_weight_sparse) take geometry g. */
export function sparseConvSupported(g: ConvGeometry): boolean {
  return g.stride === 1 && g.kernel <= 5
}

/**
 * A batch's input as CSR rows, as the dense engine builds them (core/fast/layout.ts, kernels.wat): image
 * b's nonzero pixels are entries b·stride … b·stride + count[b] − 1 of `index` (i32, the pixel's index
 * (c·H + h)·W + w, ascending) and `value` (f32). Byte addresses.
 */
export interface CsrRows {
  readonly index: number
  readonly value: number
  readonly count: number
  readonly stride: number
}

/** A range of batch images: the kernels handle images b0 ≤ b < b1 (threads split a batch this way). */
export interface ImageRange {
  readonly b0: number
  readonly b1: number
}

/** A range of filters (output channels): o0 ≤ o < o1. */
export interface FilterRange {
  readonly o0: number
  readonly o1: number
}

/** All of a layer's filters. */
export const allFilters = (g: { readonly outChannels: number }): FilterRange => ({
  o0: 0,
  o1: g.outChannels
})

/** All the batch's images. */
export const wholeBatch = (g: { readonly batch: number }): ImageRange => ({ b0: 0, b1: g.batch })

/**
 * The kernels called at byte addresses: for a trainer that places the buffers in its own memory (which
 * may also hold the dense kernels' buffers). Several instances may share one memory, e.g. one per thread.
 */
export class ConvKernelCalls {
  readonly kernels: ConvKernels
  readonly pool: PoolKernels

  constructor(memory: WasmMemory) {
    this.kernels = instantiateConvKernels(memory)
    this.pool = instantiatePoolKernels(memory)
  }

  /** y = conv(x, w) + bias, then ReLU when `relu` (fused); see conv2dForward. */
  forward(
    at: { x: number } & ForwardBuffers,
    g: ConvGeometry,
    relu = false,
    images: ImageRange = wholeBatch(g),
    method: ConvMethod = 'auto'
  ): void {
    this.kernels.conv_forward(at.x, ...forwardArgs(at, g, relu, images), METHOD_CODES[method])
  }

  /** dx from dy and w (overwritten); see conv2dBackwardInput. `dy`: over all of dy or its nonzeros. */
  backwardInput(
    at: { dy: number; w: number; dx: number; scratch: number },
    g: ConvGeometry,
    { b0, b1 }: ImageRange = wholeBatch(g),
    dy: DyMethod = 'dense'
  ): void {
    const kernel =
      dy === 'nonzeros'
        ? this.kernels.conv_backward_input_sparse_dy
        : this.kernels.conv_backward_input
    kernel(at.dy, at.w, at.dx, at.scratch, b0, b1, ...convShape(g))
  }

  /**
   * dw += …, db += … over images b0..b1; see conv2dBackwardWeight. Only filters o0 ≤ o < o1 (their rows
   * of dw and db; all by default): threads may share a layer's gradient by filters (same bits), or by
   * images with their own dw, db.
   */
  backwardWeight(
    at: { x: number } & WeightGradientBuffers,
    g: ConvGeometry,
    images: ImageRange = wholeBatch(g),
    { o0, o1 }: FilterRange = allFilters(g),
    dy: DyMethod = 'dense'
  ): void {
    const kernel =
      dy === 'nonzeros'
        ? this.kernels.conv_backward_weight_sparse_dy
        : this.kernels.conv_backward_weight
    kernel(at.x, ...weightGradientArgs(at, g, images), o0, o1)
  }

  /**
   * conv2dForward over the input's nonzero pixels only (a first layer on MNIST: ~19 % of them), read
   * from CSR rows. Stride 1 and k ≤ 5 (sparseConvSupported).
   */
  forwardSparse(
    at: { csr: CsrRows } & ForwardBuffers,
    g: ConvGeometry,
    relu = false,
    images: ImageRange = wholeBatch(g)
  ): void {
    this.kernels.conv_forward_sparse(...csrArgs(at.csr), ...forwardArgs(at, g, relu, images))
  }

  /** conv2dBackwardWeight (accumulating) over the input's nonzero pixels, read from CSR rows. */
  backwardWeightSparse(
    at: { csr: CsrRows } & WeightGradientBuffers,
    g: ConvGeometry,
    images: ImageRange = wholeBatch(g)
  ): void {
    this.kernels.conv_backward_weight_sparse(
      ...csrArgs(at.csr),
      ...weightGradientArgs(at, g, images)
    )
  }

  /** y and argmax (u32 indices into x); see maxPool2dForward. */
  maxPoolForward(
    at: { x: number; y: number; argmax: number },
    g: PoolGeometry,
    { b0, b1 }: ImageRange = wholeBatch(g)
  ): void {
    this.pool.maxpool_forward(at.x, at.y, at.argmax, b0, b1, ...poolShape(g))
  }

  /** dx (overwritten for images b0..b1) from dy and the forward's argmax; see maxPool2dBackward. */
  maxPoolBackward(
    at: { dy: number; argmax: number; dx: number },
    g: PoolGeometry,
    { b0, b1 }: ImageRange = wholeBatch(g)
  ): void {
    this.pool.maxpool_backward(at.dy, at.argmax, at.dx, b0, b1, ...poolShape(g))
  }
}

/** The buffers of a forward pass besides its input (x, or CSR rows). */
interface ForwardBuffers {
  readonly w: number
  readonly bias: number
  readonly y: number
  readonly scratch: number
}

/** The buffers of a weight gradient besides its input (x, or CSR rows). */
interface WeightGradientBuffers {
  readonly dy: number
  readonly dw: number
  readonly db: number
  readonly scratch: number
}

const forwardArgs = (at: ForwardBuffers, g: ConvGeometry, relu: boolean, { b0, b1 }: ImageRange) =>
  [at.w, at.bias, at.y, at.scratch, b0, b1, ...convShape(g), relu ? 1 : 0] as const

const weightGradientArgs = (at: WeightGradientBuffers, g: ConvGeometry, { b0, b1 }: ImageRange) =>
  [at.dy, at.dw, at.db, at.scratch, b0, b1, ...convShape(g)] as const

const csrArgs = ({ index, value, count, stride }: CsrRows) => [index, value, count, stride] as const

function convShape(g: ConvGeometry): ConvShape {
  return [
    g.inChannels,
    g.inHeight,
    g.inWidth,
    g.outChannels,
    g.kernel,
    g.stride,
    g.padding,
    g.outHeight,
    g.outWidth
  ]
}

function poolShape(g: PoolGeometry): PoolShape {
  return [g.channels, g.inHeight, g.inWidth, g.size, g.outHeight, g.outWidth]
}
