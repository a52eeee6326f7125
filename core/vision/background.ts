// Background suppression: fit the paper's slow shading, subtract it, and cut the noise floor.

import type { Plane } from './image'
import { median } from './stats'

/** The ink map after background suppression, and the numbers that produced it. */
export interface InkMap {
  /** Ink strength per pixel in [0, 1]: 0 = paper, 1 = full ink. */
  readonly plane: Plane
  /** Robust standard deviation of the paper after subtracting the fitted shading, in ink units. */
  readonly noise: number
  /** The level (in ink units, 0 = paper, 1 = ink) below which everything counts as paper. */
  readonly threshold: number
  /** Lowest and highest value of the fitted paper shading (0 = flat paper), in ink units. */
  readonly shading: readonly [number, number]
}

export interface SuppressOptions {
  /** The threshold is at least this many noise standard deviations above the paper. */
  readonly noiseSigmas: number
  /** …and at least this fraction of the ink contrast (cuts JPEG ringing and faint smudges). */
  readonly minThreshold: number
}

/**
 * Background samples used for each fit (a regular subsample of the image).
 * PERF: six coefficients need nowhere near every pixel; 8 000 samples fit a quadratic to well under
 * 1% of the ink contrast, and keep the fit and the median-based noise estimate cheap.
 */
const FIT_SAMPLES = 8_000
/**
 * A fitted shading that varies by more than the ink contrast itself is not paper shading but a fit gone
 * wrong (too few paper pixels around a huge digit): fall back to flat paper.
 */
const MAX_SHADING_RANGE = 1
/** MAD → standard deviation for Gaussian noise: σ ≈ 1.4826 · median(|r − median(r)|). */
const MAD_TO_SIGMA = 1.4826

/**
 * Separates ink from paper in a projected image s (0 = paper colour, 1 = ink colour; see polarity.ts).
 * 1. Paper shading: fit b(x, y) = c₀ + c₁x + c₂y + c₃x² + c₄xy + c₅y² (x, y ∈ [−1, 1]) by least squares to
 *    the pixels currently believed to be paper, then re-classify paper as r = s − b < max(3σ, 0.05) and
 *    refit (3 rounds, so strokes stop pulling the fit up). A quadratic follows linear gradients and the
 *    radial fall-off of a lamp or a phone camera; it cannot bend enough to follow a stroke.
 * 2. Noise: σ = 1.4826·MAD of the paper residuals.
 * 3. Threshold t = max(noiseSigmas·σ, minThreshold), then  ink = clamp((r − t) / (1 − t), 0, 1):
 *    paper, gradient and noise go to exactly 0 (as MNIST's background is exactly 0), full ink stays 1.
 */
export function suppressBackground(
  s: Plane,
  { noiseSigmas, minThreshold }: SuppressOptions
): InkMap {
  const { width, height, data } = s
  const n = width * height
  // PERF: the rounds of fitting and re-classifying run on a regular subsample; the fitted surface is
  // evaluated over the whole image once, at the end.
  const stride = Math.max(1, Math.floor(n / FIT_SAMPLES))
  const count = Math.ceil(n / stride)
  const u = new Float64Array(count)
  const v = new Float64Array(count)
  const value = new Float64Array(count)
  for (let k = 0; k < count; k++) {
    const i = k * stride
    u[k] = toUnit(i % width, width)
    v[k] = toUnit(Math.floor(i / width), height)
    value[k] = data[i]
  }
  const isPaper = new Uint8Array(count)
  for (let k = 0; k < count; k++) isPaper[k] = value[k] < 0.5 ? 1 : 0

  let fit = fitQuadratic(u, v, value, isPaper)
  let noise = 0
  for (let round = 0; round < 3; round++) {
    noise = paperNoise(u, v, value, isPaper, fit)
    const cut = Math.max(3 * noise, 0.05)
    for (let k = 0; k < count; k++) isPaper[k] = value[k] - evaluate(fit, u[k], v[k]) < cut ? 1 : 0
    fit = fitQuadratic(u, v, value, isPaper)
  }
  noise = paperNoise(u, v, value, isPaper, fit)

  const shading = new Float32Array(n)
  let low = Infinity
  let high = -Infinity
  for (let y = 0; y < height; y++) {
    const vy = toUnit(y, height)
    for (let x = 0; x < width; x++) {
      const b = evaluate(fit, toUnit(x, width), vy)
      shading[y * width + x] = b
      if (b < low) low = b
      if (b > high) high = b
    }
  }
  const threshold = Math.min(0.95, Math.max(noiseSigmas * noise, minThreshold))
  const ink = new Float32Array(n)
  for (let i = 0; i < n; i++) {
    const level = (data[i] - shading[i] - threshold) / (1 - threshold)
    ink[i] = level <= 0 ? 0 : level >= 1 ? 1 : level
  }
  return { plane: { width, height, data: ink }, noise, threshold, shading: [low, high] }
}

