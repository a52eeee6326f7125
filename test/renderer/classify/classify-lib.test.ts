// The Classify view's pure parts around the input: the draw pad's stroke math, throttling, and the
// prediction's ranking, confidence hint and labels. Files to the 28×28 input are in classify-input.test.ts.

import { describe, expect, it } from 'vitest'
import {
  BRUSH_WIDTH,
  extendStroke,
  PAD_SIZE,
  paintPad,
  paintSegment,
  toPadPoint,
  brushWidth,
  type PadContext,
  type PadPoint
} from '@/classify/draw-strokes'
import {
  confidenceHint,
  explainPredictError,
  probabilityLabel,
  rankClasses
} from '@/classify/image-prediction'
import { formatProbability } from '@/shared/probability'
import { throttle, type Clock } from '@/classify/throttle'

describe('draw pad strokes', () => {
  /** Records what is painted, as the canvas would receive it. */
  function recorder(): PadContext & { calls: string[] } {
    const calls: string[] = []
    return {
      calls,
      fillStyle: '',
      strokeStyle: '',
      shadowColor: '',
      shadowBlur: 0,
      lineWidth: 1,
      lineCap: 'butt',
      lineJoin: 'miter',
      fillRect: (x, y, w, h) => calls.push(`fillRect ${x} ${y} ${w} ${h}`),
      beginPath: () => calls.push('beginPath'),
      moveTo: (x, y) => calls.push(`moveTo ${x} ${y}`),
      lineTo: (x, y) => calls.push(`lineTo ${x} ${y}`),
      arc: (x, y, r) => calls.push(`arc ${x} ${y} ${r}`),
      stroke: function (this: PadContext) {
        calls.push(`stroke ${this.lineWidth} ${this.lineCap}`)
      },
      fill: () => calls.push('fill')
    }
  }

  it('sizes the pen like MNIST’s: a digit across most of the pad gets a 2 px stroke at 28×28', () => {
    // Preprocessing scales the digit's longer side to 20 px; a digit 200 px tall shrinks 10×.
    expect(BRUSH_WIDTH * (20 / 200)).toBe(2)
    expect(brushWidth(0.5, 'mouse')).toBe(BRUSH_WIDTH)
    expect(brushWidth(1, 'touch')).toBe(BRUSH_WIDTH)
    expect(brushWidth(0, 'pen')).toBe(BRUSH_WIDTH) // a pen that reports no pressure
    expect(brushWidth(1, 'pen')).toBeCloseTo(BRUSH_WIDTH * 1.3)
    expect(brushWidth(0.25, 'pen')).toBeCloseTo(BRUSH_WIDTH * 0.85)
  })

  it('maps screen coordinates to pad pixels at any displayed size, clamped to the pad', () => {
    const rect = { left: 100, top: 50, width: 140, height: 140 } // shown at half size
    expect(toPadPoint(170, 120, rect)).toEqual({
      x: PAD_SIZE / 2,
      y: PAD_SIZE / 2,
      width: BRUSH_WIDTH
    })
    expect(toPadPoint(100, 50, rect, 12)).toEqual({ x: 0, y: 0, width: 12 })
    expect(toPadPoint(90, 500, rect)).toMatchObject({ x: 0, y: PAD_SIZE })
  })

  it('skips points too close to the last one', () => {
    const stroke: PadPoint[] = []
    expect(extendStroke(stroke, { x: 10, y: 10, width: 20 })).toBe(true)
    expect(extendStroke(stroke, { x: 10.5, y: 10.2, width: 20 })).toBe(false)
    expect(extendStroke(stroke, { x: 12, y: 10, width: 20 })).toBe(true)
    expect(stroke).toHaveLength(2)
  })

  it('paints a tap as a round dot and a move as a round-capped segment of the mean width', () => {
    const ctx = recorder()
    const stroke: PadPoint[] = [
      { x: 10, y: 20, width: 20 },
      { x: 30, y: 20, width: 24 }
    ]
    paintSegment(ctx, stroke, 0)
    expect(ctx.calls).toEqual(['beginPath', 'arc 10 20 10', 'fill'])
    ctx.calls.length = 0
    paintSegment(ctx, stroke, 1)
    expect(ctx.calls).toEqual(['beginPath', 'moveTo 10 20', 'lineTo 30 20', 'stroke 22 round'])
    expect(ctx.shadowBlur).toBeGreaterThan(0) // slightly soft edges
  })

  it('repaints the whole pad: background first, then every stroke in order', () => {
    const ctx = recorder()
    paintPad(ctx, [
      [{ x: 1, y: 1, width: 20 }],
      [
        { x: 5, y: 5, width: 20 },
        { x: 9, y: 5, width: 20 }
      ]
    ])
    expect(ctx.calls[0]).toBe(`fillRect 0 0 ${PAD_SIZE} ${PAD_SIZE}`)
    expect(ctx.calls.filter((c) => c.startsWith('arc'))).toHaveLength(2)
    expect(ctx.calls.filter((c) => c.startsWith('stroke'))).toHaveLength(1)
  })
})

