import { describe, expect, it } from 'vitest'
import {
  matmulAB,
  matmulABReference,
  matmulABt,
  matmulABtReference,
  matmulAtBAccumulate,
  matmulAtBAccumulateReference
} from '../../../core'
import { seededValues } from '../../helpers/gradcheck'

/** Random values with about `zeroFraction` of them exactly 0, like MNIST pixels or ReLU outputs. */
function sparseValues(n: number, seed: number, zeroFraction: number): Float32Array {
  const values = seededValues(n, seed)
  const mask = seededValues(n, seed + 99, 0, 1)
  for (let i = 0; i < n; i++) if (mask[i] < zeroFraction) values[i] = 0
  return values
}

function expectClose(actual: Float32Array, expected: Float32Array): void {
  expect(actual.length).toBe(expected.length)
  let worst = 0
  for (let i = 0; i < actual.length; i++) {
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / (1 + Math.abs(expected[i])))
  }
  expect(worst).toBeLessThanOrEqual(1e-5)
}

describe('matrix products', () => {
  it('reference A·Bᵀ matches a hand-computed 2×3 · (2×3)ᵀ', () => {
    const a = Float32Array.of(1, 2, 3, 4, 5, 6)
    const b = Float32Array.of(1, 0, -1, 2, 1, 0)
    const c = new Float32Array(4)
    matmulABtReference(a, b, c, 2, 3, 2)
    expect(Array.from(c)).toEqual([1 - 3, 2 + 2, 4 - 6, 8 + 5])
  })

  it('reference A·B matches a hand-computed product', () => {
    const a = Float32Array.of(1, 2, 3, 4) // [[1, 2], [3, 4]]
    const b = Float32Array.of(5, 6, 7, 8) // [[5, 6], [7, 8]]
    const c = new Float32Array(4)
    matmulABReference(a, b, c, 2, 2, 2)
    expect(Array.from(c)).toEqual([19, 22, 43, 50])
  })

  it('reference Aᵀ·B accumulates into C', () => {
    const a = Float32Array.of(1, 2, 3, 4) // [[1, 2], [3, 4]] → Aᵀ = [[1, 3], [2, 4]]
    const b = Float32Array.of(5, 6, 7, 8)
    const c = Float32Array.of(1, 1, 1, 1)
    matmulAtBAccumulateReference(a, b, c, 2, 2, 2)
    expect(Array.from(c)).toEqual([1 + 26, 1 + 30, 1 + 38, 1 + 44])
  })

  // Shapes that occur in training (batch 32, 784 → 10 → 10; 784 → 128) and awkward odd ones.
  const shapes: [number, number, number][] = [
    [32, 784, 10],
    [32, 10, 10],
    [7, 784, 128],
    [3, 5, 1],
    [1, 1, 1],
    [17, 33, 9]
  ]
  for (const zeroFraction of [0, 0.5, 0.81, 1]) {
    for (const [m, k, n] of shapes) {
      it(`fast kernels agree with the references for ${m}×${k}×${n}, ${zeroFraction * 100}% zeros`, () => {
        const a = sparseValues(m * k, m + k, zeroFraction)
        const bt = seededValues(n * k, n * 7 + k)
        const expected = new Float32Array(m * n)
        const actual = new Float32Array(m * n).fill(123) // must be overwritten, not accumulated into
        matmulABtReference(a, bt, expected, m, k, n)
        matmulABt(a, bt, actual, m, k, n)
        expectClose(actual, expected)

        const b = seededValues(k * n, k + 3 * n)
        matmulABReference(a, b, expected, m, k, n)
        actual.fill(-7)
        matmulAB(a, b, actual, m, k, n)
        expectClose(actual, expected)

        // Aᵀ·B with A: [m, k] read as [k', m'] = [m, k]: C[k, n] += A[m, k]ᵀ · B2[m, n]
        const b2 = sparseValues(m * n, 5 * m + n, zeroFraction)
        const start = seededValues(k * n, 11)
        const expectedAcc = Float32Array.from(start)
        const actualAcc = Float32Array.from(start)
        matmulAtBAccumulateReference(a, b2, expectedAcc, m, k, n)
        matmulAtBAccumulate(a, b2, actualAcc, m, k, n)
        expectClose(actualAcc, expectedAcc)
      })
    }
  }
})
