// The TypeScript face of the convolution and pooling kernels (core/wasm/conv-kernels.wat): what each
// buffer must hold, how large the scratch is, the calls at byte addresses a trainer chooses in its own
// memory (ConvKernelCalls), and a self-contained ConvEngine with exactly the signatures of
// core/tensor/conv.ts (it copies the arrays into its memory and back: for tests, benchmarks, tools).
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
import { instantiateConvKernels, type ConvKernels } from '../wasm/conv-runtime'
import { createMemory, type WasmMemory } from '../wasm/runtime'
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
  return Math.max(...needs)
}

/**
 * How the forward convolution computes: 'auto' picks the faster for the geometry (measured, see the
 * PERF notes in conv-kernels.wat); 'im2col' copies the windows into a matrix (any stride); 'direct'
 * reads the padded image in place (stride 1; other strides fall back to im2col). Both give the same
 * sums up to float32 rounding. (The gradients have one way each: the other measured slower.)
 */
export type ConvMethod = 'auto' | 'im2col' | 'direct'

const METHOD_CODES: Readonly<Record<ConvMethod, number>> = { auto: 0, im2col: 1, direct: 2 }

/** A range of batch images: the kernels handle images b0 ≤ b < b1 (threads split a batch this way). */
export interface ImageRange {
  readonly b0: number
  readonly b1: number
}

const wholeBatch = (g: { readonly batch: number }): ImageRange => ({ b0: 0, b1: g.batch })

/** The kernels called at byte addresses: for a trainer that places the buffers in its own memory. */
export class ConvKernelCalls {
  constructor(readonly kernels: ConvKernels) {}

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

