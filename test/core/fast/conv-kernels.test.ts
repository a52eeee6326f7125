// The convolution and pooling kernels (core/wasm/conv-kernels.wat, through core/fast/conv-engine.ts)
// against their specification, core/tensor/conv.ts, on many geometries and on sparse MNIST-like images.
//
// Tolerance: the kernels add the same products in another order (blocked, 4 lanes at a time) in float32,
// so each result may differ from the reference's by rounding. We bound it relative to the sum of the
// absolute values of the terms (the reference run on |x|, |w|, |dy|, |bias|): |fast − ref| ≤ 1e-5·Σ|terms|
// for forward and input gradient, and for the weight gradient, whose sums run over a whole batch
// (up to 64 × 784 terms). Max-pooling only compares and copies: it must agree bit for bit.

import { describe, expect, it } from 'vitest'
import {
  conv2dBackwardInput,
  conv2dBackwardWeight,
  conv2dForward,
  ConvEngine,
  convGeometry,
  ConvKernelCalls,
  convScratchBytes,
  createMemory,
  instantiateConvKernels,
  instantiateKernels,
  maxPool2dBackward,
  maxPool2dForward,
  poolGeometry,
  type ConvGeometry,
  type ConvMethod,
  type PoolGeometry
} from '../../../core'
import { seededValues } from '../../helpers/gradcheck'

const TOLERANCE = 1e-5

/** Every way the forward computes (stride ≠ 1 runs im2col whatever is asked). */
const METHODS: readonly ConvMethod[] = ['auto', 'im2col', 'direct']

/** The largest |fast − ref| / Σ|terms| over all entries (Σ|terms| floored at 1e-30). */
function worstError(fast: Float32Array, ref: Float32Array, scale: Float32Array): number {
  expect(fast.length).toBe(ref.length)
  let worst = 0
  for (let i = 0; i < ref.length; i++) {
    if (Number.isNaN(ref[i])) expect(fast[i]).toBeNaN()
    else worst = Math.max(worst, Math.abs(fast[i] - ref[i]) / Math.max(scale[i], 1e-30))
  }
  return worst
}

const abs = (values: Float32Array): Float32Array => values.map(Math.abs)

/** Bit-for-bit equality (−0 ≠ +0), naming the first entry that differs. */
function expectSameBits(
  actual: Float32Array | Uint32Array,
  expected: Float32Array | Uint32Array
): void {
  expect(actual.length).toBe(expected.length)
  const a = new Uint32Array(actual.buffer, actual.byteOffset, actual.length)
  const b = new Uint32Array(expected.buffer, expected.byteOffset, expected.length)
  const first = a.findIndex((bits, i) => bits !== b[i])
  expect(first === -1 ? 'none' : `entry ${first}: ${actual[first]} vs ${expected[first]}`).toBe(
    'none'
  )
}

/** Sparse MNIST-like images: a 4-pixel zero margin (scaled to the size), inside about 37 % of the
 *  pixels lit with byte / 255 values: about 81 % zeros on 28 × 28, like MNIST. */
function mnistLike(g: { batch: number; inChannels: number; inHeight: number; inWidth: number }) {
  const { batch, inChannels: C, inHeight: H, inWidth: W } = g
  const x = new Float32Array(batch * C * H * W)
  const lit = seededValues(x.length, 17, 0, 1)
  const margin = (size: number): number => Math.floor((size * 4) / 28)
  for (let plane = 0; plane < batch * C; plane++)
    for (let h = margin(H); h < H - margin(H); h++)
      for (let w = margin(W); w < W - margin(W); w++) {
        const i = (plane * H + h) * W + w
        if (lit[i] < 0.37) x[i] = Math.fround(Math.ceil(lit[i] * 689) / 255)
      }
  return x
}

type Shape = [
  batch: number,
  C: number,
  H: number,
  W: number,
  O: number,
  k: number,
  s: number,
  p: number
]

/** LeNet's two convolutions, a stronger CNN's 3×3 ones (stride 1 and 2), and odd cases: W % 4 ≠ 0,
 *  odd sizes, k = 1, padding 0/1/2 (and p > k − 1), stride 2 and 3 with padding, windows that
 *  overhang the image. */
