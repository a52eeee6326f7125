// What a health heat strip draws: one layer's distribution over the run, x = sample (oldest left),
// y = value (high at the top), shade = the share of the values in that bin. Pure: the canvas paints it.

import type { HealthSample, Histogram, LayerHealth } from '@core/train/health'

/** Which distribution a strip shows. */
export type Distribution = 'weights' | 'gradients' | 'activations'

/** One bin of one sample: its value interval and the share of the layer's values in it (0–1). */
export interface StripCell {
  readonly low: number
  readonly high: number
  readonly share: number
}

export interface Strip {
  /** The value range every column is drawn against: the whole run's. */
  readonly min: number
  readonly max: number
  /** One column per sample, oldest first; a column is empty where the layer was not measured. */
  readonly columns: readonly (readonly StripCell[])[]
}

/** The layer's row in a sample (layers are named, so a missing one gives null). */
const layerIn = (sample: HealthSample, layer: string): LayerHealth | null =>
  sample.layers.find((l) => l.layer === layer) ?? null

/** A histogram's bins as cells: bin b spans [min + b·w, min + (b+1)·w], w = (max − min) / bins. */
function cellsOf(histogram: Histogram): StripCell[] {
  const total = histogram.counts.reduce((a, b) => a + b, 0)
  if (total === 0) return []
  const width = (histogram.max - histogram.min) / histogram.counts.length
  return histogram.counts.map((count, b) => ({
    low: histogram.min + b * width,
    high: histogram.min + (b + 1) * width,
    share: count / total
  }))
}

/** The strip of `layer`'s `distribution` over `samples`. */
export function healthStrip(
  samples: readonly HealthSample[],
  layer: string,
  distribution: Distribution
): Strip {
  let min = Infinity
  let max = -Infinity
  const columns = samples.map((sample) => {
    const health = layerIn(sample, layer)
    if (!health) return []
    const histogram = health[distribution]
    const cells = cellsOf(histogram)
    if (cells.length > 0) {
      min = Math.min(min, histogram.min)
      max = Math.max(max, histogram.max)
    }
    return cells
  })
  return min > max ? { min: 0, max: 0, columns } : { min, max, columns }
}

/**
 * The strip's rectangles for a canvas of width × height pixels: x from the column, y from the value
 * (max at the top). A bin of zero width (every value equal) is drawn one pixel high.
 * NOTE: shade = √share, so a bin holding 1 % of the values is still visible (10 % shade).
 */
export function stripRects(
  strip: Strip,
  width: number,
  height: number
): { x: number; y: number; w: number; h: number; shade: number }[] {
  const n = strip.columns.length
  if (n === 0) return []
  const span = strip.max - strip.min
  const yOf = (v: number) => (span > 0 ? ((strip.max - v) / span) * height : height / 2)
  const rects: { x: number; y: number; w: number; h: number; shade: number }[] = []
  strip.columns.forEach((cells, i) => {
    const x = (i / n) * width
    const w = width / n
    for (const cell of cells) {
      if (cell.share === 0) continue
      const top = yOf(cell.high)
      rects.push({
        x,
        y: top,
        w,
        h: Math.max(1, yOf(cell.low) - top),
        shade: Math.sqrt(cell.share)
      })
    }
  })
  return rects
}

/**
 * The index of the last sample at or before `step` (samples in step order), or −1 when every sample
 * is later: what the health panel shows at the time-travel cursor's step.
 */
export function sampleIndexAtOrBefore(samples: readonly HealthSample[], step: number): number {
  let found = -1
  for (let i = 0; i < samples.length && samples[i].step <= step; i++) found = i
  return found
}

/** The x of column `index`'s middle on a strip `width` pixels wide (of `count` columns). */
export function columnCentre(index: number, count: number, width: number): number {
  return ((index + 0.5) / count) * width
}

/** How the update ratio compares with the ~1e-3 rule of thumb: within 10× either way is 'good'. */
export function ratioVerdict(ratio: number | null): 'good' | 'high' | 'low' | null {
  if (ratio === null || !Number.isFinite(ratio)) return null
  if (ratio > 1e-2) return 'high'
  if (ratio < 1e-4) return 'low'
  return 'good'
}
