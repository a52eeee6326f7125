// The augmentation strip's images: one training digit warped as the trainer would warp it, by core's
// own drawWarp and warpImage (never a second implementation), so the learner sees what the network sees.

import { drawWarp, isAugmenting, warpImage, type Augmentation } from '@core/data/augment'
import { deriveRng } from '@core/random'

/** How many warped versions the strip shows. */
export const STRIP_SIZE = 6

/**
 * `count` warped copies of a rows × cols image, drawn from a generator seeded by (`seed`, `draw`): the
 * same settings, seed and draw give the same strip; "new samples" asks for the next draw. With
 * augmentation off there is nothing to vary: one copy of the image as it is.
 */
export function augmentedSamples(
  pixels: Uint8Array,
  rows: number,
  cols: number,
  augmentation: Augmentation,
  seed: number,
  draw: number,
  count = STRIP_SIZE
): Uint8Array[] {
  if (!isAugmenting(augmentation)) return [pixels.slice()]
  const rng = deriveRng(seed, draw)
  return Array.from({ length: count }, () => {
    const out = new Uint8Array(rows * cols)
    warpImage(pixels, 0, out, 0, rows, cols, drawWarp(augmentation, rng))
    return out
  })
}
