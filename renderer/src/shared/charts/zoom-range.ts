// What a zoomed chart shows: the dragged x range rounded to clean ends, and a y range fitted to the
// curves inside it. Pure data, so the axis logic is tested without a canvas.
//
// NOTE: chart.js labels an axis's explicit min and max as ticks. Dragging from x = 37.4812 to 61.07
// would read "37.4812" and "61.07" at the ends; rounding both outward to the range's tick step reads
// "35 … 65" instead, written by the same tick rule as every other label.

import type { ChartLine } from './chart-lines'
import { niceAbove, niceBelow } from './nice-numbers'
import type { Point } from './series'

export interface AxisRange {
  readonly min: number
  readonly max: number
}

/** About this many steps between ticks across a zoomed range: chart.js shows up to 6 ticks. */
const TICK_STEPS = 5

/**
 * [min, max] widened to multiples of a nice tick step (1, 2 or 5 × 10ᵏ, about a fifth of the range),
 * then kept inside `bounds`. `whole` keeps the step at least 1 (steps and samples are counts).
 * NOTE: the ends are rounded to the step's own decimals, so 0.1 × 3 reads 0.3, not 0.30000000000000004.
 */
export function roundedRange(range: AxisRange, bounds?: AxisRange, whole = false): AxisRange {
  const span = range.max - range.min
  if (!(span > 0) || !Number.isFinite(span)) return range
  const step = Math.max(niceAbove(span / TICK_STEPS), whole ? 1 : 0)
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 1)
  const round = (value: number) => Number(value.toFixed(decimals))
  let min = round(Math.floor(range.min / step + 1e-9) * step)
  let max = round(Math.ceil(range.max / step - 1e-9) * step)
  if (bounds) {
    min = Math.max(min, bounds.min)
    max = Math.min(max, bounds.max)
  }
  return { min, max }
}

/** y of the segment a → b at x (a.x ≤ x ≤ b.x). */
function interpolate(a: Point, b: Point, x: number): number {
  return b.x === a.x ? a.y : a.y + ((b.y - a.y) * (x - a.x)) / (b.x - a.x)
}

/**
 * The lowest and highest y the drawn curves reach between x = min and max: the points inside, and
 * where each line crosses the two edges (a line enters the view from a point outside it). Points
 * (test evaluations) count only inside. Non-finite values (a diverged step's NaN) are skipped.
 */
export function visibleYExtent(lines: readonly ChartLine[], x: AxisRange): AxisRange | null {
  let low = Infinity
  let high = -Infinity
  const take = (y: number) => {
    if (!Number.isFinite(y)) return
    low = Math.min(low, y)
    high = Math.max(high, y)
  }
  for (const line of lines) {
    const points = line.points
    points.forEach((point, i) => {
      if (point.x >= x.min && point.x <= x.max) take(point.y)
      const next = points[i + 1]
      if (line.style === 'points' || !next) return
      for (const edge of [x.min, x.max])
        if (point.x < edge && next.x > edge) take(interpolate(point, next, edge))
    })
  }
  return low <= high ? { min: low, max: high } : null
}

/**
 * The y axis of a zoomed chart: the visible curves' extent, rounded outward to clean ticks. A linear
 * axis stays within `bounds` (0–100 for a percentage); a log axis goes down and up to 1, 2 or 5 × 10ᵏ.
 * A flat curve gets a little room either side, so it is drawn as a line, not on the axis.
 */
export function zoomedYRange(
  lines: readonly ChartLine[],
  x: AxisRange,
  { log = false, bounds }: { log?: boolean; bounds?: AxisRange } = {}
): AxisRange | null {
  const extent = visibleYExtent(lines, x)
  if (!extent) return null
  if (log) {
    if (extent.max <= 0) return null
    const min = extent.min > 0 ? niceBelow(extent.min) : niceBelow(extent.max / 10)
    return { min, max: niceAbove(extent.max) }
  }
  const pad = extent.max === extent.min ? Math.abs(extent.max) * 0.05 || 0.5 : 0
  return roundedRange({ min: extent.min - pad, max: extent.max + pad }, bounds)
}
