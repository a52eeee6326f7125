// Axis tick labels over many ranges: a label must read the value it marks, on linear and log axes.
import { describe, expect, it } from 'vitest'
import { evenTicks, formatTick } from '@/shared/charts/axis-ticks'

/** What chart.js's linear scale hands over: multiples of a nice step, with float noise. */
function linearTicks(max: number, count = 6): number[] {
  const rough = max / (count - 1)
  const magnitude = 10 ** Math.floor(Math.log10(rough))
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= rough)!
  return Array.from({ length: Math.floor(max / step + 1e-9) + 1 }, (_, i) => i * step)
}

/** Reads a label back as a number ("15 000" → 15000, "1e−4" → 0.0001). */
const readBack = (label: string) =>
  Number(
    label
      .replace(/\u202f/g, '')
      .replace(/−/g, '-')
      .replace('%', '')
  )

describe('formatTick', () => {
  it('keeps the zeros before the decimal point: 10, 20 and 100 never read 1, 2 and 1', () => {
    expect([0, 2, 4, 6, 8, 10].map((v) => formatTick(v, 'value'))).toEqual([
      '0',
      '2',
      '4',
      '6',
      '8',
      '10'
    ])
    expect(formatTick(50, 'value')).toBe('50')
    expect(formatTick(100, 'percent')).toBe('100%')
    expect(formatTick(20, 'percent')).toBe('20%')
  })

  it('reads back the value it marks on linear axes from 1e−4 to 1e5', () => {
    for (const max of [
      1e-4, 3e-4, 0.002, 0.05, 0.3, 1, 2.5, 4.8, 10, 47, 50, 300, 1500, 15_000, 1e5
    ]) {
      for (const tick of linearTicks(max)) {
        const label = formatTick(tick, 'value')
        expect(Math.abs(readBack(label) - tick)).toBeLessThanOrEqual(Math.abs(tick) * 1e-9 + 1e-15)
        expect(label).not.toMatch(/0000|9999/) // no float noise
      }
    }
  })

  it('hides float noise and groups thousands as the rest of the window', () => {
    expect(formatTick(0.30000000000000004, 'value')).toBe('0.3')
    expect(formatTick(0.1 + 0.2, 'percent')).toBe('0.3%')
    expect(formatTick(15_000, 'value')).toBe('15\u202f000')
    expect(formatTick(5000, 'count')).toBe('5\u202f000')
    expect(formatTick(1.5, 'count')).toBe('1.5') // epochs
    expect(formatTick(0.0001, 'value')).toBe('1e−4')
    expect(formatTick(250_000, 'value')).toBe('2.5e5')
    expect(formatTick(-0.5, 'value')).toBe('−0.5')
  })

  it('labels a log axis at 1, 2 and 5 × 10ᵏ only, each with its true value', () => {
    const ticks = [0.1, 0.2, 0.3, 0.6, 1, 2, 3, 6, 10, 20, 30, 50, 60, 100]
    expect(ticks.map((t) => formatTick(t, 'value', true))).toEqual([
      '0.1',
      '0.2',
      '',
      '',
      '1',
      '2',
      '',
      '',
      '10',
      '20',
      '',
      '50',
      '',
      '100'
    ])
    // chart.js's in-between ticks (15 between 10 and 20) stay unlabelled: 15 once read "15" at 2's place.
    expect([1.5, 15, 25, 150, 0.15, 4.5].map((t) => formatTick(t, 'value', true))).toEqual([
      '',
      '',
      '',
      '',
      '',
      ''
    ])
    for (let k = -4; k <= 5; k++) {
      const label = formatTick(10 ** k, 'value', true)
      expect(readBack(label)).toBeCloseTo(10 ** k, 12)
    }
  })

  it('writes nothing for a value that is not finite', () => {
    expect(formatTick(Number.NaN, 'value')).toBe('')
    expect(formatTick(Infinity, 'value')).toBe('')
  })
})

describe('evenTicks', () => {
  it('labels a percentage axis at both ends however short it is: never 0/40/80 % without 100 %', () => {
    expect(evenTicks(0, 100, 6)).toEqual([0, 20, 40, 60, 80, 100])
    expect(evenTicks(0, 100, 5)).toEqual([0, 25, 50, 75, 100])
    expect(evenTicks(0, 100, 4)).toEqual([0, 50, 100])
    expect(evenTicks(0, 100, 3)).toEqual([0, 50, 100])
    expect(evenTicks(0, 100, 2)).toEqual([0, 100])
    for (let count = 2; count <= 12; count++) {
      const ticks = evenTicks(0, 100, count)
      expect(ticks.length).toBeLessThanOrEqual(count)
      expect([ticks[0], ticks.at(-1)]).toEqual([0, 100])
    }
  })

  it('keeps a zoomed axis’s clean ends and even steps, without float noise', () => {
    expect(evenTicks(80, 100, 5)).toEqual([80, 85, 90, 95, 100])
    expect(evenTicks(85, 95, 5)).toEqual([85, 87.5, 90, 92.5, 95])
    expect(evenTicks(0.1, 0.4, 4)).toEqual([0.1, 0.2, 0.3, 0.4])
    expect(evenTicks(50, 50, 5)).toEqual([50])
    expect(evenTicks(0, 100, 1)).toEqual([0, 100]) // the ends, whatever the room
  })
})
