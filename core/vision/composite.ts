// Transparency and working size: flatten RGBA onto a backdrop; bin huge images down, enlarge tiny ones.

import { luma } from './grey'
import type { Rgb, RgbaImage, RgbPlane } from './image'
import { median } from './stats'

/**
 * What transparent pixels were composited over, and why:
 * - 'opaque': the image has no transparency; nothing to do.
 * - 'paper': the border is mostly opaque, so the image carries its own paper; transparent holes get the
 *   paper's colour (the median colour of the opaque border pixels).
 * - 'contrast': the border is mostly transparent, so the visible pixels ARE the drawing (a digit on a
 *   transparent canvas). Transparent pixels become white if the drawing is dark, black if it is light.
 */
export interface Backdrop {
  readonly kind: 'opaque' | 'paper' | 'contrast'
  /** The backdrop colour, 0…255 per channel. */
  readonly rgb: Rgb
}

/** Pixels with alpha below this count as transparent when deciding the backdrop (half coverage). */
const TRANSPARENT_BELOW = 128

/**
 * Decides what colour transparent pixels stand for (see Backdrop).
 * NOTE: a transparent pixel stores an arbitrary colour (often black: RGBA 0,0,0,0), so its RGB must never
 * be read as ink. Compositing over a fixed white would erase white strokes on a transparent canvas, and a
 * fixed black would erase black ones; so when the canvas is transparent we composite over the colour
 * that contrasts with what was drawn. Then, for a one-colour drawing, the composited ink strength equals
 * alpha × contrast: alpha acts as ink coverage, which is what an antialiased brush stroke means.
 */
export function chooseBackdrop(image: RgbaImage): Backdrop {
  const { width, height, data } = image
  let hasTransparency = false
  for (let i = 3; i < data.length; i += 4) {
    if (data[i] < 255) {
      hasTransparency = true
      break
    }
  }
  if (!hasTransparency || width === 0 || height === 0)
    return { kind: 'opaque', rgb: [255, 255, 255] }

  const border = borderIndices(width, height)
  const opaqueBorder = border.filter((i) => data[4 * i + 3] >= TRANSPARENT_BELOW)
  if (opaqueBorder.length * 2 > border.length) {
    const channel = (c: number): number => median(opaqueBorder.map((i) => data[4 * i + c]))
    return { kind: 'paper', rgb: [channel(0), channel(1), channel(2)] }
  }

  // Alpha-weighted median luma of the drawing: is the ink dark or light?
  const histogram = new Float64Array(256)
  let total = 0
  for (let p = 0; p < data.length; p += 4) {
    const alpha = data[p + 3]
    if (alpha === 0) continue
    histogram[Math.round(luma(data[p], data[p + 1], data[p + 2]))] += alpha
    total += alpha
  }
  let cumulative = 0
  let medianLuma = 255
  for (let v = 0; v < 256; v++) {
    cumulative += histogram[v]
    if (cumulative * 2 >= total) {
      medianLuma = v
      break
    }
  }
  return { kind: 'contrast', rgb: medianLuma < 128 ? [255, 255, 255] : [0, 0, 0] }
}

/**
 * Composites every pixel over the backdrop and averages k×k blocks into one working pixel:
 *   C = α·F + (1 − α)·B   (straight, non-premultiplied alpha; α = A/255)
 *   out(X, Y) = mean of C over source pixels x ∈ [kX, kX + k), y ∈ [kY, kY + k) (clipped at the edges)
 * Block averaging is exact area-averaging for an integer factor, so thin strokes fade instead of
 * vanishing or aliasing. Shape: [h, w] RGBA bytes → [⌈h/k⌉, ⌈w/k⌉] RGB floats in [0, 1].
 */
export function compositeAndBin(image: RgbaImage, backdrop: Backdrop, k: number): RgbPlane {
  const { width, height, data } = image
  const outWidth = Math.ceil(width / k)
  const outHeight = Math.ceil(height / k)
  const sums = new Float32Array(outWidth * outHeight * 3)
  const counts = new Float32Array(outWidth * outHeight)
  const [br, bg, bb] = backdrop.rgb
  for (let y = 0; y < height; y++) {
    const rowBase = Math.floor(y / k) * outWidth
    for (let x = 0; x < width; x++) {
      const p = 4 * (y * width + x)
      const alpha = data[p + 3] / 255
      const o = rowBase + Math.floor(x / k)
      sums[3 * o] += alpha * data[p] + (1 - alpha) * br
      sums[3 * o + 1] += alpha * data[p + 1] + (1 - alpha) * bg
      sums[3 * o + 2] += alpha * data[p + 2] + (1 - alpha) * bb
      counts[o]++
    }
  }
  for (let o = 0; o < counts.length; o++) {
    const scale = 1 / (255 * counts[o])
    sums[3 * o] *= scale
    sums[3 * o + 1] *= scale
    sums[3 * o + 2] *= scale
  }
  return { width: outWidth, height: outHeight, data: sums }
}

/**
 * The block size k for binning: the smallest integer with (w/k)·(h/k) ≤ maxPixels.
 * PERF: every later step is O(pixels) with a few passes; a 4000×3000 photo binned to ~640×480 keeps the
 * whole pipeline well under a second while a digit still spans far more than the 20 px it ends up as.
 */
export function binFactor(width: number, height: number, maxPixels: number): number {
  return Math.max(1, Math.ceil(Math.sqrt((width * height) / maxPixels)))
}

/** Indices (y·width + x) of the outermost ring of pixels, each once. */
export function borderIndices(width: number, height: number): number[] {
  const indices: number[] = []
  for (let y = 0; y < height; y++) {
    if (y === 0 || y === height - 1) {
      for (let x = 0; x < width; x++) indices.push(y * width + x)
    } else {
      indices.push(y * width)
      if (width > 1) indices.push(y * width + width - 1)
    }
  }
  return indices
}

/**
 * Bilinear enlargement of an RGB plane by an integer factor u (pixel centres: x_in = (x + ½)/u − ½).
 * Used for tiny images, so that the noise filters and the stroke thickening can work in steps finer
 * than one original pixel.
 */
export function enlargeRgb(rgb: RgbPlane, u: number): RgbPlane {
  if (u <= 1) return rgb
  const { width, height, data } = rgb
  const outWidth = width * u
  const outHeight = height * u
  const out = new Float32Array(outWidth * outHeight * 3)
  const tap = (position: number, size: number): [number, number, number] => {
    const p = Math.min(size - 1, Math.max(0, position))
    const i0 = Math.floor(p)
    return [i0, Math.min(size - 1, i0 + 1), p - i0]
  }
  for (let y = 0; y < outHeight; y++) {
    const [y0, y1, fy] = tap((y + 0.5) / u - 0.5, height)
    for (let x = 0; x < outWidth; x++) {
      const [x0, x1, fx] = tap((x + 0.5) / u - 0.5, width)
      for (let c = 0; c < 3; c++) {
        const top =
          data[3 * (y0 * width + x0) + c] * (1 - fx) + data[3 * (y0 * width + x1) + c] * fx
        const bottom =
          data[3 * (y1 * width + x0) + c] * (1 - fx) + data[3 * (y1 * width + x1) + c] * fx
        out[3 * (y * outWidth + x) + c] = top * (1 - fy) + bottom * fy
      }
    }
  }
  return { width: outWidth, height: outHeight, data: out }
}
