// The sparse first-layer kernels (conv_forward_sparse, conv_backward_weight_sparse) against
// core/tensor/conv.ts: over x's nonzeros as CSR rows, on every geometry they take, and on the rows the
// dense engine's own encoder (encode_u8) makes. Tolerance: see test/helpers/conv.ts.

import { describe, expect, it } from 'vitest'
import {
  conv2dBackwardWeight,
  conv2dForward,
  ConvEngine,
  ConvKernelCalls,
  convScratchBytes,
  createMemory,
  instantiateKernels,
  sparseConvSupported
} from '../../../core'
import { byteCompactionTable } from '../../../core/fast/encoding'
import { seededValues } from '../../helpers/gradcheck'
import {
  abs,
  geometryOf,
  convCase,
  mnistLike,
  nameOf,
  SHAPES,
  sizes,
  TOLERANCE,
  worstError,
  type Shape
} from '../../helpers/conv'

describe('the sparse kernels against core/tensor/conv.ts', () => {
  const engine = new ConvEngine()
  for (const shape of SHAPES) {
    const g = geometryOf(shape)
    if (!sparseConvSupported(g)) continue
    for (const input of ['random', 'MNIST-like'] as const) {
      if (input === 'MNIST-like' && g.inChannels > 1 && g.batch < 64) continue
      it(`${nameOf(g)}, ${input} input: forward (and fused ReLU), weight gradient`, () => {
        const n = sizes(g)
        const { x, w, bias, dy, dw0, db0, ...reference } = convCase(g, input)
        const forward = reference.forward()
        const weight = reference.weightGradient()

        const y = new Float32Array(n.y)
        engine.conv2dForwardSparse(x, w, bias, y, g)
        expect(worstError(y, forward.y, forward.scale)).toBeLessThanOrEqual(TOLERANCE)
        engine.conv2dForwardSparse(x, w, bias, y, g, true)
        expect(worstError(y, forward.relu, forward.scale)).toBeLessThanOrEqual(TOLERANCE)
        const [dw, db] = [dw0.slice(), db0.slice()]
        engine.conv2dBackwardWeightSparse(x, dy, dw, db, g)
        expect(worstError(dw, weight.dw, weight.dwScale)).toBeLessThanOrEqual(TOLERANCE)
        expect(worstError(db, weight.db, weight.dbScale)).toBeLessThanOrEqual(TOLERANCE)
      })
    }
  }
})

describe('the sparse first layer on the CSR rows the dense engine builds', () => {
  it('conv1 of LeNet over the rows encode_u8 makes of MNIST-like bytes equals the reference on the same pixels', () => {
    const g = geometryOf([16, 1, 28, 28, 6, 5, 1, 2])
    const n = sizes(g)
    const memory = createMemory(1 << 24, false)
    const dense = instantiateKernels(memory)
    const calls = new ConvKernelCalls(memory)
    const [u8, f32] = [new Uint8Array(memory.buffer), new Float32Array(memory.buffer)]
    let next = 64
    const take = (bytes: number): number => {
      const at = next
      next = Math.ceil((at + bytes + 32) / 16) * 16
      return at
    }
    // A batch of bytes with MNIST's sparsity, encoded by the dense engine's own kernel.
    const bytes = Uint8Array.from(mnistLike(g), (v) => Math.round(v * 255))
    const pixels = take(bytes.length + 16)
    u8.set(bytes, pixels)
    const compact = take(2048)
    u8.set(byteCompactionTable(), compact)
    const samples = take(g.batch * 4)
    new Int32Array(memory.buffer, samples, g.batch).set(
      Array.from({ length: g.batch }, (_, b) => b)
    )
    const stride = Math.ceil((784 + 8) / 4) * 4
    const csr = {
      index: take(g.batch * stride * 4),
      value: take(g.batch * stride * 4),
      count: take(g.batch * 4),
      stride
    }
    dense.encode_u8(
      pixels,
      samples,
      0,
      g.batch,
      784,
      compact,
      csr.index,
      csr.value,
      csr.count,
      stride
    )

    const x = Float32Array.from(bytes, (v) => Math.fround(v / 255)) // what fillBatch gives the reference
    const w = seededValues(n.w, 2, -0.5, 0.5)
    const bias = seededValues(g.outChannels, 3)
    const dy = seededValues(n.y, 4)
    const at = {
      w: take(n.w * 4),
      bias: take(24),
      y: take(n.y * 4),
      dy: take(n.y * 4),
      dw: take(n.w * 4),
      db: take(24)
    }
    const scratch = take(convScratchBytes(g))
    f32.set(w, at.w >> 2)
    f32.set(bias, at.bias >> 2)
    f32.set(dy, at.dy >> 2)
    calls.forwardSparse({ csr, ...at, scratch }, g, true)
    calls.backwardWeightSparse({ csr, ...at, scratch }, g)

    const [yRef, yScale] = [new Float32Array(n.y), new Float32Array(n.y)]
    conv2dForward(x, w, bias, yRef, g)
    conv2dForward(abs(x), abs(w), abs(bias), yScale, g)
    const y = f32.slice(at.y >> 2, (at.y >> 2) + n.y)
    expect(
      worstError(
        y,
        yRef.map((v) => (v > 0 ? v : 0)),
        yScale
      )
    ).toBeLessThanOrEqual(TOLERANCE)
    const [dwRef, dbRef, dwScale, dbScale] = [
      new Float32Array(n.w),
      new Float32Array(6),
      new Float32Array(n.w),
      new Float32Array(6)
    ]
    conv2dBackwardWeight(x, dy, dwRef, dbRef, g)
    conv2dBackwardWeight(abs(x), abs(dy), dwScale, dbScale, g)
    expect(
      worstError(f32.slice(at.dw >> 2, (at.dw >> 2) + n.w), dwRef, dwScale)
    ).toBeLessThanOrEqual(TOLERANCE)
    expect(worstError(f32.slice(at.db >> 2, (at.db >> 2) + 6), dbRef, dbScale)).toBeLessThanOrEqual(
      TOLERANCE
    )
  })

  it('refuses (traps on) a geometry it does not handle: stride 2, or k > 5', () => {
    const engine = new ConvEngine()
    for (const shape of [
      [1, 1, 8, 8, 2, 3, 2, 1],
      [1, 1, 9, 9, 2, 7, 1, 3]
    ] as Shape[]) {
      const g = geometryOf(shape)
      expect(sparseConvSupported(g)).toBe(false)
      const n = sizes(g)
      expect(() =>
        engine.conv2dForwardSparse(
          new Float32Array(n.x),
          new Float32Array(n.w),
          new Float32Array(2),
          new Float32Array(n.y),
          g
        )
      ).toThrow()
    }
  })
})
