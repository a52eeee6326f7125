// ConvEngine: the convolution and pooling kernels behind exactly the signatures of core/tensor/conv.ts.
// Each call copies its arrays into a private WebAssembly memory, runs the kernel and copies the outputs
// back: for tests, benchmarks and tools, side by side with the references. A trainer instead places its
// buffers itself and calls ConvKernelCalls (conv-kernel-calls.ts).

import { type ConvGeometry, type PoolGeometry } from '../tensor/conv'
import { createMemory, type WasmMemory } from '../wasm/runtime'
import {
  CONV_ALIGN,
  CONV_READ_SLACK,
  ConvKernelCalls,
  convScratchBytes,
  wholeBatch,
  allFilters,
  type ConvMethod,
  type DyMethod,
  type CsrRows
} from './conv-kernel-calls'
import { roundUp } from './layout'

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
    this.calls = new ConvKernelCalls(this.memory)
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

  conv2dBackwardInput(
    dy: Float32Array,
    w: Float32Array,
    dx: Float32Array,
    g: ConvGeometry,
    method: DyMethod = 'dense'
  ): void {
    const sizes = convSizes(g)
    this.reserve([sizes.y, sizes.w, sizes.x], convScratchBytes(g))
    const at = { dy: this.put(dy, sizes.y), w: this.put(w, sizes.w), dx: this.take(sizes.x) }
    const scratch = this.take(convScratchBytes(g) / 4)
    this.calls.backwardInput({ ...at, scratch }, g, wholeBatch(g), method)
    this.get(at.dx, dx, sizes.x)
  }

  conv2dBackwardWeight(
    x: Float32Array,
    dy: Float32Array,
    dw: Float32Array,
    db: Float32Array,
    g: ConvGeometry,
    method: DyMethod = 'dense'
  ): void {
    const sizes = convSizes(g)
    this.reserve([sizes.x, sizes.y, sizes.w, g.outChannels], convScratchBytes(g))
    const at = {
      x: this.put(x, sizes.x),
      dy: this.put(dy, sizes.y),
      dw: this.put(dw, sizes.w),
      db: this.put(db, g.outChannels)
    }
    const scratch = this.take(convScratchBytes(g) / 4)
    this.calls.backwardWeight({ ...at, scratch }, g, wholeBatch(g), allFilters(g), method)
    this.get(at.dw, dw, sizes.w)
    this.get(at.db, db, g.outChannels)
  }

  /** conv2dForward through the sparse kernel: x's nonzeros become CSR rows first (as the dense
   *  engine's encoders make them). Stride 1, k ≤ 5. */
  conv2dForwardSparse(
    x: Float32Array,
    w: Float32Array,
    bias: Float32Array,
    y: Float32Array,
    g: ConvGeometry,
    relu = false
  ): void {
    const sizes = convSizes(g)
    const csrFloats = 2 * g.batch * csrStride(g) + g.batch
    this.reserve([csrFloats, sizes.w, g.outChannels, sizes.y], convScratchBytes(g))
    const csr = this.putCsr(x, g)
    const at = { w: this.put(w, sizes.w), bias: this.put(bias, g.outChannels) }
    const out = { y: this.take(sizes.y), scratch: this.take(convScratchBytes(g) / 4) }
    this.calls.forwardSparse({ csr, ...at, ...out }, g, relu)
    this.get(out.y, y, sizes.y)
  }

  /** conv2dBackwardWeight through the sparse kernel (x as CSR rows). Stride 1, k ≤ 5. */
  conv2dBackwardWeightSparse(
    x: Float32Array,
    dy: Float32Array,
    dw: Float32Array,
    db: Float32Array,
    g: ConvGeometry
  ): void {
    const sizes = convSizes(g)
    const csrFloats = 2 * g.batch * csrStride(g) + g.batch
    this.reserve([csrFloats, sizes.y, sizes.w, g.outChannels], convScratchBytes(g))
    const csr = this.putCsr(x, g)
    const at = {
      dy: this.put(dy, sizes.y),
      dw: this.put(dw, sizes.w),
      db: this.put(db, g.outChannels)
    }
    this.calls.backwardWeightSparse({ csr, ...at, scratch: this.take(convScratchBytes(g) / 4) }, g)
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

  /** x's nonzero entries (NaN included, ±0 not) as CSR rows, one per image, indices ascending. */
  private putCsr(x: Float32Array, g: ConvGeometry): CsrRows {
    const pixels = g.inChannels * g.inHeight * g.inWidth
    const stride = csrStride(g)
    const csr = {
      index: this.take(g.batch * stride),
      value: this.take(g.batch * stride),
      count: this.take(g.batch),
      stride
    }
    const indices = new Int32Array(this.memory.buffer, csr.index, g.batch * stride)
    const values = new Float32Array(this.memory.buffer, csr.value, g.batch * stride)
    const counts = new Int32Array(this.memory.buffer, csr.count, g.batch)
    for (let b = 0; b < g.batch; b++) {
      let n = b * stride
      for (let i = 0; i < pixels; i++) {
        const v = x[b * pixels + i]
        if (v === 0) continue
        indices[n] = i
        values[n++] = v
      }
      counts[b] = n - b * stride
    }
    return csr
  }

  /** Starts a call: room for buffers of these float counts and the scratch, each with its slack. */
  private reserve(floatCounts: readonly number[], scratchBytes: number): void {
    const slot = (floats: number): number => roundUp(floats * 4 + CONV_READ_SLACK, CONV_ALIGN)
    const bytes = floatCounts.reduce((sum, n) => sum + slot(n), 0) + slot(scratchBytes / 4)
    if (bytes > this.memory.buffer.byteLength) {
      this.memory = createMemory(bytes, false)
      this.calls = new ConvKernelCalls(this.memory)
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

/** Entries per CSR row: every pixel of an image, plus the 8 the dense engine's encoders use as scratch. */
const csrStride = (g: ConvGeometry): number => roundUp(g.inChannels * g.inHeight * g.inWidth + 8, 4)

function poolSizes(g: PoolGeometry): { x: number; y: number } {
  return {
    x: g.batch * g.channels * g.inHeight * g.inWidth,
    y: g.batch * g.channels * g.outHeight * g.outWidth
  }
}
