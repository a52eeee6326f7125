// A zoomed chart: clean x ends (the one tick rule reads them), and a y axis fitted to what is in view.
import { describe, expect, it } from 'vitest'
import { formatTick } from '@/shared/charts/axis-ticks'
import type { ChartLine, LineStyle } from '@/shared/charts/chart-lines'
import { niceAbove, niceBelow } from '@/shared/charts/nice-numbers'
import { roundedRange, visibleYExtent, zoomedYRange } from '@/shared/charts/zoom-range'

const line = (points: [number, number][], style: LineStyle = 'smooth'): ChartLine => ({
  id: `line-${style}`,
  label: 'a line',
  tone: 'loss',
  style,
  points: points.map(([x, y]) => ({ x, y }))
})

describe('nice numbers', () => {
  it('rounds up and down to 1, 2 or 5 × 10ᵏ', () => {
    expect([37, 0.13, 400, 1, 0.30000000000000004, 7e-4].map(niceAbove)).toEqual([
      50, 0.2, 500, 1, 0.5, 1e-3
    ])
    expect([37, 0.13, 400, 1, 9.99, 7e-4].map(niceBelow)).toEqual([20, 0.1, 200, 1, 5, 5e-4])
  })
})

describe('roundedRange', () => {
  it('widens a dragged range to multiples of a nice step: 37.4812–61.07 reads 35–65', () => {
    expect(roundedRange({ min: 37.4812, max: 61.07 }, undefined, true)).toEqual({
      min: 35,
      max: 65
    })
  })

  it('gives ends the tick rule writes exactly, over many ranges', () => {
    for (const [min, max] of [
      [0.0123, 0.0456],
      [1.27, 1.93],
      [12.3456, 14.5678],
      [412.7, 913.2],
      [3001.5, 3007.7],
      [15_234, 48_777]
    ]) {
      const range = roundedRange({ min, max })
      expect(range.min).toBeLessThanOrEqual(min)
      expect(range.max).toBeGreaterThanOrEqual(max)
      for (const end of [range.min, range.max]) {
        const label = formatTick(end, 'value')
        expect(label.length, `${end} → ${label}`).toBeLessThanOrEqual(6)
        expect(Number(label.replace(/\u202f/g, ''))).toBeCloseTo(end, 10)
      }
    }
  })

  it('keeps whole ends for counts and stays inside the chart', () => {
    expect(roundedRange({ min: 3.2, max: 5.9 }, { min: 0, max: 100 }, true)).toEqual({
      min: 3,
      max: 6
    })
    expect(roundedRange({ min: 0.4, max: 97.6 }, { min: 0, max: 97.6 }, true)).toEqual({
      min: 0,
      max: 97.6
    })
    // Epochs are not counts: a zoom into one epoch keeps its fraction.
    expect(roundedRange({ min: 0.33, max: 0.71 })).toEqual({ min: 0.3, max: 0.8 })
  })

  it('leaves an empty range alone', () => {
    expect(roundedRange({ min: 5, max: 5 })).toEqual({ min: 5, max: 5 })
  })
})

describe('visibleYExtent', () => {
  const loss = line([
    [0, 2.3],
    [10, 2.0],
    [20, 1.0],
    [30, 0.5],
    [40, 9]
  ])

  it('takes the points inside and where the line crosses the edges', () => {
    // Inside 15–25: the point at 20 (1.0), and the line at 15 (1.5) and 25 (0.75).
    expect(visibleYExtent([loss], { min: 15, max: 25 })).toEqual({ min: 0.75, max: 1.5 })
  })

  it('ignores a spike outside the view, and test points outside it', () => {
    const test = line(
      [
        [5, 3],
        [20, 1.2]
      ],
      'points'
    )
    expect(visibleYExtent([loss, test], { min: 10, max: 30 })).toEqual({ min: 0.5, max: 2 })
  })

  it('skips values that are not numbers (a diverged step) and says null when nothing is in view', () => {
    const diverged = line([
      [0, 2],
      [1, Number.NaN],
      [2, Infinity]
    ])
    expect(visibleYExtent([diverged], { min: 0, max: 2 })).toEqual({ min: 2, max: 2 })
    expect(visibleYExtent([line([])], { min: 0, max: 2 })).toBeNull()
  })
})

describe('zoomedYRange', () => {
  const accuracy = line([
    [0, 12],
    [50, 80],
    [100, 91.3],
    [200, 97.9]
  ])

  it('fits a late stretch of a curve instead of the whole 0–100 %', () => {
    expect(
      zoomedYRange([accuracy], { min: 100, max: 200 }, { bounds: { min: 0, max: 100 } })
    ).toEqual({ min: 90, max: 98 })
  })

  it('never passes a percentage bound', () => {
    const high = line([
      [0, 99.2],
      [10, 100]
    ])
    expect(zoomedYRange([high], { min: 0, max: 10 }, { bounds: { min: 0, max: 100 } })).toEqual({
      min: 99.2,
      max: 100
    })
  })

  it('gives a flat curve room either side', () => {
    const flat = line([
      [0, 2],
      [10, 2]
    ])
    const range = zoomedYRange([flat], { min: 0, max: 10 })!
    expect(range.min).toBeLessThan(2)
    expect(range.max).toBeGreaterThan(2)
  })

  it('on a log axis, ends on 1, 2 or 5 × 10ᵏ around the visible values', () => {
    const exploding = line([
      [0, 2.3],
      [5, 0.4],
      [10, 46.9]
    ])
    expect(zoomedYRange([exploding], { min: 0, max: 10 }, { log: true })).toEqual({
      min: 0.2,
      max: 50
    })
  })
})