describe('throttle', () => {
  function fakeClock(): Clock & { advance(ms: number): void } {
    let now = 0
    let timers: { at: number; run: () => void }[] = []
    return {
      now: () => now,
      setTimeout: (run, ms) => {
        const timer = { at: now + ms, run }
        timers.push(timer)
        return timer
      },
      clearTimeout: (handle) => (timers = timers.filter((t) => t !== handle)),
      advance(ms) {
        now += ms
        const due = timers.filter((t) => t.at <= now)
        timers = timers.filter((t) => t.at > now)
        for (const t of due) t.run()
      }
    }
  }

  it('runs at once, then at most once per interval with the latest arguments', () => {
    const clock = fakeClock()
    const seen: number[] = []
    const limited = throttle((n: number) => seen.push(n), 66, clock)
    limited(1)
    limited(2)
    limited(3)
    expect(seen).toEqual([1])
    clock.advance(65)
    expect(seen).toEqual([1])
    clock.advance(1)
    expect(seen).toEqual([1, 3])
    clock.advance(100)
    limited(4)
    expect(seen).toEqual([1, 3, 4])
  })

  it('flushes a pending call now, and cancels one', () => {
    const clock = fakeClock()
    const seen: number[] = []
    const limited = throttle((n: number) => seen.push(n), 66, clock)
    limited(1)
    limited(2)
    limited.flush()
    expect(seen).toEqual([1, 2])
    clock.advance(10)
    limited(3)
    limited.cancel()
    clock.advance(200)
    expect(seen).toEqual([1, 2])
  })
})

describe('telling the prediction', () => {
  const probabilities = (entries: Record<number, number>): number[] =>
    Array.from({ length: 10 }, (_, d) => entries[d] ?? 0)

  it('ranks classes and labels every bar like "3: 12%"', () => {
    expect(
      rankClasses(probabilities({ 2: 0.3, 5: 0.6, 8: 0.1 }))
        .map((c) => c.digit)
        .slice(0, 3)
    ).toEqual([5, 2, 8])
    expect(rankClasses(probabilities({ 4: 0.5, 1: 0.5 }))[0].digit).toBe(1) // ties: the smaller digit
    expect(probabilityLabel(3, 0.1234)).toBe('3: 12%')
    // A softmax output is never certainty: 99.6% is not "100%"; near either end one decimal shows.
    expect(formatProbability(0.996)).toBe('99.6%')
    expect(formatProbability(0.99864)).toBe('99.9%')
    expect(formatProbability(0.004)).toBe('0.4%')
    expect(formatProbability(0.713)).toBe('71%')
    expect(formatProbability(0)).toBe('0%')
    expect(formatProbability(1)).toBe('100%')
    // One decimal is not enough near the ends: never "100.0%" or "0.0%" for what is neither.
    expect(formatProbability(0.9996)).toBe('>99.9%')
    expect(formatProbability(0.999)).toBe('99.9%')
    expect(formatProbability(0.0004)).toBe('<0.1%')
    expect(formatProbability(0.001)).toBe('0.1%')
  })

  it('is quiet when the network is sure, and names the candidates when it is not', () => {
    expect(confidenceHint(probabilities({ 7: 0.93, 1: 0.07 }))).toEqual({
      sure: true,
      text: null,
      reason: null
    })
    expect(confidenceHint(probabilities({ 3: 0.42, 5: 0.38, 8: 0.1, 9: 0.1 }))).toEqual({
      sure: false,
      text: 'not sure — maybe 3 or 5',
      reason: 'the top probability is below 50%'
    })
    expect(confidenceHint(probabilities({ 4: 0.34, 9: 0.33, 7: 0.3, 1: 0.03 })).text).toBe(
      'not sure — maybe 4, 9 or 7'
    )
    expect(confidenceHint(probabilities({ 6: 0.71, 2: 0.2, 4: 0.09 })).sure).toBe(true)
  })

  it('is not sure either when the runner-up is close, even above 50%', () => {
    // An "X" read as 2 with 54% against 30% for 8 is a toss-up, not an answer.
    expect(confidenceHint(probabilities({ 2: 0.54, 8: 0.3, 3: 0.16 }))).toEqual({
      sure: false,
      text: 'not sure — maybe 2 or 8',
      reason: '8 is close behind (54% against 30%)'
    })
    expect(confidenceHint(probabilities({ 4: 0.5, 9: 0.5 })).sure).toBe(false) // a tie is no answer
    expect(confidenceHint(probabilities({ 4: 0.66, 9: 0.34 })).sure).toBe(true) // past the margin
  })

  it('says a prediction failed, in the host’s words', () => {
    expect(explainPredictError('socket closed')).toBe('Could not classify: socket closed')
  })
})
