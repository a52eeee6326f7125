// core/nn/softmax.ts: hand-computed values, the large-logit cases that need the max shift, and
// bit-for-bit agreement with the copies it replaced (so no loss or probability shown before changed).

import { describe, expect, it } from 'vitest'
import { argmax, logSumExp, softmaxRow } from '../../../core'
import { seededValues } from '../../helpers/gradcheck'

/** The loss layer's softmaxRow as it was before core/nn/softmax.ts (commit b66d466). */
function formerSoftmaxRow(z: Float32Array, out: Float32Array, offset: number, n: number): number {
  let max = -Infinity
  for (let j = 0; j < n; j++) if (z[offset + j] > max) max = z[offset + j]
  let sum = 0
  for (let j = 0; j < n; j++) {
    const e = Math.exp(z[offset + j] - max)
    out[offset + j] = e
    sum += e
  }
  for (let j = 0; j < n; j++) out[offset + j] /= sum
  return max + Math.log(sum)
}

/** The gradient check's float64 log-sum-exp as it was before (core/explain/gradient-check.ts). */
function formerFloat64LogSumExp(z: Float64Array): number {
  let max = -Infinity
  for (const v of z) if (v > max) max = v
  let sum = 0
  for (const v of z) sum += Math.exp(v - max)
  return max + Math.log(sum)
}

describe('argmax', () => {
  it('is the index of the largest value, counted from the row’s offset', () => {
    expect(argmax([0.1, 0.7, 0.2])).toBe(1)
    expect(argmax([-3, -1, -2])).toBe(1)
    expect(argmax(Float32Array.of(9, 9, 0, 1, 5, 2), 3, 3)).toBe(1) // row [1, 5, 2]
    expect(argmax([4])).toBe(0)
  })

  it('gives ties to the lower index, as numpy does', () => {
    expect(argmax([2, 5, 5, 1])).toBe(1)
    expect(argmax([0, 0, 0])).toBe(0)
  })
})

describe('logSumExp', () => {
  it('matches hand-computed values', () => {
    expect(logSumExp([0, 0])).toBeCloseTo(Math.LN2, 15) // log(1 + 1)
    expect(logSumExp([Math.log(3), 0])).toBeCloseTo(Math.log(4), 15) // log(3 + 1)
    expect(logSumExp([5])).toBe(5)
    expect(logSumExp(Float64Array.of(7, 0, 0, 7), 1, 2)).toBeCloseTo(Math.LN2, 15) // row [0, 0]
  })

  it('stays finite where the unshifted formula overflows or takes log 0', () => {
    // Unshifted: e^1000 = ∞ in float64, and e^−1000 = 0 gives log 0 = −∞.
    expect(Math.log(Math.exp(1000) + 1)).toBe(Infinity)
    expect(Math.log(Math.exp(-1000) + Math.exp(-1000))).toBe(-Infinity)
    expect(logSumExp([1000, 0, -1000])).toBe(1000)
    expect(logSumExp([-1000, -1000])).toBeCloseTo(-1000 + Math.LN2, 10)
    expect(logSumExp(Float32Array.of(100, 99))).toBeCloseTo(100 + Math.log(1 + Math.exp(-1)), 10)
  })

  it('gives −log softmax(z)_y as logSumExp(z) − z_y, with the loss layer’s value', () => {
    const z = Float32Array.from(seededValues(10, 3, -4, 4))
    const p = new Float32Array(10)
    const fromSoftmax = softmaxRow(z, p, 0, 10)
    expect(logSumExp(z)).toBe(fromSoftmax)
    expect(logSumExp(z) - z[7]).toBeCloseTo(-Math.log(p[7]), 6)
  })

  it('equals, bit for bit, the gradient check’s former float64 copy', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const z = Float64Array.from(seededValues(10, seed, -30, 30), (v, i) => v + i * 1e-9)
      expect(logSumExp(z)).toBe(formerFloat64LogSumExp(z))
    }
  })
})

describe('softmaxRow', () => {
  it('matches hand-computed values and returns log Σ e^z', () => {
    const p = new Float32Array(2)
    expect(softmaxRow(Float32Array.of(0, 0), p, 0, 2)).toBeCloseTo(Math.LN2, 7)
    expect(Array.from(p)).toEqual([0.5, 0.5])
    // [ln 3, 0] → [¾, ¼]
    softmaxRow(Float32Array.of(Math.log(3), 0), p, 0, 2)
    expect(p[0]).toBeCloseTo(0.75, 7)
    expect(p[1]).toBeCloseTo(0.25, 7)
  })

  it('writes only its row, at its offset in the output', () => {
    const z = Float32Array.of(1, 2, 0, 0, 3, 3)
    const sameOffset = new Float32Array(6).fill(-1)
    softmaxRow(z, sameOffset, 2, 2)
    expect(Array.from(sameOffset)).toEqual([-1, -1, 0.5, 0.5, -1, -1])
    const own = new Float32Array(3).fill(-1)
    softmaxRow(z, own, 4, 2, 1)
    expect(Array.from(own)).toEqual([-1, 0.5, 0.5])
  })

  it('is finite, sums to 1 and puts all mass on the top logit for huge logits', () => {
    const p = new Float32Array(3)
    const lse = softmaxRow(Float32Array.of(1000, 0, -1000), p, 0, 3)
    expect(lse).toBe(1000)
    expect(Array.from(p)).toEqual([1, 0, 0])
    softmaxRow(Float32Array.of(-1e30, -1e30, -1e30 + 1e24), p, 0, 3)
    expect(p.every(Number.isFinite)).toBe(true)
    expect(p[0] + p[1] + p[2]).toBeCloseTo(1, 6)
  })

  it('equals, bit for bit, the loss layer’s former copy', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const z = Float32Array.from(seededValues(40, seed, -20, 20))
      const ours = new Float32Array(40)
      const former = new Float32Array(40)
      for (let r = 0; r < 4; r++) {
        expect(softmaxRow(z, ours, r * 10, 10)).toBe(formerSoftmaxRow(z, former, r * 10, 10))
      }
      expect(ours).toEqual(former)
    }
  })
})
