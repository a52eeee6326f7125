// Stroke width: measure how thick the pen was, and thicken hairlines to MNIST's pen width.

import { createPlane, type Plane } from './image'

/**
 * Mean stroke width in pixels, from the ink mask m = (ink ≥ ½):
 *   width ≈ 2·area / perimeter
 * (a stroke of width w and length L has area w·L and perimeter ≈ 2L). The perimeter counts pixel edges
 * between ink and paper, so it is the same estimator at any resolution; on MNIST's 28×28 images it
 * gives 2.0 pixels on average. Returns 0 when there is no ink.
 */
export function strokeWidth(ink: Plane): number {
  const { width, height, data } = ink
  const on = (x: number, y: number): boolean =>
    x >= 0 && y >= 0 && x < width && y < height && data[y * width + x] >= 0.5
  let area = 0
  let perimeter = 0
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!on(x, y)) continue
      area++
      if (!on(x - 1, y)) perimeter++
      if (!on(x + 1, y)) perimeter++
      if (!on(x, y - 1)) perimeter++
      if (!on(x, y + 1)) perimeter++
    }
  }
  return perimeter === 0 ? 0 : (2 * area) / perimeter
}

/**
 * Grey-level dilation by a soft disk of radius ρ (ρ may be fractional):
 *   out(p) = max over q of ink(q) · clamp(ρ + 1 − |p − q|, 0, 1)
 * so pixels within ρ get the full value and the next ring fades linearly, which keeps the widened
 * stroke antialiased. The plane should have a margin of ⌈ρ⌉ + 1 paper pixels to grow into.
 */
export function dilate(ink: Plane, radius: number): Plane {
  if (radius <= 0) return ink
  const { width, height, data } = ink
  const reach = Math.ceil(radius + 1)
  const taps: { dx: number; dy: number; weight: number }[] = []
  for (let dy = -reach; dy <= reach; dy++) {
    for (let dx = -reach; dx <= reach; dx++) {
      const weight = Math.min(1, Math.max(0, radius + 1 - Math.hypot(dx, dy)))
      if (weight > 0) taps.push({ dx, dy, weight })
    }
  }
  const out = createPlane(width, height)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = data[y * width + x]
      if (v <= 0) continue
      // Scatter instead of gather: most pixels are paper, so only ink pixels do work.
      for (const { dx, dy, weight } of taps) {
        const xx = x + dx
        const yy = y + dy
        if (xx < 0 || yy < 0 || xx >= width || yy >= height) continue
        const j = yy * width + xx
        const w = v * weight
        if (w > out.data[j]) out.data[j] = w
      }
    }
  }
  return out
}
