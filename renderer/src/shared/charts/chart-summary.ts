// A chart in words, for screen readers and for anyone who wants the numbers: per line its first,
// last, lowest and highest point, formatted as the window formats that kind of number. Pure data.

import { formatLineValue, type ChartLine } from './chart-lines'
import type { Point } from './series'
import { formatTick } from './axis-ticks'

export interface SummaryRow {
  readonly label: string
  readonly first: string
  readonly last: string
  readonly min: string
  readonly max: string
}

/** "1.460 at step 100", "55.9% at epoch 1.5", or a test accuracy "61.46% at step 100". */
function describePoint(line: ChartLine, point: Point, percent: boolean, xTitle: string): string {
  return `${formatLineValue(line, point.y, percent)} at ${xTitle} ${formatTick(point.x, 'count')}`
}

/** One row per line that has points; a NaN loss counts for neither min nor max. */
export function summarizeLines(
  lines: readonly ChartLine[],
  percent: boolean,
  xTitle: string
): SummaryRow[] {
  return lines
    .filter((line) => line.points.length > 0)
    .map((line) => {
      const points = line.points
      const finite = points.filter((p) => Number.isFinite(p.y))
      const pick = (better: (a: Point, b: Point) => boolean) =>
        finite.length === 0
          ? '—'
          : describePoint(
              line,
              finite.reduce((a, b) => (better(b, a) ? b : a)),
              percent,
              xTitle
            )
      return {
        label: line.label,
        first: describePoint(line, points[0], percent, xTitle),
        last: describePoint(line, points[points.length - 1], percent, xTitle),
        min: pick((a, b) => a.y < b.y),
        max: pick((a, b) => a.y > b.y)
      }
    })
}