const SHAPES: Shape[] = [
  [64, 1, 28, 28, 6, 5, 1, 2],
  [64, 6, 14, 14, 16, 5, 1, 0],
  [8, 1, 28, 28, 16, 3, 1, 1],
  [4, 16, 28, 28, 32, 3, 2, 1],
  [4, 32, 14, 14, 64, 3, 1, 1],
  [3, 5, 9, 7, 7, 3, 2, 1],
  [2, 3, 11, 13, 9, 3, 1, 1],
  [1, 2, 5, 6, 3, 1, 1, 0],
  [2, 4, 7, 9, 5, 1, 2, 0],
  [2, 1, 6, 6, 1, 5, 1, 2],
  [1, 3, 8, 8, 4, 3, 3, 2],
  [2, 2, 10, 10, 3, 5, 2, 2],
  [1, 1, 3, 3, 2, 5, 1, 2],
  [1, 7, 17, 15, 10, 5, 1, 1],
  [2, 2, 6, 5, 3, 1, 1, 1],
  [1, 2, 5, 5, 2, 3, 1, 3]
]

const geometryOf = ([batch, C, H, W, O, k, s, p]: Shape): ConvGeometry =>
  convGeometry({
    batch,
    inChannels: C,
    inHeight: H,
    inWidth: W,
    outChannels: O,
    kernel: k,
    stride: s,
    padding: p
  })

const nameOf = (g: ConvGeometry): string =>
  `B=${g.batch} ${g.inChannels}→${g.outChannels} ${g.kernel}×${g.kernel} s=${g.stride} p=${g.padding} ` +
  `on ${g.inHeight}×${g.inWidth} → ${g.outHeight}×${g.outWidth}`

function sizes(g: ConvGeometry) {
  return {
    x: g.batch * g.inChannels * g.inHeight * g.inWidth,
    w: g.outChannels * g.inChannels * g.kernel * g.kernel,
    y: g.batch * g.outChannels * g.outHeight * g.outWidth
  }
}

describe('convolution kernels against core/tensor/conv.ts', () => {
  const engine = new ConvEngine()

  for (const shape of SHAPES) {
    const g = geometryOf(shape)
    for (const input of ['random', 'MNIST-like'] as const) {
      if (input === 'MNIST-like' && g.inChannels > 1 && g.batch < 64) continue
      it(`${nameOf(g)}, ${input} input: forward (and fused ReLU), input gradient, weight gradient`, () => {
        const n = sizes(g)
        const x = input === 'random' ? seededValues(n.x, 1) : mnistLike(g)
        const w = seededValues(n.w, 2, -0.5, 0.5)
        const bias = seededValues(g.outChannels, 3)
        const dy = seededValues(n.y, 4)
        const dw0 = seededValues(n.w, 5)
        const db0 = seededValues(g.outChannels, 6)

        const [yRef, yScale] = [new Float32Array(n.y), new Float32Array(n.y)]
        conv2dForward(x, w, bias, yRef, g)
        conv2dForward(abs(x), abs(w), abs(bias), yScale, g)
        const yRelu = yRef.map((v) => (v > 0 ? v : 0))
        const [dxRef, dxScale] = [new Float32Array(n.x), new Float32Array(n.x)]
        conv2dBackwardInput(dy, w, dxRef, g)
        conv2dBackwardInput(abs(dy), abs(w), dxScale, g)
        // The weight gradient accumulates into what is there, like the reference.
        const [dwRef, dwScale, dbRef, dbScale] = [dw0.slice(), abs(dw0), db0.slice(), abs(db0)]
        conv2dBackwardWeight(x, dy, dwRef, dbRef, g)
        conv2dBackwardWeight(abs(x), abs(dy), dwScale, dbScale, g)

        for (const method of METHODS) {
          const y = new Float32Array(n.y)
          engine.conv2dForward(x, w, bias, y, g, false, method)
          expect(worstError(y, yRef, yScale), method).toBeLessThanOrEqual(TOLERANCE)
          engine.conv2dForward(x, w, bias, y, g, true, method)
          expect(worstError(y, yRelu, yScale), method).toBeLessThanOrEqual(TOLERANCE)
        }

        const dx = new Float32Array(n.x).fill(NaN) // overwritten, not accumulated
        engine.conv2dBackwardInput(dy, w, dx, g)
        expect(worstError(dx, dxRef, dxScale)).toBeLessThanOrEqual(TOLERANCE)

        const [dw, db] = [dw0.slice(), db0.slice()]
        engine.conv2dBackwardWeight(x, dy, dw, db, g)
        expect(worstError(dw, dwRef, dwScale)).toBeLessThanOrEqual(TOLERANCE)
        expect(worstError(db, dbRef, dbScale)).toBeLessThanOrEqual(TOLERANCE)
      })
    }
  }

  it('the tolerance is tight enough to catch a wrong tap, a wrong bias or a lost image', () => {
    const g = geometryOf([2, 2, 9, 7, 3, 3, 1, 1])
    const n = sizes(g)
    const x = seededValues(n.x, 1)
    const w = seededValues(n.w, 2)
    const bias = seededValues(g.outChannels, 3)
    const [y, yRef, yScale] = [new Float32Array(n.y), new Float32Array(n.y), new Float32Array(n.y)]
    conv2dForward(abs(x), abs(w), abs(bias), yScale, g)
    engine.conv2dForward(x, w, bias, y, g)
    const wrongTap = w.slice()
    wrongTap[4] += 1e-3
    conv2dForward(x, wrongTap, bias, yRef, g)
    expect(worstError(y, yRef, yScale)).toBeGreaterThan(TOLERANCE * 10)
    conv2dForward(
      x,
      w,
      bias.map((b) => b + 1e-3),
      yRef,
      g
    )
    expect(worstError(y, yRef, yScale)).toBeGreaterThan(TOLERANCE * 10)
  })
})

