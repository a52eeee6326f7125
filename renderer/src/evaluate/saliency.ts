// Painting 28×28 images for the Evaluate view: a test digit from its bytes, and a saliency map
// (∂logit/∂input) in the diverging colour map with the digit shown faintly underneath. Pure: RGBA in,
// no DOM.

import { lutIndex } from '@/shared/heatmaps/colormap'
import { maxAbs } from '@/shared/heatmaps/heatmap'

/** Writes MNIST bytes (0 = background, 255 = ink) as white ink on black, the way the network sees them. */
export function paintDigit(rgba: Uint8ClampedArray, pixels: ArrayLike<number>, scale = 1): void {
  for (let i = 0; i < pixels.length; i++) {
    const v = Math.max(0, Math.min(255, Math.round(pixels[i] * scale)))
    const p = i * 4
    rgba[p] = v
    rgba[p + 1] = v
    rgba[p + 2] = v
    rgba[p + 3] = 255
  }
}

/** How dark the digit's ink is drawn under the colours (0 hides it, 1 draws it black). */
export const INK_SHADOW = 0.35

/**
 * The saliency map through the colour lookup table (blue: the pixel pushes the class's logit down,
 * red: up, white: no effect), symmetric around zero with half-width `limit`. Where the input has
 * ink, the colour is darkened a little so the digit's shape stays readable.
 */
export function paintSaliency(
  rgba: Uint8ClampedArray,
  map: ArrayLike<number>,
  input: ArrayLike<number>,
  limit: number,
  lut: Uint8ClampedArray,
  inkShadow = INK_SHADOW
): void {
  for (let i = 0; i < map.length; i++) {
    const k = lutIndex(map[i], limit) * 3
    const keep = 1 - inkShadow * Math.max(0, Math.min(1, input[i] ?? 0))
    const p = i * 4
    rgba[p] = lut[k] * keep
    rgba[p + 1] = lut[k + 1] * keep
    rgba[p + 2] = lut[k + 2] * keep
    rgba[p + 3] = 255
  }
}

/** The colour scale's half-width: the largest |∂logit/∂input| (so the strongest pixel is fully coloured). */
export function saliencyLimit(map: ArrayLike<number>): number {
  return maxAbs(map)
}
