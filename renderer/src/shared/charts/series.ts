// Chart series whose memory stays bounded on long runs: every stride-th point is kept, and the stride
// doubles (dropping every other kept point) whenever the series would exceed its cap.

export interface Point {
  readonly x: number
  readonly y: number
}

/** Roughly what a ~600 px wide chart can show; older points are thinned beyond this. */
export const MAX_POINTS_PER_SERIES = 2_000

/** Immutable: every append returns a new series, so a shallowRef holding it can simply be replaced. */
export interface ThinnedSeries {
  /** Points whose index (in arrival order) is a multiple of `stride`. */
  readonly kept: readonly Point[]
  /** The newest point when it is not itself kept, so the chart always reaches the latest step. */
  readonly tail: Point | null
  readonly stride: number
  /** Points seen so far, kept or not. */
  readonly seen: number
  readonly cap: number
}

export function emptySeries(cap = MAX_POINTS_PER_SERIES): ThinnedSeries {
  if (!Number.isInteger(cap) || cap < 2)
    throw new Error(`series cap must be a whole number ≥ 2, got ${cap}`)
  return { kept: [], tail: null, stride: 1, seen: 0, cap }
}

/** Appends points in arrival order; the result never holds more than cap + 1 points. */
export function appendPoints(series: ThinnedSeries, points: readonly Point[]): ThinnedSeries {
  if (points.length === 0) return series
  let kept = series.kept.slice()
  let stride = series.stride
  let seen = series.seen
  let tail: Point | null = null
  for (const point of points) {
    if (seen % stride === 0) {
      kept.push(point)
      tail = null
      if (kept.length > series.cap) {
        // Kept indices are 0, s, 2s, …; keeping every other one leaves exactly the multiples of 2s.
        kept = kept.filter((_, i) => i % 2 === 0)
        stride *= 2
      }
    } else {
      tail = point
    }
    seen++
  }
  return { kept, tail, stride, seen, cap: series.cap }
}

/** The points to draw: the kept ones plus the newest one. */
export function seriesPoints(series: ThinnedSeries): readonly Point[] {
  return series.tail ? [...series.kept, series.tail] : series.kept
}
