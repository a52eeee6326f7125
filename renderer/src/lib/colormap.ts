// The diverging colour map for weight heatmaps: blue for negative, white at zero, red for positive
// (ColorBrewer RdBu, which stays readable for the common forms of colour blindness).

/** RdBu from strongly negative (dark blue) through white to strongly positive (dark red). */
export const DIVERGING_STOPS: readonly (readonly [number, number, number])[] = [
  [5, 48, 97],
  [33, 102, 172],
  [67, 147, 195],
  [146, 197, 222],
  [209, 229, 240],
  [247, 247, 247],
  [253, 219, 199],
  [244, 165, 130],
  [214, 96, 77],
  [178, 24, 43],
  [103, 0, 31]
]

/** Entries in the lookup table; odd, so that the middle entry is exactly zero. */
export const LUT_SIZE = 511

/** Colour of t ∈ [−1, 1] (clamped), linearly interpolated between the stops; t = 0 is the white stop. */
export function divergingColor(t: number): [number, number, number] {
  const clamped = Number.isNaN(t) ? 0 : Math.max(-1, Math.min(1, t))
  const position = ((clamped + 1) / 2) * (DIVERGING_STOPS.length - 1)
  const low = Math.min(Math.floor(position), DIVERGING_STOPS.length - 2)
  const f = position - low
  const a = DIVERGING_STOPS[low]
  const b = DIVERGING_STOPS[low + 1]
  return [0, 1, 2].map((c) => Math.round(a[c] + (b[c] - a[c]) * f)) as [number, number, number]
}

/** RGB triples for LUT_SIZE evenly spaced t from −1 to 1, so painting a pixel is one table read. */
export function buildLut(): Uint8ClampedArray {
  const lut = new Uint8ClampedArray(LUT_SIZE * 3)
  for (let i = 0; i < LUT_SIZE; i++) {
    const [r, g, b] = divergingColor((2 * i) / (LUT_SIZE - 1) - 1)
    lut.set([r, g, b], i * 3)
  }
  return lut
}

/** The LUT index of a value under a symmetric scale [−limit, limit]; 0 maps to the middle entry. */
export function lutIndex(value: number, limit: number): number {
  if (!(limit > 0) || !Number.isFinite(value)) return (LUT_SIZE - 1) / 2
  const middle = (LUT_SIZE - 1) / 2
  const t = Math.max(-1, Math.min(1, value / limit))
  // NOTE: round |t| then apply the sign, so +w and −w land equally far from white (Math.round
  // rounds halves up, which would shift negative values one entry).
  return middle + Math.sign(t) * Math.round(Math.abs(t) * middle)
}

/** CSS linear-gradient stops for a legend bar drawn from the same stops. */
export function legendGradient(): string {
  const last = DIVERGING_STOPS.length - 1
  const stops = DIVERGING_STOPS.map(([r, g, b], i) => `rgb(${r} ${g} ${b}) ${((i / last) * 100).toFixed(1)}%`)
  return `linear-gradient(to right, ${stops.join(', ')})`
}
