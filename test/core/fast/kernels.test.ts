// Each WebAssembly SIMD kernel (core/wasm/kernels.wat) of the sparse dense layer against its plain reference:
// encoding rows as CSR, and the forward, weight-gradient and input-gradient products against the
// matmul*Reference functions of core/tensor/matmul.ts. The loss and optimizer kernels are in
// kernels-loss-optim.test.ts.

import { describe, expect, it } from 'vitest'
import { matmulABReference, matmulABtReference, matmulAtBAccumulateReference } from '../../../core'
import { byteCompactionTable, laneCompactionTable } from '../../../core/fast/encoding'
import { seededValues } from '../../helpers/gradcheck'
import {
  Arena,
  csrOf,
  expectClose,
  sparseValues,
  transposedPadded,
  unpad
} from '../../helpers/kernel-arena'

describe('encoding rows as sparse (CSR) rows', () => {
  const a = new Arena()

  it('encode_u8 finds every nonzero byte, in order, with value byte / 255, for any width', () => {
    const compact = a.take(2048)
    a.u8.set(byteCompactionTable(), compact)
    for (const n of [784, 256, 25, 16, 7, 1]) {
      const count = 9
      const pixels = a.take(count * n + 16)
      const bytes = seededValues(count * n, n, 0, 1).map((u, i) => (u < 0.7 ? 0 : (i * 37) % 256))
      a.u8.set(Uint8Array.from(bytes), pixels)
      a.u8.fill(255, pixels + count * n, pixels + count * n + 16) // the next image's bytes must be ignored
      const order = [8, 3, 0, 5, 1]
      const samples = a.take(order.length * 4)
      a.i32.set(order, samples >> 2)
      const stride = Math.ceil((n + 8) / 4) * 4
      const idx = a.take(order.length * stride * 4)
      const val = a.take(order.length * stride * 4)
      const cnt = a.take(order.length * 4)
      a.kernels.encode_u8(pixels, samples, 0, order.length, n, compact, idx, val, cnt, stride)
      order.forEach((image, r) => {
        const expectedIdx: number[] = []
        const expectedVal: number[] = []
        for (let p = 0; p < n; p++) {
          const byte = a.u8[pixels + image * n + p]
          if (byte !== 0) {
            expectedIdx.push(p)
            expectedVal.push(Math.fround(byte / 255)) // what fillBatch's table holds
          }
        }
        const k = a.i32[(cnt >> 2) + r]
        expect(k, `n=${n} row ${r}`).toBe(expectedIdx.length)
        expect(
          Array.from(a.i32.subarray((idx >> 2) + r * stride, (idx >> 2) + r * stride + k))
        ).toEqual(expectedIdx)
        expect(
          Array.from(a.f32.subarray((val >> 2) + r * stride, (val >> 2) + r * stride + k))
        ).toEqual(expectedVal)
      })
    }
  })

  it('encode_u8 maps all 256 byte values exactly as fillBatch does (value / 255, rounded to float32)', () => {
    const compact = a.take(2048)
    a.u8.set(byteCompactionTable(), compact)
    const pixels = a.take(256 + 16)
    for (let v = 0; v < 256; v++) a.u8[pixels + v] = v
    const samples = a.take(4)
    a.i32[samples >> 2] = 0
    const idx = a.take(264 * 4)
    const val = a.take(264 * 4)
    const cnt = a.take(4)
    a.kernels.encode_u8(pixels, samples, 0, 1, 256, compact, idx, val, cnt, 264)
    expect(a.i32[cnt >> 2]).toBe(255)
    for (let v = 1; v < 256; v++) expect(a.f32[(val >> 2) + v - 1]).toBe(Math.fround(v / 255))
  })

  it('gather_sparse rebuilds, from the pre-encoded dataset, exactly the rows encode_u8 makes from the bytes', () => {
    const compact = a.take(2048)
    a.u8.set(byteCompactionTable(), compact)
    const n = 100
    const count = 12
    const bytes = Uint8Array.from(seededValues(count * n, 77, 0, 1), (u, i) =>
      u < 0.75 ? 0 : 1 + ((i * 13) % 255)
    )
    const pixels = a.take(count * n + 16)
    a.u8.set(bytes, pixels)
    // The encoded dataset, as FastNetwork.loadDataset writes it.
    const offsets: number[] = [0]
    const indices: number[] = []
    const values: number[] = []
    for (let s = 0; s < count; s++) {
      for (let p = 0; p < n; p++)
        if (bytes[s * n + p] !== 0) {
          indices.push(p)
          values.push(bytes[s * n + p])
        }
      offsets.push(indices.length)
    }
    const offsetsAt = a.take(offsets.length * 4)
    a.i32.set(offsets, offsetsAt >> 2)
    const indicesAt = a.take(indices.length * 2 + 16)
    new Uint16Array(a.u8.buffer, indicesAt, indices.length).set(indices)
    const bytesAt = a.take(values.length + 16)
    a.u8.set(values, bytesAt)
    const order = [11, 0, 5, 5, 3, 9, 1]
    const samples = a.take(order.length * 4)
    a.i32.set(order, samples >> 2)
    const stride = n + 8
    const make = () => ({
      idx: a.take(order.length * stride * 4),
      val: a.take(order.length * stride * 4),
      cnt: a.take(order.length * 4)
    })
    const fromBytes = make()
    const fromEncoded = make()
    a.kernels.encode_u8(
      pixels,
      samples,
      0,
      order.length,
      n,
      compact,
      fromBytes.idx,
      fromBytes.val,
      fromBytes.cnt,
      stride
    )
    a.kernels.gather_sparse(
      offsetsAt,
      indicesAt,
      bytesAt,
      samples,
      0,
      order.length,
      fromEncoded.idx,
      fromEncoded.val,
      fromEncoded.cnt,
      stride
    )
    for (let r = 0; r < order.length; r++) {
      const k = a.i32[(fromBytes.cnt >> 2) + r]
      expect(a.i32[(fromEncoded.cnt >> 2) + r]).toBe(k)
      const row = (at: number) =>
        Array.from(a.f32.subarray((at >> 2) + r * stride, (at >> 2) + r * stride + k))
      const rowIdx = (at: number) =>
        Array.from(a.i32.subarray((at >> 2) + r * stride, (at >> 2) + r * stride + k))
      expect(rowIdx(fromEncoded.idx)).toEqual(rowIdx(fromBytes.idx))
      expect(row(fromEncoded.val)).toEqual(row(fromBytes.val))
    }
  })

  it('encode_f32 keeps every nonzero float (NaN too, not ±0), in order', () => {
    const compact = a.take(256)
    a.u8.set(laneCompactionTable(), compact)
    const rows = 5
    const n = 36
    const dense = sparseValues(rows * n, 3, 0.5)
    dense[7] = NaN
    dense[8] = -0
    const src = a.floats(dense)
    const stride = n + 8
    const idx = a.take(rows * stride * 4)
    const val = a.take(rows * stride * 4)
    const cnt = a.take(rows * 4)
    a.kernels.encode_f32(src, 0, rows, n, compact, idx, val, cnt, stride)
    for (let r = 0; r < rows; r++) {
      const expected: number[] = []
      for (let p = 0; p < n; p++)
        if (dense[r * n + p] !== 0 || Number.isNaN(dense[r * n + p])) expected.push(p)
      const k = a.i32[(cnt >> 2) + r]
      expect(
        Array.from(a.i32.subarray((idx >> 2) + r * stride, (idx >> 2) + r * stride + k))
      ).toEqual(expected)
      expected.forEach((p, j) =>
        expect(a.f32[(val >> 2) + r * stride + j]).toStrictEqual(dense[r * n + p])
      )
    }
  })
})

