// Data augmentation: every training image seen through a small random affine warp (shift, rotation,
// scale), so the network learns that a digit moved, tilted or resized is the same digit. Seeded and
// deterministic: the same config gives the same warps at the same steps. Evaluation never augments.

import { deriveRng, uniform, type Rng } from '../random'
import type { Dataset } from './dataset'

/** The largest random change of each kind; 0 turns that kind off (all 0: no augmentation). */
export interface Augmentation {
  /** Shift in pixels, along each axis: U(−n, n). */
  readonly shiftPixels: number
  /** Rotation in degrees: U(−n, n). */
  readonly rotationDegrees: number
  /** Relative scale change: the image is scaled by U(1 − n, 1 + n). */
  readonly scale: number
}

export const NO_AUGMENTATION: Augmentation = { shiftPixels: 0, rotationDegrees: 0, scale: 0 }

/** Whether any kind of change is on. */
export function isAugmenting(augmentation: Augmentation): boolean {
  return augmentation.shiftPixels > 0 || augmentation.rotationDegrees > 0 || augmentation.scale > 0
}

/** "off", or e.g. "shift ±2 px, rotate ±10°, scale ±10%". */
export function describeAugmentation(augmentation: Augmentation): string {
  const { shiftPixels, rotationDegrees, scale } = augmentation
  const parts = [
    shiftPixels > 0 ? `shift ±${shiftPixels} px` : '',
    rotationDegrees > 0 ? `rotate ±${rotationDegrees}°` : '',
    scale > 0 ? `scale ±${Math.round(scale * 1000) / 10}%` : ''
  ].filter(Boolean)
  return parts.length > 0 ? parts.join(', ') : 'off'
}

/** One image's warp: where its content moves (dx right, dy down, in pixels), how it turns and grows. */
export interface Warp {
  readonly dx: number
  readonly dy: number
  /** Radians; positive turns clockwise as seen on screen (rows go down). */
  readonly angle: number
  readonly scale: number
}

/**
 * A random warp within the augmentation's limits.
 * NOTE: always four draws, in this order, whatever is switched on, so that turning one kind on or off
 * does not change the others' values.
 */
export function drawWarp(augmentation: Augmentation, rng: Rng): Warp {
  const { shiftPixels: shift, rotationDegrees: degrees, scale } = augmentation
  const dx = uniform(rng, -shift, shift)
  const dy = uniform(rng, -shift, shift)
  const angle = (uniform(rng, -degrees, degrees) * Math.PI) / 180
  return { dx, dy, angle, scale: uniform(rng, 1 - scale, 1 + scale) }
}

/**
 * Warps one rows × cols image of bytes (src at srcOffset) into dst at dstOffset:
 *   out(p) = in(c + R(−θ)·(p − c − t) / s)        c the image centre, t = (dx, dy), R(θ) a rotation
 * i.e. the content is scaled by s and turned by θ about the centre, then moved by t. Each output pixel
 * reads the input by bilinear interpolation between its four neighbours, with 0 (background) outside
 * the image, and is rounded back to a byte, so an augmented image is an image like any other.
 */
export function warpImage(
  src: Uint8Array,
  srcOffset: number,
  dst: Uint8Array,
  dstOffset: number,
  rows: number,
  cols: number,
  warp: Warp
): void {
  const cx = (cols - 1) / 2
  const cy = (rows - 1) / 2
  // R(−θ) / s, applied to (x − cx − dx, y − cy − dy)
  const cos = Math.cos(warp.angle) / warp.scale
  const sin = Math.sin(warp.angle) / warp.scale
  const pixel = (x: number, y: number): number =>
    x < 0 || x >= cols || y < 0 || y >= rows ? 0 : src[srcOffset + y * cols + x]
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < cols; x++) {
      const u = x - cx - warp.dx
      const v = y - cy - warp.dy
      const sx = cx + cos * u + sin * v
      const sy = cy - sin * u + cos * v
      const x0 = Math.floor(sx)
      const y0 = Math.floor(sy)
      const fx = sx - x0
      const fy = sy - y0
      const value =
        (1 - fy) * ((1 - fx) * pixel(x0, y0) + fx * pixel(x0 + 1, y0)) +
        fy * ((1 - fx) * pixel(x0, y0 + 1) + fx * pixel(x0 + 1, y0 + 1))
      dst[dstOffset + y * cols + x] = Math.round(value)
    }
  }
}

/**
 * Random streams of the warps: one per step, numbered from here, apart from the weights' (the seed
 * itself), the data order's (1) and dropout's (2).
 */
const AUGMENT_STREAMS = 0x1000_0000

/**
 * The generator of one training step's warps (step 0-based), derived from the run's seed and the step
 * alone: a step's images are warped the same way whichever engine computes it.
 */
export function augmentationRng(seed: number, step: number): Rng {
  return deriveRng(seed, AUGMENT_STREAMS + step)
}

/**
 * The images order[start … start+rows) of `dataset`, each warped by its own draw from `rng`, written
 * one after another into `out` ([rows, rows·cols] bytes): the batch a training step sees.
 */
export function augmentBatch(
  dataset: Dataset,
  order: Uint32Array,
  start: number,
  rows: number,
  augmentation: Augmentation,
  rng: Rng,
  out: Uint8Array
): void {
  const size = dataset.inputSize
  for (let r = 0; r < rows; r++) {
    const warp = drawWarp(augmentation, rng)
    warpImage(
      dataset.pixels,
      order[start + r] * size,
      out,
      r * size,
      dataset.rows,
      dataset.cols,
      warp
    )
  }
}
