// Noise filters: mean smoothing against grain, median filtering against salt-and-pepper specks.

import type { Plane } from './image'

/**
 * Mean filter over a (2r+1)×(2r+1) window, edges clamped, separable (rows then columns).
 * Averaging m = (2r+1)² pixels divides independent noise's σ by √m = 2r+1, while a stroke wider than
 * the window keeps its full strength: the trade used for noisy images (see preprocessDigit).
 */
export function boxBlur(plane: Plane, radius: number): Plane {
  const { width, height, data } = plane
  const size = 2 * radius + 1
  const rows = new Float32Array(data.length)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0
      for (let d = -radius; d <= radius; d++)
        sum += data[y * width + Math.min(width - 1, Math.max(0, x + d))]
      rows[y * width + x] = sum / size
    }
  }
  const out = new Float32Array(data.length)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0
      for (let d = -radius; d <= radius; d++)
        sum += rows[Math.min(height - 1, Math.max(0, y + d)) * width + x]
      out[y * width + x] = sum / size
    }
  }
  return { width, height, data: out }
}

/**
 * 3×3 median filter, edges clamped. The classic cure for impulse ("salt and pepper") noise: a lone
 * speck is 1 of 9 values and never the median, while a stroke 2 or more pixels wide survives.
 * NOTE: it also erases 1-pixel strokes, so preprocessDigit applies it only when it has seen many
 * one- or two-pixel specks.
 */
export function medianFilter3(plane: Plane): Plane {
  const { width, height, data } = plane
  const out = new Float32Array(data.length)
  const neighbourhood = new Float32Array(9)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let k = 0
      for (let dy = -1; dy <= 1; dy++) {
        const row = Math.min(height - 1, Math.max(0, y + dy)) * width
        for (let dx = -1; dx <= 1; dx++)
          neighbourhood[k++] = data[row + Math.min(width - 1, Math.max(0, x + dx))]
      }
      neighbourhood.sort()
      out[y * width + x] = neighbourhood[4]
    }
  }
  return { width, height, data: out }
}

/**
 * Number of isolated specks: pixels at least ½ away from paper (either way) none of whose 8 neighbours
 * is on the same side by ½. Strokes, even 1 pixel wide, always have a neighbour; impulse noise does not.
 */
export function countIsolatedSpecks(plane: Plane): number {
  const { width, height, data } = plane
  let count = 0
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = data[y * width + x]
      if (Math.abs(v) < 0.5) continue
      let alone = true
      for (let dy = -1; dy <= 1 && alone; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx
          const yy = y + dy
          if ((dx === 0 && dy === 0) || xx < 0 || yy < 0 || xx >= width || yy >= height) continue
          if (
            Math.sign(data[yy * width + xx]) === Math.sign(v) &&
            Math.abs(data[yy * width + xx]) >= 0.5
          ) {
            alone = false
            break
          }
        }
      }
      if (alone) count++
    }
  }
  return count
}