describe('sparse_forward: y = x·Wᵀ + b (then ReLU), against matmulABtReference', () => {
  // Output widths covering every chunk combination: 8-, 4-, 3- and 1-vector chunks.
  for (const out of [1, 4, 8, 10, 12, 16, 20, 28, 32, 36, 100, 128, 131]) {
    for (const relu of [0, 1]) {
      it(`${out} outputs, ReLU ${relu ? 'on' : 'off'}`, () => {
        const a = new Arena()
        const rows = 7
        const n = 50
        const x = sparseValues(rows * n, out, 0.8)
        const w = seededValues(out * n, out + 1)
        const b = seededValues(out, out + 2)
        const expected = new Float32Array(rows * out)
        matmulABtReference(x, w, expected, rows, n, out)
        for (let i = 0; i < expected.length; i++) {
          expected[i] += b[i % out]
          if (relu) expected[i] = expected[i] > 0 ? expected[i] : 0
        }
        const { wt, m } = transposedPadded(w, out, n)
        const csr = csrOf(a, x, rows, n)
        const bias = a.floats(Float32Array.from({ length: m }, (_, o) => (o < out ? b[o] : 0)))
        const y = a.take(rows * m * 4)
        a.kernels.sparse_forward(
          0,
          rows,
          csr.stride,
          csr.idx,
          csr.val,
          csr.cnt,
          a.floats(wt),
          m,
          bias,
          y,
          relu
        )
        const padded = a.readFloats(y, rows * m)
        expectClose(unpad(padded, rows, m, out), expected)
        for (let r = 0; r < rows; r++)
          for (let o = out; o < m; o++) expect(padded[r * m + o]).toBe(0) // padding stays 0
      })
    }
  }

  it('a row range r0..r1 leaves the other rows alone', () => {
    const a = new Arena()
    const csr = csrOf(a, Float32Array.of(1, 0, 2, 0, 3, 4), 3, 2)
    const wt = a.floats([1, 1, 1, 1, 2, 2, 2, 2]) // Wᵀ [2, 4]
    const y = a.floats(new Float32Array(12).fill(-1))
    a.kernels.sparse_forward(
      1,
      2,
      csr.stride,
      csr.idx,
      csr.val,
      csr.cnt,
      wt,
      4,
      a.floats(new Float32Array(4)),
      y,
      0
    )
    expect(Array.from(a.readFloats(y, 12))).toEqual([-1, -1, -1, -1, 2, 2, 2, 2, -1, -1, -1, -1])
  })
})

