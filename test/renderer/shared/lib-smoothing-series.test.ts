// EMA smoothing and bounded chart series.
import { describe, expect, it } from 'vitest'
import {
  appendPoints,
  emptySeries,
  MAX_POINTS_PER_SERIES,
  seriesPoints
} from '@/shared/charts/series'
import { EMPTY_EMA, emaPush, emaSeries, emaValue, smoothingFor } from '@/shared/charts/smoothing'

describe('EMA smoothing', () => {
  it('is debiased: a constant series stays exactly constant from the first value', () => {
    expect(emaSeries([2, 2, 2, 2], 0.9)).toEqual([2, 2, 2, 2].map(() => expect.closeTo(2, 12)))
  })

  it('matches a hand computation: a1 = 0.1·1, a2 = 0.9·a1 + 0.1·3, debiased by 1 − 0.9^t', () => {
    const [first, second] = emaSeries([1, 3], 0.9)
    expect(first).toBeCloseTo(1, 12)
    expect(second).toBeCloseTo((0.9 * 0.1 + 0.1 * 3) / (1 - 0.81), 12) // = 2.0526…
  })

  it('lags behind a step change instead of jumping', () => {
    const smoothed = emaSeries([0, 0, 0, 10, 10], 0.5)
    expect(smoothed[3]).toBeGreaterThan(0)
    expect(smoothed[3]).toBeLessThan(10)
    expect(smoothed[4]).toBeGreaterThan(smoothed[3])
  })

  it('is NaN before any value and incremental pushes agree with the batch version', () => {
    expect(emaValue(EMPTY_EMA, 0.9)).toBeNaN()
    let state = EMPTY_EMA
    for (const v of [3, 1, 4, 1, 5]) state = emaPush(state, v, 0.8)
    expect(emaValue(state, 0.8)).toBeCloseTo(emaSeries([3, 1, 4, 1, 5], 0.8)[4], 12)
  })

  it('picks a window of about 2% of the run, between 5 and 100 batches', () => {
    expect(smoothingFor(100)).toBeCloseTo(1 - 1 / 5)
    expect(smoothingFor(1875 * 5)).toBeCloseTo(1 - 1 / 100)
    expect(smoothingFor(1000)).toBeCloseTo(1 - 1 / 20)
  })
})

describe('thinned series', () => {
  const points = (from: number, to: number) =>
    Array.from({ length: to - from }, (_, i) => ({ x: from + i, y: (from + i) * 2 }))

  it('keeps every point while under the cap', () => {
    const s = appendPoints(emptySeries(10), points(0, 10))
    expect(s.stride).toBe(1)
    expect(seriesPoints(s).map((p) => p.x)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
  })

  it('never holds more than cap + 1 points on a long run, and still ends at the newest point', () => {
    let s = emptySeries()
    for (let start = 0; start < 100_000; start += 37)
      s = appendPoints(s, points(start, Math.min(start + 37, 100_000)))
    const drawn = seriesPoints(s)
    expect(drawn.length).toBeLessThanOrEqual(MAX_POINTS_PER_SERIES + 1)
    expect(drawn.length).toBeGreaterThan(MAX_POINTS_PER_SERIES / 2)
    expect(drawn.at(-1)).toEqual({ x: 99_999, y: 199_998 })
    expect(drawn[0]).toEqual({ x: 0, y: 0 })
  })

  it('thins evenly: kept points are exactly the multiples of the stride', () => {
    const s = appendPoints(emptySeries(8), points(0, 40))
    expect(s.stride).toBe(8)
    expect(s.kept.map((p) => p.x)).toEqual([0, 8, 16, 24, 32])
    expect(s.tail).toEqual({ x: 39, y: 78 })
  })

  it('gives the same result however the points are split into batches', () => {
    const once = appendPoints(emptySeries(16), points(0, 100))
    let split = emptySeries(16)
    for (let i = 0; i < 100; i += 7) split = appendPoints(split, points(i, Math.min(i + 7, 100)))
    expect(split).toEqual(once)
  })

  it('returns new arrays instead of mutating, so a shallowRef can be replaced', () => {
    const a = appendPoints(emptySeries(10), points(0, 3))
    const keptBefore = a.kept
    const b = appendPoints(a, points(3, 5))
    expect(a.kept).toBe(keptBefore)
    expect(a.kept).toHaveLength(3)
    expect(b.kept).toHaveLength(5)
  })
})

describe('step axis', () => {
  it('shows a short run whole, and a long one up to a nice bound past the latest step', async () => {
    const { stepAxisMax } = await import('@/shared/charts/chart-lines')
    expect(stepAxisMax(0, 0)).toBeUndefined()
    expect(stepAxisMax(3, 100)).toBe(100)
    expect(stepAxisMax(84, 9375)).toBe(200)
    expect(stepAxisMax(170, 9375)).toBe(500)
    expect(stepAxisMax(3000, 9375)).toBe(5000)
    expect(stepAxisMax(7000, 9375)).toBe(9375)
  })
})
