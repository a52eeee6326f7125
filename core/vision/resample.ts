// Resampling with antialiasing: area-averaging when shrinking, bilinear interpolation when enlarging.

import { createPlane, type Plane } from './image'

/** For each output index along one axis, the input indices it reads and their weights (summing to 1). */
type AxisWeights = { index: number; weight: number }[][]

/**
 * Resizes a plane to outWidth×outHeight, one axis at a time (the 2-D filter is separable).
 * - Shrinking an axis (out < in): area averaging (a box filter of exactly the output pixel's footprint).
 *   Output pixel j covers input [j·r, (j+1)·r), r = in/out, and is the mean over that interval, counting
 *   partly covered input pixels by their covered fraction. Nothing aliases, and a stroke's total ink is
 *   kept: a 1-pixel line shrunk 4× becomes a 0.25-strength line, not a missing one.
 * - Enlarging an axis (out ≥ in): bilinear interpolation between pixel centres,
 *   x_in = (j + ½)·r − ½, value = (1 − f)·v[⌊x_in⌋] + f·v[⌊x_in⌋ + 1],  f = x_in − ⌊x_in⌋.
 */
export function resamplePlane(src: Plane, outWidth: number, outHeight: number): Plane {
  const xWeights = axisWeights(src.width, outWidth)
  const yWeights = axisWeights(src.height, outHeight)
  const rows = createPlane(outWidth, src.height)
  for (let y = 0; y < src.height; y++) {
    const row = y * src.width
    for (let x = 0; x < outWidth; x++) {
      let sum = 0
      for (const { index, weight } of xWeights[x]) sum += weight * src.data[row + index]
      rows.data[y * outWidth + x] = sum
    }
  }
  const out = createPlane(outWidth, outHeight)
  for (let y = 0; y < outHeight; y++) {
    for (let x = 0; x < outWidth; x++) {
      let sum = 0
      for (const { index, weight } of yWeights[y]) sum += weight * rows.data[index * outWidth + x]
      out.data[y * outWidth + x] = sum
    }
  }
  return out
}

/** Area weights when shrinking, bilinear weights when enlarging (see resamplePlane). */
export function axisWeights(inSize: number, outSize: number): AxisWeights {
  const r = inSize / outSize
  const weights: AxisWeights = []
  for (let j = 0; j < outSize; j++) {
    const taps: { index: number; weight: number }[] = []
    if (r > 1) {
      const start = j * r
      const end = (j + 1) * r
      for (let i = Math.floor(start); i < Math.min(inSize, Math.ceil(end)); i++) {
        const covered = Math.min(end, i + 1) - Math.max(start, i)
        if (covered > 0) taps.push({ index: i, weight: covered / r })
      }
    } else {
      const position = Math.min(inSize - 1, Math.max(0, (j + 0.5) * r - 0.5))
      const i0 = Math.floor(position)
      const f = position - i0
      taps.push({ index: i0, weight: 1 - f })
      if (f > 0) taps.push({ index: i0 + 1, weight: f })
    }
    weights.push(taps)
  }
  return weights
}