describe('sparse_weight_grad: dWᵀ += xᵀ·dy over weight rows p0..p1, against matmulAtBAccumulateReference', () => {
  for (const out of [4, 10, 12, 32, 44, 128]) {
    it(`${out} outputs, whole and split into row ranges (bit-identical)`, () => {
      const a = new Arena()
      const rows = 9
      const n = 60
      const x = sparseValues(rows * n, out + 5, 0.75)
      const dyReal = sparseValues(rows * out, out + 6, 0.5)
      // Reference: dW [out, n] += dyᵀ · x.
      const expected = new Float32Array(out * n)
      matmulAtBAccumulateReference(dyReal, x, expected, rows, out, n)
      const m = Math.ceil(out / 4) * 4
      const dy = new Float32Array(rows * m)
      for (let r = 0; r < rows; r++)
        for (let o = 0; o < out; o++) dy[r * m + o] = dyReal[r * out + o]
      const csr = csrOf(a, x, rows, n)
      const dyAt = a.floats(dy)
      const whole = a.take(n * m * 4)
      a.kernels.sparse_weight_grad(
        0,
        rows,
        n,
        csr.stride,
        csr.idx,
        csr.val,
        csr.cnt,
        dyAt,
        m,
        whole,
        0,
        n,
        1
      )
      const dwt = a.readFloats(whole, n * m)
      const dw = new Float32Array(out * n)
      for (let o = 0; o < out; o++) for (let p = 0; p < n; p++) dw[o * n + p] = dwt[p * m + o]
      expectClose(dw, expected)
      // The same rows computed in pieces, as threads share them: exactly the same numbers.
      const pieces = a.take(n * m * 4)
      for (const [p0, p1] of [
        [0, 7],
        [7, 31],
        [31, 32],
        [32, 60]
      ]) {
        a.kernels.sparse_weight_grad(
          0,
          rows,
          n,
          csr.stride,
          csr.idx,
          csr.val,
          csr.cnt,
          dyAt,
          m,
          pieces,
          p0,
          p1,
          1
        )
      }
      expect(a.readFloats(pieces, n * m)).toEqual(dwt)
      // scale = −lr into the weights themselves is plain SGD: w ← w − lr·Σ_r x·dy (to float rounding).
      const w0 = seededValues(n * m, out + 7)
      const weights = a.floats(w0)
      a.kernels.sparse_weight_grad(
        0,
        rows,
        n,
        csr.stride,
        csr.idx,
        csr.val,
        csr.cnt,
        dyAt,
        m,
        weights,
        0,
        n,
        -0.1
      )
      expectClose(
        a.readFloats(weights, n * m),
        w0.map((w, i) => w - 0.1 * dwt[i]),
        1e-6
      )
    })
  }

  it('column_sums: db = Σ_r dy[r, :]', () => {
    const a = new Arena()
    const dy = seededValues(5 * 12, 4)
    const db = a.take(48)
    a.kernels.column_sums(0, 5, a.floats(dy), 12, db)
    const expected = Array.from({ length: 12 }, (_, c) =>
      [0, 1, 2, 3, 4].reduce((s, r) => s + dy[r * 12 + c], 0)
    )
    expectClose(a.readFloats(db, 12), expected)
  })
})