describe('how a trainer calls them: image ranges, one memory with the dense kernels, threads', () => {
  /** Places a conv layer's buffers in `memory` the way a trainer would, 16-byte aligned with slack. */
  function place(g: ConvGeometry, memory: { buffer: ArrayBufferLike }) {
    const f32 = new Float32Array(memory.buffer)
    let next = 1024 // below: anything else (the dense engine's buffers, in a real trainer)
    const take = (floats: number): number => {
      const at = next
      next = Math.ceil((at + floats * 4 + 32) / 16) * 16
      return at
    }
    const n = sizes(g)
    const at = {
      x: take(n.x),
      w: take(n.w),
      bias: take(g.outChannels),
      y: take(n.y),
      dy: take(n.y),
      dx: take(n.x),
      dw: take(n.w),
      db: take(g.outChannels),
      scratch: take(convScratchBytes(g) / 4),
      scratch2: take(convScratchBytes(g) / 4)
    }
    const view = (address: number, floats: number) =>
      f32.subarray(address >> 2, (address >> 2) + floats)
    view(at.x, n.x).set(seededValues(n.x, 11))
    view(at.w, n.w).set(seededValues(n.w, 12))
    view(at.bias, g.outChannels).set(seededValues(g.outChannels, 13))
    view(at.dy, n.y).set(seededValues(n.y, 14))
    return { at, view, n }
  }

  it('images b0..b1 only: split into ranges, every result is bit-identical to the whole batch', () => {
    const g = geometryOf([5, 3, 12, 10, 6, 3, 1, 1])
    const memory = createMemory(1 << 22, false)
    const calls = new ConvKernelCalls(instantiateConvKernels(memory))
    const { at, view, n } = place(g, memory)
    calls.forward(at, g, true)
    const whole = view(at.y, n.y).slice()
    calls.backwardInput(at, g)
    const wholeDx = view(at.dx, n.x).slice()
    calls.backwardWeight(at, g)
    const wholeDw = view(at.dw, n.w).slice()

    view(at.y, n.y).fill(-7)
    calls.forward(at, g, true, { b0: 1, b1: 3 })
    const perImage = n.y / g.batch
    expect(view(at.y, perImage).every((v) => v === -7)).toBe(true) // image 0 untouched
    expect(view(at.y + 12 * perImage, perImage).every((v) => v === -7)).toBe(true) // image 3 too
    for (const [b0, b1] of [
      [0, 1],
      [3, 5]
    ])
      calls.forward({ ...at, scratch: at.scratch2 }, g, true, { b0, b1 })
    expectSameBits(view(at.y, n.y), whole)

    view(at.dx, n.x).fill(NaN)
    for (const [b0, b1] of [
      [0, 2],
      [2, 5]
    ])
      calls.backwardInput(at, g, { b0, b1 })
    expectSameBits(view(at.dx, n.x), wholeDx)

    view(at.dw, n.w).fill(0)
    view(at.db, g.outChannels).fill(0)
    for (const [b0, b1] of [
      [0, 2],
      [2, 5]
    ])
      calls.backwardWeight(at, g, { b0, b1 })
    expectSameBits(view(at.dw, n.w), wholeDw)
  })

  it('write nothing past an output or the scratch (convScratchBytes), whatever the method', () => {
    const memory = createMemory(1 << 24, false)
    const calls = new ConvKernelCalls(instantiateConvKernels(memory))
    const f32 = new Float32Array(memory.buffer)
    const CANARY = 12345.5
    for (const shape of SHAPES) {
      const g = geometryOf([Math.min(shape[0], 2), ...shape.slice(1)] as Shape)
      const { at, n } = place(g, memory)
      // Each output (and the scratch) is followed by 32 bytes of canaries.
      const outputs: [number, number][] = [
        [at.y, n.y],
        [at.dx, n.x],
        [at.dw, n.w],
        [at.db, g.outChannels],
        [at.scratch, convScratchBytes(g) / 4]
      ]
      for (const method of METHODS) {
        for (const [address, floats] of outputs)
          f32.fill(CANARY, (address >> 2) + floats, (address >> 2) + floats + 8)
        calls.forward(at, g, true, { b0: 0, b1: g.batch }, method)
        calls.backwardInput(at, g)
        calls.backwardWeight(at, g)
        for (const [address, floats] of outputs) {
          const after = Array.from(
            f32.subarray((address >> 2) + floats, (address >> 2) + floats + 8)
          )
          expect(after, `${nameOf(g)} ${method}`).toEqual(new Array(8).fill(CANARY))
        }
      }
    }
  })

  it('share one memory with the dense kernels, private or shared (threads), with the same results', () => {
    const g = geometryOf([2, 2, 8, 9, 4, 3, 1, 1])
    const results: Float32Array[] = []
    for (const shared of [false, true]) {
      const memory = createMemory(1 << 20, shared)
      instantiateKernels(memory) // the dense engine's module on the same memory
      const calls = new ConvKernelCalls(instantiateConvKernels(memory))
      const { at, view, n } = place(g, memory)
      calls.forward(at, g)
      results.push(view(at.y, n.y).slice())
    }
    expectSameBits(results[1], results[0])
    const n = sizes(g)
    const yRef = new Float32Array(n.y)
    conv2dForward(seededValues(n.x, 11), seededValues(n.w, 12), seededValues(4, 13), yRef, g)
    const yScale = new Float32Array(n.y)
    conv2dForward(
      abs(seededValues(n.x, 11)),
      abs(seededValues(n.w, 12)),
      abs(seededValues(4, 13)),
      yScale,
      g
    )
    expect(worstError(results[0], yRef, yScale)).toBeLessThanOrEqual(TOLERANCE)
  })
})

