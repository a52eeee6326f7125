// The diverging colour maps for weight heatmaps: blue for negative, red for positive, the background
// colour at zero. Light theme: ColorBrewer RdBu (white at zero); dark theme: the same hues growing out
// of a dark centre, so that small weights recede instead of glaring. Both stay readable for the common
// forms of colour blindness (blue against orange-red).

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

/** For the dark theme: near-black at zero, brightening towards light blue (−) and light orange-red (+). */
export const DIVERGING_STOPS_DARK: readonly (readonly [number, number, number])[] = [
  [171, 217, 233],
  [116, 173, 209],
  [69, 117, 180],
  [45, 80, 128],
  [34, 45, 66],
  [28, 31, 38],
  [70, 36, 36],
  [135, 45, 40],
  [205, 75, 52],
  [244, 130, 90],
  [253, 195, 155]
]

const stopsFor = (dark: boolean) => (dark ? DIVERGING_STOPS_DARK : DIVERGING_STOPS)

/** Entries in the lookup table; odd, so that the middle entry is exactly zero. */
export const LUT_SIZE = 511

/** Colour of t ∈ [−1, 1] (clamped), linearly interpolated between the stops; t = 0 is the centre stop. */
export function divergingColor(t: number, dark = false): [number, number, number] {
  const stops = stopsFor(dark)
  const clamped = Number.isNaN(t) ? 0 : Math.max(-1, Math.min(1, t))
  const position = ((clamped + 1) / 2) * (stops.length - 1)
  const low = Math.min(Math.floor(position), stops.length - 2)
  const f = position - low
  const a = stops[low]
  const b = stops[low + 1]
  return [0, 1, 2].map((c) => Math.round(a[c] + (b[c] - a[c]) * f)) as [number, number, number]
}

/** RGB triples for LUT_SIZE evenly spaced t from −1 to 1, so painting a pixel is one table read. */
export function buildLut(dark = false): Uint8ClampedArray {
  const lut = new Uint8ClampedArray(LUT_SIZE * 3)
  for (let i = 0; i < LUT_SIZE; i++) {
    const [r, g, b] = divergingColor((2 * i) / (LUT_SIZE - 1) - 1, dark)
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

const luts = new Map<boolean, Uint8ClampedArray>()

/** The lookup table for a theme, built once and shared (read-only). */
export function lutFor(dark: boolean): Uint8ClampedArray {
  let lut = luts.get(dark)
  if (!lut) luts.set(dark, (lut = buildLut(dark)))
  return lut
}

/** CSS linear-gradient stops for a legend bar drawn from the same stops. */
export function legendGradient(dark = false): string {
  const last = DIVERGING_STOPS.length - 1
  const stops = stopsFor(dark).map(
    ([r, g, b], i) => `rgb(${r} ${g} ${b}) ${((i / last) * 100).toFixed(1)}%`
  )
  return `linear-gradient(to right, ${stops.join(', ')})`
}
