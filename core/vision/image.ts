// The image shapes core/vision works with: RGBA bytes in, float planes in between, boxes for the steps.

import { ShapeError } from '../errors'

/** An 8-bit RGBA image, row-major, 4 bytes per pixel, not premultiplied (canvas ImageData, PNG). */
export interface RgbaImage {
  readonly width: number
  readonly height: number
  /** width·height·4 bytes: R, G, B, A of pixel (x, y) at 4·(y·width + x). */
  readonly data: Uint8ClampedArray | Uint8Array
}

/** A single-channel float image, row-major: value (x, y) is data[y·width + x]. */
export interface Plane {
  readonly width: number
  readonly height: number
  readonly data: Float32Array
}

/** A float RGB image in [0, 1], interleaved: channel c of pixel i is data[3i + c]. */
export interface RgbPlane {
  readonly width: number
  readonly height: number
  readonly data: Float32Array
}

/** An axis-aligned rectangle in pixels: columns x … x+width−1, rows y … y+height−1. */
export interface Box {
  readonly x: number
  readonly y: number
  readonly width: number
  readonly height: number
}

/** An sRGB colour as three bytes, for showing the learner what was estimated. */
export type Rgb = readonly [number, number, number]

/** A zero-filled plane of the given size. */
export function createPlane(width: number, height: number): Plane {
  return { width, height, data: new Float32Array(width * height) }
}

/**
 * Throws a ShapeError unless `image` is a well-formed RGBA image: integer sizes ≥ 0 and exactly
 * width·height·4 bytes. A 0×0 image is well formed (it simply holds no digit).
 */
export function assertRgbaImage(image: RgbaImage): void {
  const { width, height, data } = image
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 0 || height < 0) {
    throw new ShapeError(
      `preprocessDigit: image size must be whole numbers ≥ 0, got ${width}×${height}`
    )
  }
  if (data.length !== width * height * 4) {
    throw new ShapeError(
      `preprocessDigit: a ${width}×${height} RGBA image needs ${width * height * 4} bytes, got ${data.length}`
    )
  }
}