describe('max-pooling kernels: bit-identical to core/tensor/conv.ts, ties and NaN included', () => {
  const engine = new ConvEngine()
  const POOLS: [batch: number, C: number, H: number, W: number, size: number][] = [
    [64, 6, 28, 28, 2],
    [64, 16, 10, 10, 2],
    [3, 2, 9, 11, 2],
    [2, 3, 17, 19, 2],
    [2, 1, 2, 2, 2],
    [2, 3, 10, 10, 3],
    [1, 2, 7, 9, 3],
    [2, 2, 8, 8, 4],
    [1, 1, 5, 5, 1]
  ]
  for (const [batch, channels, inHeight, inWidth, size] of POOLS) {
    const g: PoolGeometry = poolGeometry({ batch, channels, inHeight, inWidth, size })
    it(`B=${batch} C=${channels} ${inHeight}×${inWidth}, size ${size}`, () => {
      const nx = batch * channels * inHeight * inWidth
      const ny = batch * channels * g.outHeight * g.outWidth
      // Small integers: many ties within a window (the first maximum must win), −0 next to +0, NaN.
      const x = seededValues(nx, size + 20).map((v) => Math.round(v * 3))
      for (let i = 0; i < nx; i += 7) x[i] = -0
      for (let i = 3; i < nx; i += 29) x[i] = NaN
      const [y, yRef] = [new Float32Array(ny), new Float32Array(ny)]
      const [argmax, argmaxRef] = [new Uint32Array(ny), new Uint32Array(ny)]
      engine.maxPool2dForward(x, y, argmax, g)
      maxPool2dForward(x, yRef, argmaxRef, g)
      expectSameBits(argmax, argmaxRef)
      expectSameBits(y, yRef)

      const dy = seededValues(ny, size + 21)
      dy[0] = -0
      const [dx, dxRef] = [new Float32Array(nx).fill(9), new Float32Array(nx)]
      engine.maxPool2dBackward(dy, argmaxRef, dx, g)
      maxPool2dBackward(dy, argmaxRef, dxRef, g)
      expectSameBits(dx, dxRef)
    })
  }
})
