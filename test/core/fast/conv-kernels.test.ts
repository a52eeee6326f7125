// The convolution kernels (core/wasm/conv-kernels.wat, through core/fast/conv-kernel-calls.ts and
// ConvEngine) against their specification, core/tensor/conv.ts, on many geometries and on sparse
// MNIST-like images; and as a trainer calls them. Tolerance: see test/helpers/conv.ts.

import { describe, expect, it } from 'vitest'
import {
  conv2dForward,
  ConvEngine,
  ConvKernelCalls,
  convScratchBytes,
  createMemory,
  instantiateKernels,
  wholeBatch,
  allFilters,
  type ConvGeometry,
  type ConvMethod,
  type DyMethod
} from '../../../core'
import { seededValues } from '../../helpers/gradcheck'
import {
  abs,
  expectSameBits,
  geometryOf,
  convCase,
  nameOf,
  SHAPES,
  sizes,
  TOLERANCE,
  worstError,
  type Shape
} from '../../helpers/conv'

/** Every way the forward computes (stride ≠ 1 runs im2col whatever is asked). */
const METHODS: readonly ConvMethod[] = ['auto', 'im2col', 'direct']
/** Every way the weight gradient goes over dy. */
const DY_METHODS: readonly DyMethod[] = ['dense', 'nonzeros']

/**
 * A dy as a max-pool of size 2 and a ReLU make it: each 2 × 2 window's gradient at one pixel of it
 * (a seeded pick), a quarter of those zeroed (the ReLU's dead units): about 1 in 5 values nonzero.
 */
function routedGradient(g: ConvGeometry): Float32Array {
  const dy = new Float32Array(g.batch * g.outChannels * g.outHeight * g.outWidth)
  const values = seededValues(dy.length, 31)
  const picks = seededValues(dy.length, 32)
  for (let i = 0; i < dy.length; i++) {
    const column = i % g.outWidth
    const row = Math.floor(i / g.outWidth) % g.outHeight
    const pick = Math.floor((picks[i - (row % 2) * g.outWidth - (column % 2)] + 1) * 2) % 4
    const winner = (row % 2) * 2 + (column % 2) === pick
    if (winner && values[i] > -0.5) dy[i] = values[i]
  }
  return dy
}

