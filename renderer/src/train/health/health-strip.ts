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

/** Above this ‖ΔW‖/‖W‖ a step rewrites too much of a layer ('high'); below the other, it hardly learns. */
export const RATIO_HIGH = 5e-2
export const RATIO_LOW = 1e-4

/**
 * How one step's update ratio ‖ΔW‖/‖W‖ reads: 'good' from 1e-4 to 5e-2.
 * NOTE: the rule of thumb (cs231n, Karpathy) of about 1e-3 is for deep nets trained well over many
 * thousands of steps, where the weights drift about r·√N over N steps of ratio r. A small net in a short
 * run must move further per step: the seed preset (784 → 10 → 10, SGD lr 0.03, 100 steps) learns well at
 * ~0.01 in dense1, softmax regression at lr 0.1 at ~0.014, and lr 0.1 on the seed preset (~0.03) learns
 * fastest of all. Flagging those at 1e-2 called healthy runs "high". At lr 0.3 (~0.15) 40 % of dense1's
 * units die within 100 steps: above 5e-2 is 'high'. Adam's mlp and lenet sit at 1e-3 to 5e-3.
 * (Measured in the studio, seed 1, at the run's end.)
 */
export function ratioVerdict(ratio: number | null): 'good' | 'high' | 'low' | null {
  if (ratio === null || !Number.isFinite(ratio)) return null
  if (ratio > RATIO_HIGH) return 'high'
  if (ratio < RATIO_LOW) return 'low'
  return 'good'
}
