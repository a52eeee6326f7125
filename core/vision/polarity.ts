// Polarity and colour: which colour is the paper, which is the ink, and how far each pixel is towards ink.

import { borderIndices } from './composite'
import { luma } from './grey'
import type { Plane, RgbPlane } from './image'
import { median } from './stats'

/** The paper→ink colour axis of an image (colours as RGB floats in [0, 1]). */
export interface InkAxis {
  readonly paper: readonly [number, number, number]
  readonly ink: readonly [number, number, number]
  /** |ink − paper| / √3: 1 for black on white, 0 when ink and paper are the same colour. */
  readonly contrast: number
  /** True when the ink is darker than the paper (dark on light), so the digit gets inverted. */
  readonly inverted: boolean
}

/**
 * Estimates the paper colour and the ink colour.
 * - paper = per-channel median of a thin ring along the border. A digit rarely touches more than a few
 *   border pixels, so the median ignores it (and also ignores vignetting corners).
 * - ink = per-channel median of the pixels farthest from the paper colour. "Far" is judged against D, the
 *   largest distance on a 3×3-smoothed copy (isolated noise pixels cannot reach it): a pixel counts when
 *   its own distance is ≥ D/2 and its smoothed distance ≥ D/4.
 * Returns null when nothing differs from the paper by at least `minContrast` (a blank image).
 */
export function estimateInkAxis(rgb: RgbPlane, minContrast: number): InkAxis | null {
  const { width, height, data } = rgb
  const n = width * height
  const ring = borderRing(width, height)
  const paper = [0, 1, 2].map((c) => median(ring.map((i) => data[3 * i + c]))) as [
    number,
    number,
    number
  ]

  const smooth = boxBlur3(rgb)
  const distanceFromPaper = (colours: Float32Array, i: number): number =>
    Math.hypot(
      colours[3 * i] - paper[0],
      colours[3 * i + 1] - paper[1],
      colours[3 * i + 2] - paper[2]
    ) / Math.sqrt(3)
  const smoothDistance = new Float32Array(n)
  let maxDistance = 0
  for (let i = 0; i < n; i++) {
    smoothDistance[i] = distanceFromPaper(smooth, i)
    if (smoothDistance[i] > maxDistance) maxDistance = smoothDistance[i]
  }
  if (maxDistance < minContrast) return null

  // A candidate must stand out in the smoothed image (so a lone noise pixel cannot) and in its own
  // colour (so the paper right next to a 1-pixel stroke, which smoothing darkens, does not count).
  const candidates: number[] = []
  for (let i = 0; i < n; i++) {
    if (smoothDistance[i] >= 0.25 * maxDistance && distanceFromPaper(data, i) >= 0.5 * maxDistance)
      candidates.push(i)
  }
  if (candidates.length === 0) return null
  const ink = [0, 1, 2].map((c) => median(candidates.map((i) => data[3 * i + c]))) as [
    number,
    number,
    number
  ]
  const contrast =
    Math.hypot(ink[0] - paper[0], ink[1] - paper[1], ink[2] - paper[2]) / Math.sqrt(3)
  if (contrast < minContrast) return null
  return { paper, ink, contrast, inverted: luma(...ink) < luma(...paper) }
}

/**
 * How far each pixel is from paper towards ink, in units of the ink contrast:
 *   s = (C − paper) · (ink − paper) / |ink − paper|²
 * so paper → 0 and ink → 1, whatever the colours. This is the "invert if dark on light" step and the
 * "convert to grey" step in one: for black ink on white paper s = 1 − luma-ish grey (inverted), for white
 * on black s = grey, and for coloured ink it uses the colour difference, so even blue on black or red on
 * green of equal brightness (where luma alone sees almost nothing) gives full contrast.
 * Shape: [h, w, 3] → [h, w]; values can fall below 0 or above 1 (noise, uneven paper, darker ink).
 */
export function projectOntoInkAxis(rgb: RgbPlane, axis: InkAxis): Plane {
  const { paper, ink } = axis
  const ar = ink[0] - paper[0]
  const ag = ink[1] - paper[1]
  const ab = ink[2] - paper[2]
  const norm = ar * ar + ag * ag + ab * ab
  const out = new Float32Array(rgb.width * rgb.height)
  const d = rgb.data
  for (let i = 0; i < out.length; i++) {
    out[i] =
      ((d[3 * i] - paper[0]) * ar +
        (d[3 * i + 1] - paper[1]) * ag +
        (d[3 * i + 2] - paper[2]) * ab) /
      norm
  }
  return { width: rgb.width, height: rgb.height, data: out }
}

/**
 * Pixel indices of a border ring ~2% of the shorter side thick (at least 1 pixel): more samples than
 * the outermost row alone, so the median stays put when a stroke or a scanner edge touches the border.
 */
function borderRing(width: number, height: number): number[] {
  const thickness = Math.max(1, Math.floor(Math.min(width, height) * 0.02))
  if (thickness === 1) return borderIndices(width, height)
  const indices: number[] = []
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inRing =
        x < thickness || y < thickness || x >= width - thickness || y >= height - thickness
      if (inRing) indices.push(y * width + x)
    }
  }
  return indices
}

/** 3×3 mean filter of an interleaved RGB plane, edges clamped; separable (rows, then columns). */
function boxBlur3(rgb: RgbPlane): Float32Array {
  const { width, height, data } = rgb
  const rows = new Float32Array(data.length)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const left = 3 * (y * width + Math.max(0, x - 1))
      const centre = 3 * (y * width + x)
      const right = 3 * (y * width + Math.min(width - 1, x + 1))
      for (let c = 0; c < 3; c++)
        rows[centre + c] = data[left + c] + data[centre + c] + data[right + c]
    }
  }
  const out = new Float32Array(data.length)
  for (let y = 0; y < height; y++) {
    const up = Math.max(0, y - 1) * width
    const down = Math.min(height - 1, y + 1) * width
    for (let x = 0; x < width; x++) {
      const centre = 3 * (y * width + x)
      for (let c = 0; c < 3; c++)
        out[centre + c] = (rows[3 * (up + x) + c] + rows[centre + c] + rows[3 * (down + x) + c]) / 9
    }
  }
  return out
}