describe('convolution kernels against core/tensor/conv.ts', () => {
  const engine = new ConvEngine()

  for (const shape of SHAPES) {
    const g = geometryOf(shape)
    for (const input of ['random', 'MNIST-like'] as const) {
      if (input === 'MNIST-like' && g.inChannels > 1 && g.batch < 64) continue
      it(`${nameOf(g)}, ${input} input: forward (and fused ReLU), input gradient, weight gradient`, () => {
        const n = sizes(g)
        const { x, w, bias, dy, dw0, db0, ...reference } = convCase(g, input)
        const forward = reference.forward()
        const inputGradient = reference.inputGradient()
        const weight = reference.weightGradient()

        for (const method of METHODS) {
          const y = new Float32Array(n.y)
          engine.conv2dForward(x, w, bias, y, g, false, method)
          expect(worstError(y, forward.y, forward.scale), method).toBeLessThanOrEqual(TOLERANCE)
          engine.conv2dForward(x, w, bias, y, g, true, method)
          expect(worstError(y, forward.relu, forward.scale), method).toBeLessThanOrEqual(TOLERANCE)
        }

        const inputResults = DY_METHODS.map((method) => {
          const dx = new Float32Array(n.x).fill(NaN) // overwritten, not accumulated
          engine.conv2dBackwardInput(dy, w, dx, g, method)
          const error = worstError(dx, inputGradient.dx, inputGradient.scale)
          expect(error, method).toBeLessThanOrEqual(TOLERANCE)
          return dx
        })
        expectSameBits(inputResults[1], inputResults[0])

        for (const method of DY_METHODS) {
          const [dw, db] = [dw0.slice(), db0.slice()]
          engine.conv2dBackwardWeight(x, dy, dw, db, g, method)
          expect(worstError(dw, weight.dw, weight.dwScale), method).toBeLessThanOrEqual(TOLERANCE)
          expect(worstError(db, weight.db, weight.dbScale), method).toBeLessThanOrEqual(TOLERANCE)
        }
      })
    }
  }

  it('the gradients over a dy routed by a max-pool (mostly zeros, as in training): both ways, the same bits', () => {
    // odd sizes, stride 2, 'same' padding, batch 1 and an odd batch, channels past a block of 8, k > 5
    for (const shape of [
      [64, 6, 14, 14, 16, 5, 1, 0],
      [3, 5, 9, 7, 7, 3, 2, 1],
      [1, 7, 17, 15, 10, 5, 1, 2],
      [5, 4, 12, 11, 9, 5, 1, 2],
      [2, 9, 8, 8, 5, 3, 1, 1], // 9 channels: a second block of 8 with one lane
      [2, 3, 12, 11, 4, 7, 1, 3] // k > 5: the input gradient takes the GEMM
    ] as Shape[]) {
      const g = geometryOf(shape)
      const dy = routedGradient(g)
      const { x, w, dw0, db0, ...reference } = convCase(g, 'random', dy)
      const weight = reference.weightGradient()
      const inputGradient = reference.inputGradient()
      const inputResults = DY_METHODS.map((method) => {
        const dx = new Float32Array(sizes(g).x).fill(NaN) // overwritten, not accumulated
        engine.conv2dBackwardInput(dy, w, dx, g, method)
        const error = worstError(dx, inputGradient.dx, inputGradient.scale)
        expect(error, `${nameOf(g)} ${method}`).toBeLessThanOrEqual(TOLERANCE)
        return dx
      })
      // Each column of dcol summed over o in order, the columns added in col2im's order: the same bits.
      expectSameBits(inputResults[1], inputResults[0])
      const results = DY_METHODS.map((method) => {
        const [dw, db] = [dw0.slice(), db0.slice()]
        engine.conv2dBackwardWeight(x, dy, dw, db, g, method)
        const weightError = worstError(dw, weight.dw, weight.dwScale)
        expect(weightError, `${nameOf(g)} ${method}`).toBeLessThanOrEqual(TOLERANCE)
        expect(worstError(db, weight.db, weight.dbScale)).toBeLessThanOrEqual(TOLERANCE)
        return dw
      })
      // The same products added in the same order, the zeros' (+0) skipped: the same bits, so a
      // trainer's run does not change with the method.
      expectSameBits(results[1], results[0])
    }
  })

  it('the tolerance is tight enough to catch a tap off by 1e-3 or a bias off by 1e-3', () => {
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

  for (const method of DY_METHODS)
    it(`images b0..b1 only: split into ranges, every result is bit-identical to the whole batch (dy: ${method})`, () => {
      const g = geometryOf([5, 3, 12, 10, 6, 3, 1, 1])
      const memory = createMemory(1 << 22, false)
      const calls = new ConvKernelCalls(memory)
      const { at, view, n } = place(g, memory)
      calls.forward(at, g, true)
      const whole = view(at.y, n.y).slice()
      calls.backwardInput(at, g)
      const wholeDx = view(at.dx, n.x).slice()
      calls.backwardWeight(at, g, wholeBatch(g), allFilters(g), method)
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
        calls.backwardWeight(at, g, { b0, b1 }, allFilters(g), method)
      expectSameBits(view(at.dw, n.w), wholeDw)
    })

  for (const method of DY_METHODS)
    it(`filters o0..o1 only: the weight gradient split by filters is bit-identical, the rest untouched (dy: ${method})`, () => {
      // odd sizes, stride 2, 'same'-like padding; 9 filters cut unevenly (4 + 5, and 1 + 3 + 5)
      const g = geometryOf([3, 2, 11, 9, 9, 3, 2, 1])
      const memory = createMemory(1 << 22, false)
      const calls = new ConvKernelCalls(memory)
      const { at, view, n } = place(g, memory)
      const filterFloats = n.w / g.outChannels
      view(at.dw, n.w).set(seededValues(n.w, 21)) // it accumulates: start from something
      view(at.db, g.outChannels).set(seededValues(g.outChannels, 22))
      const startDw = view(at.dw, n.w).slice()
      const startDb = view(at.db, g.outChannels).slice()
      calls.backwardWeight(at, g, wholeBatch(g), allFilters(g), method)
      const [wholeDw, wholeDb] = [view(at.dw, n.w).slice(), view(at.db, g.outChannels).slice()]

      for (const cuts of [
        [0, 4, 9],
        [0, 1, 4, 9]
      ]) {
        view(at.dw, n.w).set(startDw)
        view(at.db, g.outChannels).set(startDb)
        calls.backwardWeight(at, g, wholeBatch(g), { o0: cuts[1], o1: cuts[2] }, method)
        // only filters cuts[1]..cuts[2] changed so far
        expectSameBits(
          view(at.dw, cuts[1] * filterFloats),
          startDw.subarray(0, cuts[1] * filterFloats)
        )
        expectSameBits(
          view(at.dw + cuts[2] * filterFloats * 4, n.w - cuts[2] * filterFloats),
          startDw.subarray(cuts[2] * filterFloats)
        )
        expectSameBits(view(at.db, cuts[1]), startDb.subarray(0, cuts[1]))
        for (let i = 0; i + 1 < cuts.length; i++)
          if (i !== 1)
            calls.backwardWeight(
              { ...at, scratch: at.scratch2 },
              g,
              wholeBatch(g),
              { o0: cuts[i], o1: cuts[i + 1] },
              method
            )
        expectSameBits(view(at.dw, n.w), wholeDw)
        expectSameBits(view(at.db, g.outChannels), wholeDb)
      }
    })

  it('write nothing past an output or the scratch (convScratchBytes), whatever the method', () => {
    const memory = createMemory(1 << 24, false)
    const calls = new ConvKernelCalls(memory)
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
        for (const dy of DY_METHODS) {
          calls.backwardInput(at, g, wholeBatch(g), dy)
          calls.backwardWeight(at, g, wholeBatch(g), allFilters(g), dy)
        }
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
      // the dense engine's module on the same memory (the build that matches the memory's kind)
      instantiateKernels(memory)
      const calls = new ConvKernelCalls(memory)
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