  /** dw += …, db += … over images b0..b1; see conv2dBackwardWeight. Threads need their own dw, db. */
  backwardWeight(
    at: { x: number; dy: number; dw: number; db: number; scratch: number },
    g: ConvGeometry,
    { b0, b1 }: ImageRange = wholeBatch(g)
  ): void {
    this.kernels.conv_backward_weight(
      at.x,
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
    this.kernels.maxpool_forward(at.x, at.y, at.argmax, b0, b1, ...poolShape(g))
  }

  /** dx (overwritten for images b0..b1) from dy and the forward's argmax; see maxPool2dBackward. */
  maxPoolBackward(
    at: { dy: number; argmax: number; dx: number },
    g: PoolGeometry,
    { b0, b1 }: ImageRange = wholeBatch(g)
  ): void {
    this.kernels.maxpool_backward(at.dy, at.argmax, at.dx, b0, b1, ...poolShape(g))
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

/**
 * The kernels behind the references' own signatures: each call copies its arrays into a private
 * WebAssembly memory (grown as needed), runs the kernel, and copies the outputs back.
 */
export class ConvEngine {
  private memory: WasmMemory
  private calls: ConvKernelCalls
  private next = 0

  constructor(initialBytes = 1 << 20) {
    this.memory = createMemory(initialBytes, false)
    this.calls = new ConvKernelCalls(instantiateConvKernels(this.memory))
  }

  conv2dForward(
    x: Float32Array,
    w: Float32Array,
    bias: Float32Array,
    y: Float32Array,
    g: ConvGeometry,
    relu = false,
    method: ConvMethod = 'auto'
  ): void {
    const sizes = convSizes(g)
    this.reserve([sizes.x, sizes.w, g.outChannels, sizes.y], convScratchBytes(g))
    const at = {
      x: this.put(x, sizes.x),
      w: this.put(w, sizes.w),
      bias: this.put(bias, g.outChannels)
    }
    const out = { y: this.take(sizes.y), scratch: this.take(convScratchBytes(g) / 4) }
    this.calls.forward({ ...at, ...out }, g, relu, wholeBatch(g), method)
    this.get(out.y, y, sizes.y)
  }

  conv2dBackwardInput(dy: Float32Array, w: Float32Array, dx: Float32Array, g: ConvGeometry): void {
    const sizes = convSizes(g)
    this.reserve([sizes.y, sizes.w, sizes.x], convScratchBytes(g))
    const at = { dy: this.put(dy, sizes.y), w: this.put(w, sizes.w), dx: this.take(sizes.x) }
    this.calls.backwardInput({ ...at, scratch: this.take(convScratchBytes(g) / 4) }, g)
    this.get(at.dx, dx, sizes.x)
  }

  conv2dBackwardWeight(
    x: Float32Array,
    dy: Float32Array,
    dw: Float32Array,
    db: Float32Array,
    g: ConvGeometry
  ): void {
    const sizes = convSizes(g)
    this.reserve([sizes.x, sizes.y, sizes.w, g.outChannels], convScratchBytes(g))
    const at = {
      x: this.put(x, sizes.x),
      dy: this.put(dy, sizes.y),
      dw: this.put(dw, sizes.w),
      db: this.put(db, g.outChannels)
    }
    this.calls.backwardWeight({ ...at, scratch: this.take(convScratchBytes(g) / 4) }, g)
    this.get(at.dw, dw, sizes.w)
    this.get(at.db, db, g.outChannels)
  }

  maxPool2dForward(x: Float32Array, y: Float32Array, argmax: Uint32Array, g: PoolGeometry): void {
    const sizes = poolSizes(g)
    this.reserve([sizes.x, sizes.y, sizes.y], 0)
    const at = { x: this.put(x, sizes.x), y: this.take(sizes.y), argmax: this.take(sizes.y) }
    this.calls.maxPoolForward(at, g)
    this.get(at.y, y, sizes.y)
    argmax.set(new Uint32Array(this.memory.buffer, at.argmax, sizes.y))
  }

  maxPool2dBackward(
    dy: Float32Array,
    argmax: Uint32Array,
    dx: Float32Array,
    g: PoolGeometry
  ): void {
    const sizes = poolSizes(g)
    this.reserve([sizes.y, sizes.y, sizes.x], 0)
    const at = { dy: this.put(dy, sizes.y), argmax: this.take(sizes.y), dx: this.take(sizes.x) }
    new Uint32Array(this.memory.buffer, at.argmax, sizes.y).set(argmax.subarray(0, sizes.y))
    this.calls.maxPoolBackward(at, g)
    this.get(at.dx, dx, sizes.x)
  }

  /** Starts a call: room for buffers of these float counts and the scratch, each with its slack. */
  private reserve(floatCounts: readonly number[], scratchBytes: number): void {
    const slot = (floats: number): number => roundUp(floats * 4 + CONV_READ_SLACK, CONV_ALIGN)
    const bytes = floatCounts.reduce((sum, n) => sum + slot(n), 0) + slot(scratchBytes / 4)
    if (bytes > this.memory.buffer.byteLength) {
      this.memory = createMemory(bytes, false)
      this.calls = new ConvKernelCalls(instantiateConvKernels(this.memory))
    }
    this.next = 0
  }

  /** The address of a fresh buffer of `floats` floats (followed by its read slack). */
  private take(floats: number): number {
    const at = this.next
    this.next = roundUp(at + floats * 4 + CONV_READ_SLACK, CONV_ALIGN)
    return at
  }

  private put(values: Float32Array, floats: number): number {
    const at = this.take(floats)
    new Float32Array(this.memory.buffer, at, floats).set(values.subarray(0, floats))
    return at
  }

  private get(at: number, into: Float32Array, floats: number): void {
    into.set(new Float32Array(this.memory.buffer, at, floats))
  }
}

function convSizes(g: ConvGeometry): { x: number; w: number; y: number } {
  return {
    x: g.batch * g.inChannels * g.inHeight * g.inWidth,
    w: g.outChannels * g.inChannels * g.kernel * g.kernel,
    y: g.batch * g.outChannels * g.outHeight * g.outWidth
  }
}

function poolSizes(g: PoolGeometry): { x: number; y: number } {
  return {
    x: g.batch * g.channels * g.inHeight * g.inWidth,
    y: g.batch * g.channels * g.outHeight * g.outWidth
  }
}
