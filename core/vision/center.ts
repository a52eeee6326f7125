// Centring: place the 20-pixel digit in the 28×28 frame with its centre of mass at the centre, as MNIST did.

import type { Plane } from './image'

/** MNIST's frame is 28×28 pixels. */
export const FRAME_SIZE = 28
/** MNIST scaled each digit so its longer side is 20 pixels, leaving a 4-pixel margin. */
export const DIGIT_BOX_SIZE = 20
/**
 * Where MNIST's centre of mass sits, in pixel indices (pixel x covers [x − ½, x + ½]): the mean over the
 * training set is (14.01, 14.00), i.e. pixel 14, just right of and below the geometric centre 13.5.
 */
export const FRAME_CENTRE = 14

/**
 * Centre of mass of a plane in pixel indices: (Σ v·x / Σ v, Σ v·y / Σ v). Null for an all-zero plane.
 */
export function centreOfMass(plane: Plane): { x: number; y: number } | null {
  let mass = 0
  let sx = 0
  let sy = 0
  for (let y = 0; y < plane.height; y++) {
    for (let x = 0; x < plane.width; x++) {
      const v = plane.data[y * plane.width + x]
      mass += v
      sx += v * x
      sy += v * y
    }
  }
  return mass > 0 ? { x: sx / mass, y: sy / mass } : null
}

/**
 * Pastes `patch` (at most FRAME_SIZE on each side) into a zero FRAME_SIZE×FRAME_SIZE frame at the whole-
 * pixel offset that puts its centre of mass closest to (FRAME_CENTRE, FRAME_CENTRE), clamped so that no
 * ink falls outside the frame: offset = clamp(round(14 − com), 0, 28 − size).
 * Returns the frame (row-major, 784 values) and the offset used.
 */
export function placeByCentreOfMass(patch: Plane): {
  frame: Float32Array
  offset: { x: number; y: number }
} {
  const com = centreOfMass(patch) ?? { x: (patch.width - 1) / 2, y: (patch.height - 1) / 2 }
  const clamp = (v: number, high: number): number => Math.min(high, Math.max(0, v))
  const ox = clamp(Math.round(FRAME_CENTRE - com.x), FRAME_SIZE - patch.width)
  const oy = clamp(Math.round(FRAME_CENTRE - com.y), FRAME_SIZE - patch.height)
  const frame = new Float32Array(FRAME_SIZE * FRAME_SIZE)
  for (let y = 0; y < patch.height; y++) {
    for (let x = 0; x < patch.width; x++)
      frame[(oy + y) * FRAME_SIZE + ox + x] = patch.data[y * patch.width + x]
  }
  return { frame, offset: { x: ox, y: oy } }
}