describe('input gradients: dx = dy·W, against matmulABReference', () => {
  for (const out of [4, 10, 128]) {
    it(`${out} outputs: dense, and fused with the ReLU mask of the layer's input`, () => {
      const a = new Arena()
      const rows = 6
      const n = 40 // the previous layer's (padded) width
      const x = sparseValues(rows * n, out + 9, 0.5).map(Math.abs) // a ReLU output: ≥ 0, half zeros
      const w = seededValues(out * n, out + 10)
      const dyReal = seededValues(rows * out, out + 11)
      const expected = new Float32Array(rows * n)
      matmulABReference(dyReal, w, expected, rows, out, n)
      const { wt, m } = transposedPadded(w, out, n)
      const dy = new Float32Array(rows * m)
      for (let r = 0; r < rows; r++)
        for (let o = 0; o < out; o++) dy[r * m + o] = dyReal[r * out + o]
      const wtAt = a.floats(wt)
      const dyAt = a.floats(dy)
      const dense = a.take(rows * n * 4)
      a.kernels.input_grad_dense(0, rows, n, dyAt, m, wtAt, dense)
      expectClose(a.readFloats(dense, rows * n), expected)
      const csr = csrOf(a, x, rows, n)
      const fused = a.floats(new Float32Array(rows * n).fill(7)) // every entry must be written
      a.kernels.input_grad_relu(0, rows, n, csr.stride, csr.idx, csr.cnt, dyAt, m, wtAt, fused)
      expectClose(
        a.readFloats(fused, rows * n),
        expected.map((g, i) => (x[i] > 0 ? g : 0))
      )
      // At the nonzeros, the fused kernel's dot products (two at a time, $dot2) are the dense
      // kernel's ($dot) to the bit: each sums its products in the same order.
      const [fusedValues, denseValues] = [
        a.readFloats(fused, rows * n),
        a.readFloats(dense, rows * n)
      ]
      const atNonzeros = (values: Float32Array): number[] => [...values].filter((_, i) => x[i] > 0)
      expect(atNonzeros(fusedValues)).toEqual(atNonzeros(denseValues))
    })
  }
})
