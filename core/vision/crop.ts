// Cropping: cut a box out of a plane, and map boxes between the working and the original resolution.

import { createPlane, type Box, type Plane } from './image'

/**
 * The box grown by `margin` pixels on every side, clipped to a width×height image.
 */
export function growBox(box: Box, margin: number, width: number, height: number): Box {
  const x = Math.max(0, box.x - margin)
  const y = Math.max(0, box.y - margin)
  return {
    x,
    y,
    width: Math.min(width, box.x + box.width + margin) - x,
    height: Math.min(height, box.y + box.height + margin) - y
  }
}

/** A copy of the pixels of `plane` inside `box` (which must lie inside the plane). */
export function cropPlane(plane: Plane, box: Box): Plane {
  const out = createPlane(box.width, box.height)
  for (let y = 0; y < box.height; y++) {
    const from = (box.y + y) * plane.width + box.x
    out.data.set(plane.data.subarray(from, from + box.width), y * box.width)
  }
  return out
}

/** The bounding box of the pixels with a value > 0, or null when there are none. */
export function inkBoundingBox(plane: Plane): Box | null {
  const { width, height, data } = plane
  let x0 = width
  let y0 = height
  let x1 = -1
  let y1 = -1
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (data[y * width + x] <= 0) continue
      if (x < x0) x0 = x
      if (x > x1) x1 = x
      if (y < y0) y0 = y
      if (y > y1) y1 = y
    }
  }
  return x1 < 0 ? null : { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 }
}

/**
 * A box in working pixels as a box in original pixels, clipped to the original width×height.
 * One working pixel spans `scale` original pixels: k for k×k binning, 1/u for u× enlargement.
 */
export function toOriginalBox(box: Box, scale: number, width: number, height: number): Box {
  const x = Math.max(0, Math.floor(box.x * scale))
  const y = Math.max(0, Math.floor(box.y * scale))
  return {
    x,
    y,
    width: Math.max(1, Math.min(width, Math.ceil((box.x + box.width) * scale)) - x),
    height: Math.max(1, Math.min(height, Math.ceil((box.y + box.height) * scale)) - y)
  }
}
