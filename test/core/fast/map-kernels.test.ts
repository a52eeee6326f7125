// The elementwise map kernels (core/wasm/map-kernels.wat) against their references: ACTIVATIONS'
// inputGrad (core/nn/activations.ts) and Dropout's mask product (core/nn/dropout.ts).

import { describe, expect, it } from 'vitest'
import { ACTIVATIONS, createMemory, instantiateMapKernels } from '../../../core'
import { seededValues } from '../../helpers/gradcheck'
import { expectSameBits } from '../../helpers/conv'

const memory = createMemory(1 << 20, false)
const map = instantiateMapKernels(memory)
const f32 = new Float32Array(memory.buffer)

/** Puts `values` at byte address `at` and returns the address. */
function put(at: number, values: Float32Array): number {
  f32.set(values, at >> 2)
  return at
}
const read = (at: number, n: number): Float32Array => f32.slice(at >> 2, (at >> 2) + n)

// Sizes around the vector width (the scalar tail) and a feature map's (6·28·28 = 4 704).
const SIZES = [1, 3, 4, 7, 16, 33, 4704]

describe('map kernels agree with their references', () => {
  for (const n of SIZES) {
    const y = seededValues(n, n + 1)
    for (let i = 0; i < n; i += 5) y[i] = 0
    for (let i = 2; i < n; i += 11) y[i] = -0
    for (let i = 4; i < n; i += 13) y[i] = NaN
    const dy = seededValues(n, n + 2)

    it(`ReLU's mask, bit for bit (n = ${n}, zeros, −0 and NaN outputs)`, () => {
      const [yAt, dyAt] = [put(0, y), put(65_536, dy)]
      map.relu_backward(yAt, dyAt, n)
      const expected = dy.map((g, i) => ACTIVATIONS.relu.inputGrad(y[i], g))
      expectSameBits(read(dyAt, n), expected)
    })

    for (const kind of ['sigmoid', 'tanh'] as const) {
      it(`${kind}′ up to float32 rounding (n = ${n})`, () => {
        const out = seededValues(n, n + 3).map((v) => ACTIVATIONS[kind].apply(v))
        const [yAt, dyAt] = [put(0, out), put(65_536, dy)]
        map[`${kind}_backward`](yAt, dyAt, n)
        const actual = read(dyAt, n)
        const expected = dy.map((g, i) => ACTIVATIONS[kind].inputGrad(out[i], g))
        expected.forEach((e, i) =>
          expect(Math.abs(actual[i] - e)).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(e)))
        )
      })
    }

    it(`dropout's product x ⊙ mask, bit for bit, also in place (n = ${n})`, () => {
      const scale = Math.fround(1 / (1 - 0.3))
      const mask = Float32Array.from({ length: n }, (_, i) => ((i * 7919) % 10 < 3 ? 0 : scale))
      const expected = y.map((v, i) => v * mask[i])
      const [xAt, maskAt, outAt] = [put(0, y), put(65_536, mask), 131_072]
      map.multiply(xAt, maskAt, outAt, n)
      expectSameBits(read(outAt, n), expected)
      map.multiply(xAt, maskAt, xAt, n)
      expectSameBits(read(xAt, n), expected)
    })
  }

  it('writes nothing past n floats', () => {
    const n = 5
    f32.fill(7, 0, 64)
    map.relu_backward(65_536, 0, n)
    map.multiply(0, 65_536, 0, n)
    expect(Array.from(read(n * 4, 8))).toEqual(new Array(8).fill(7))
  })
})