/** Pixel index → [−1, 1] across the image (0 for a one-pixel side). */
function toUnit(index: number, size: number): number {
  return size > 1 ? (2 * index) / (size - 1) - 1 : 0
}

/** b(u, v) = c₀ + c₁u + c₂v + c₃u² + c₄uv + c₅v² */
function evaluate(c: Float64Array, u: number, v: number): number {
  return c[0] + c[1] * u + c[2] * v + c[3] * u * u + c[4] * u * v + c[5] * v * v
}

/**
 * Least-squares quadratic through the samples marked as paper (normal equations ΦᵀΦ c = Φᵀs).
 * Falls back to a flat surface at the paper median when there are too few paper samples, the system
 * is singular, or the surface would vary by more than MAX_SHADING_RANGE over the image.
 */
function fitQuadratic(
  u: Float64Array,
  v: Float64Array,
  value: Float64Array,
  isPaper: Uint8Array
): Float64Array {
  const ata = Array.from({ length: 6 }, () => new Float64Array(6))
  const atb = new Float64Array(6)
  const phi = new Float64Array(6)
  const paperValues: number[] = []
  for (let k = 0; k < value.length; k++) {
    if (!isPaper[k]) continue
    phi[0] = 1
    phi[1] = u[k]
    phi[2] = v[k]
    phi[3] = u[k] * u[k]
    phi[4] = u[k] * v[k]
    phi[5] = v[k] * v[k]
    for (let a = 0; a < 6; a++) {
      atb[a] += phi[a] * value[k]
      for (let b = 0; b < 6; b++) ata[a][b] += phi[a] * phi[b]
    }
    paperValues.push(value[k])
  }
  const flat = (level: number): Float64Array => Float64Array.of(level, 0, 0, 0, 0, 0)
  if (paperValues.length === 0) return flat(0)
  const paperMedian = median(paperValues)
  if (paperValues.length < 24) return flat(paperMedian)

  // NOTE: a small ridge term keeps the system solvable when a basis column is all zeros (a 1-pixel-tall
  // image has v ≡ 0); the intercept is not penalised.
  const ridge = 1e-6 * paperValues.length
  for (let a = 1; a < 6; a++) ata[a][a] += ridge
  const c = solve(ata, atb)
  if (!c) return flat(paperMedian)
  // The extremes of a quadratic over the square [−1, 1]² lie on its corners, edge midpoints or centre
  // (up to the interior extremum, which a faint shading does not have in practice): check those.
  let low = Infinity
  let high = -Infinity
  for (const pu of [-1, 0, 1]) {
    for (const pv of [-1, 0, 1]) {
      const b = evaluate(c, pu, pv)
      low = Math.min(low, b)
      high = Math.max(high, b)
    }
  }
  return high - low > MAX_SHADING_RANGE ? flat(paperMedian) : c
}

/** Robust σ of paper residuals: 1.4826 · median |r − median(r)| over the paper samples. */
function paperNoise(
  u: Float64Array,
  v: Float64Array,
  value: Float64Array,
  isPaper: Uint8Array,
  fit: Float64Array
): number {
  const residuals: number[] = []
  for (let k = 0; k < value.length; k++)
    if (isPaper[k]) residuals.push(value[k] - evaluate(fit, u[k], v[k]))
  if (residuals.length === 0) return 0
  const mid = median(residuals)
  return MAD_TO_SIGMA * median(residuals.map((r) => Math.abs(r - mid)))
}

/** Solves the small dense system A·x = b by Gaussian elimination with partial pivoting; null if singular. */
function solve(a: Float64Array[], b: Float64Array): Float64Array | null {
  const size = b.length
  const m = a.map((row, i) => Float64Array.from([...row, b[i]]))
  for (let col = 0; col < size; col++) {
    let pivot = col
    for (let r = col + 1; r < size; r++)
      if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) pivot = r
    if (Math.abs(m[pivot][col]) < 1e-12) return null
    ;[m[col], m[pivot]] = [m[pivot], m[col]]
    for (let r = col + 1; r < size; r++) {
      const f = m[r][col] / m[col][col]
      for (let k = col; k <= size; k++) m[r][k] -= f * m[col][k]
    }
  }
  const x = new Float64Array(size)
  for (let r = size - 1; r >= 0; r--) {
    let sum = m[r][size]
    for (let k = r + 1; k < size; k++) sum -= m[r][k] * x[k]
    x[r] = sum / m[r][r]
  }
  return x
}
