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
  type PoolKernels
} from '../wasm/conv-runtime'
import { type WasmMemory } from '../wasm/runtime'
import { roundUp } from './layout'

/** Bytes past the end of an input buffer that the kernels may read (whole-vector loads). */
export const CONV_READ_SLACK = 32

/** Alignment every planner here gives a buffer: one v128. */
export const CONV_ALIGN = 16

/**
 * Scratch bytes for the convolution kernels of geometry g (the largest need of the three, whichever
 * forward method), mirroring the layout at the top of conv_forward, conv_backward_input and
 * conv_backward_weight in conv-kernels.wat: an offset table, then the im2col (im2row) matrix, or the
 * direct forward's padded planes and wide output.
 */
export function convScratchBytes(g: ConvGeometry): number {
  const { inChannels: C, inHeight: H, inWidth: W, outChannels: O, kernel: k, stride: s } = g
  const { padding: p, outHeight: Ho, outWidth: Wo } = g
  const align = (bytes: number): number => roundUp(bytes, 16)
  const K = C * k * k
  const N = Ho * Wo
  const im2col = K * roundUp(N, 4) * 4 + 16
  const needs = [
    align(K * 4) + im2col, // forward, im2col
    align(O * 4) + im2col, // input gradient
    align(N * 4) + N * roundUp(K, 4) * 4 + 16 // weight gradient (im2row)
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
    at: { x: number; w: number; bias: number; y: number; scratch: number },
    g: ConvGeometry,
    relu = false,
    { b0, b1 }: ImageRange = wholeBatch(g),
    method: ConvMethod = 'auto'
  ): void {
    this.kernels.conv_forward(
      at.x,
      at.w,
      at.bias,
      at.y,
      at.scratch,
      b0,
      b1,
      ...convShape(g),
      relu ? 1 : 0,
      METHOD_CODES[method]
    )
  }

  /** dx from dy and w (overwritten); see conv2dBackwardInput. */
  backwardInput(
    at: { dy: number; w: number; dx: number; scratch: number },
    g: ConvGeometry,
    { b0, b1 }: ImageRange = wholeBatch(g)
  ): void {
    this.kernels.conv_backward_input(at.dy, at.w, at.dx, at.scratch, b0, b1, ...convShape(g))
  }

  /**
   * dw += …, db += … over images b0..b1; see conv2dBackwardWeight. Only filters o0 ≤ o < o1 (their rows
   * of dw and db; all by default): threads may share a layer's gradient by filters (same bits), or by
   * images with their own dw, db.
   */
  backwardWeight(
    at: { x: number; dy: number; dw: number; db: number; scratch: number },
    g: ConvGeometry,
    { b0, b1 }: ImageRange = wholeBatch(g),
    { o0, o1 }: FilterRange = allFilters(g)
  ): void {
    this.kernels.conv_backward_weight(
      at.x,
      at.dy,
      at.dw,
      at.db,
      at.scratch,
      b0,
      b1,
      ...convShape(g),
      o0,
      o1
    )
  }

  /**
   * conv2dForward over the input's nonzero pixels only (a first layer on MNIST: ~19 % of them), read
   * from CSR rows. Stride 1 and k ≤ 5 (sparseConvSupported).
   */
  forwardSparse(
    at: { csr: CsrRows; w: number; bias: number; y: number; scratch: number },
    g: ConvGeometry,
    relu = false,
    { b0, b1 }: ImageRange = wholeBatch(g)
  ): void {
    const { index, value, count, stride } = at.csr
    this.kernels.conv_forward_sparse(
      index,
      value,
      count,
      stride,
      at.w,
      at.bias,
      at.y,
      at.scratch,
      b0,
      b1,
      ...convShape(g),
      relu ? 1 : 0
    )
  }

  /** conv2dBackwardWeight (accumulating) over the input's nonzero pixels, read from CSR rows. */
  backwardWeightSparse(
    at: { csr: CsrRows; dy: number; dw: number; db: number; scratch: number },
    g: ConvGeometry,
    { b0, b1 }: ImageRange = wholeBatch(g)
  ): void {
    const { index, value, count, stride } = at.csr
    this.kernels.conv_backward_weight_sparse(
      index,
      value,
      count,
      stride,
      at.dy,
      at.dw,
      at.db,
      at.scratch,
      b0,
      b1,
      ...convShape(g)
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

type ConvShape = [number, number, number, number, number, number, number, number, number]

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

function poolShape(g: PoolGeometry): [number, number, number, number, number, number] {
  return [g.channels, g.inHeight, g.inWidth, g.size, g.outHeight, g.outWidth]
}
