import { describe, expect, it } from 'vitest'
import { createRng, deriveRng, randn, shuffleInPlace } from '../../core'

describe('seeded randomness', () => {
  it('the same seed gives the same sequence; different seeds and streams differ', () => {
    const take = (rng: () => number) => Array.from({ length: 5 }, rng)
    expect(take(createRng(42))).toEqual(take(createRng(42)))
    expect(take(createRng(42))).not.toEqual(take(createRng(43)))
    expect(take(deriveRng(42, 1))).not.toEqual(take(createRng(42)))
    expect(take(deriveRng(42, 1))).toEqual(take(deriveRng(42, 1)))
  })

  it('uniform samples lie in [0, 1) with mean ≈ ½; normal samples have mean ≈ 0 and variance ≈ 1', () => {
    const rng = createRng(7)
    const u = Array.from({ length: 100_000 }, rng)
    expect(u.every((v) => v >= 0 && v < 1)).toBe(true)
    expect(u.reduce((a, b) => a + b) / u.length).toBeCloseTo(0.5, 2)
    const n = Array.from({ length: 100_000 }, () => randn(rng))
    const mean = n.reduce((a, b) => a + b) / n.length
    const variance = n.reduce((a, b) => a + (b - mean) ** 2, 0) / n.length
    expect(mean).toBeCloseTo(0, 1)
    expect(variance).toBeCloseTo(1, 1)
  })

  it('shuffling is a permutation, reproducible, and every position is reachable (Fisher–Yates)', () => {
    const a = Uint32Array.from({ length: 1000 }, (_, i) => i)
    shuffleInPlace(a, createRng(1))
    expect(Array.from(a).sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i))
    const b = Uint32Array.from({ length: 1000 }, (_, i) => i)
    shuffleInPlace(b, createRng(1))
    expect(b).toEqual(a)
    // Element 0 must be able to stay in place and to land in the last slot.
    const firstPositions = new Set<number>()
    const rng = createRng(3)
    for (let t = 0; t < 2000; t++) {
      const c = Uint32Array.of(0, 1, 2)
      shuffleInPlace(c, rng)
      firstPositions.add(c.indexOf(0))
    }
    expect([...firstPositions].sort()).toEqual([0, 1, 2])
  })
})
