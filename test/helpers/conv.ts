// Shared by the conv and pool kernel tests: geometries, MNIST-like inputs, and the comparisons with the
// references of core/tensor/conv.ts.
//
// Tolerance: the kernels add the same products in another order (blocked, 4 lanes at a time) in float32,
// so each result may differ from the reference's by rounding. We bound it relative to the sum of the
// absolute values of the terms (the reference run on |x|, |w|, |dy|, |bias|): |fast − ref| ≤ 1e-5·Σ|terms|,
// for the forward, the input gradient and the weight gradient, whose sums run over a whole batch (up to
// 64 × 784 terms). Max-pooling only compares and copies: it must agree bit for bit.

import { expect } from 'vitest'
import {
  conv2dBackwardInput,
  conv2dBackwardWeight,
  conv2dForward,
  convGeometry,
  type ConvGeometry
} from '../../core'
import { seededValues } from './gradcheck'

export const TOLERANCE = 1e-5

/** The largest |fast − ref| / Σ|terms| over all entries (Σ|terms| floored at 1e-30). */
export function worstError(fast: Float32Array, ref: Float32Array, scale: Float32Array): number {
  expect(fast.length).toBe(ref.length)
  let worst = 0
  for (let i = 0; i < ref.length; i++) {
    if (Number.isNaN(ref[i])) expect(fast[i]).toBeNaN()
    else worst = Math.max(worst, Math.abs(fast[i] - ref[i]) / Math.max(scale[i], 1e-30))
  }
  return worst
}

export const abs = (values: Float32Array): Float32Array => values.map(Math.abs)

/** Bit-for-bit equality (−0 ≠ +0), naming the first entry that differs. */
export function expectSameBits(
  actual: Float32Array | Uint32Array,
  expected: Float32Array | Uint32Array
): void {
  expect(actual.length).toBe(expected.length)
  const a = new Uint32Array(actual.buffer, actual.byteOffset, actual.length)
  const b = new Uint32Array(expected.buffer, expected.byteOffset, expected.length)
  const first = a.findIndex((bits, i) => bits !== b[i])
  expect(first === -1 ? 'none' : `entry ${first}: ${actual[first]} vs ${expected[first]}`).toBe(
    'none'
  )
}

/** Sparse MNIST-like images: a 4-pixel zero margin (scaled to the size), inside about 37 % of the
 *  pixels lit with byte / 255 values: about 81 % zeros on 28 × 28, like MNIST. */
export function mnistLike(g: {
  batch: number
  inChannels: number
  inHeight: number
  inWidth: number
}) {
  const { batch, inChannels: C, inHeight: H, inWidth: W } = g
  const x = new Float32Array(batch * C * H * W)
  const lit = seededValues(x.length, 17, 0, 1)
  const margin = (size: number): number => Math.floor((size * 4) / 28)
  for (let plane = 0; plane < batch * C; plane++)
    for (let h = margin(H); h < H - margin(H); h++)
      for (let w = margin(W); w < W - margin(W); w++) {
        const i = (plane * H + h) * W + w
        if (lit[i] < 0.37) x[i] = Math.fround(Math.ceil(lit[i] * 689) / 255)
      }
  return x
}

export type Shape = [
  batch: number,
  C: number,
  H: number,
  W: number,
  O: number,
  k: number,
  s: number,
  p: number
]

/** LeNet's two convolutions, a stronger CNN's 3×3 ones (stride 1 and 2), and odd cases: W % 4 ≠ 0,
 *  odd sizes, k = 1, padding 0/1/2 (and p > k − 1), stride 2 and 3 with padding, windows that
 *  overhang the image. */
export const SHAPES: Shape[] = [
  [64, 1, 28, 28, 6, 5, 1, 2],
  [64, 6, 14, 14, 16, 5, 1, 0],
  [8, 1, 28, 28, 16, 3, 1, 1],
  [4, 16, 28, 28, 32, 3, 2, 1],
  [4, 32, 14, 14, 64, 3, 1, 1],
  [3, 5, 9, 7, 7, 3, 2, 1],
  [2, 3, 11, 13, 9, 3, 1, 1],
  [1, 2, 5, 6, 3, 1, 1, 0],
  [2, 4, 7, 9, 5, 1, 2, 0],
  [2, 1, 6, 6, 1, 5, 1, 2],
  [1, 3, 8, 8, 4, 3, 3, 2],
  [2, 2, 10, 10, 3, 5, 2, 2],
  [1, 1, 3, 3, 2, 5, 1, 2],
  [1, 7, 17, 15, 10, 5, 1, 1],
  [2, 2, 6, 5, 3, 1, 1, 1],
  [3, 1, 9, 10, 11, 4, 1, 2],
  [2, 3, 7, 6, 9, 2, 1, 0],
  [1, 2, 5, 5, 2, 3, 1, 3]
]

export const geometryOf = ([batch, C, H, W, O, k, s, p]: Shape): ConvGeometry =>
  convGeometry({
    batch,
    inChannels: C,
    inHeight: H,
    inWidth: W,
    outChannels: O,
    kernel: k,
    stride: s,
    padding: p
  })

export const nameOf = (g: ConvGeometry): string =>
  `B=${g.batch} ${g.inChannels}→${g.outChannels} ${g.kernel}×${g.kernel} s=${g.stride} p=${g.padding} ` +
  `on ${g.inHeight}×${g.inWidth} → ${g.outHeight}×${g.outWidth}`

export function sizes(g: ConvGeometry) {
  return {
    x: g.batch * g.inChannels * g.inHeight * g.inWidth,
    w: g.outChannels * g.inChannels * g.kernel * g.kernel,
    y: g.batch * g.outChannels * g.outHeight * g.outWidth
  }
}

/**
 * One test case of geometry g: seeded inputs (x random or MNIST-like; dw0, db0 the gradients already
 * there, since the weight gradient accumulates) and the reference's results, each with the Σ|terms|
 * that scales its tolerance. The references run when asked (they are slow at batch 64).
 */
export function convCase(g: ConvGeometry, input: 'random' | 'MNIST-like', givenDy?: Float32Array) {
  const n = sizes(g)
  const x = input === 'random' ? seededValues(n.x, 1) : mnistLike(g)
  const w = seededValues(n.w, 2, -0.5, 0.5)
  const bias = seededValues(g.outChannels, 3)
  const dy = givenDy ?? seededValues(n.y, 4)
  const dw0 = seededValues(n.w, 5)
  const db0 = seededValues(g.outChannels, 6)
  return {
    x,
    w,
    bias,
    dy,
    dw0,
    db0,
    forward() {
      const [y, scale] = [new Float32Array(n.y), new Float32Array(n.y)]
      conv2dForward(x, w, bias, y, g)
      conv2dForward(abs(x), abs(w), abs(bias), scale, g)
      return { y, relu: y.map((v) => (v > 0 ? v : 0)), scale }
    },
    inputGradient() {
      const [dx, scale] = [new Float32Array(n.x), new Float32Array(n.x)]
      conv2dBackwardInput(dy, w, dx, g)
      conv2dBackwardInput(abs(dy), abs(w), scale, g)
      return { dx, scale }
    },
    weightGradient() {
      const [dw, dwScale, db, dbScale] = [dw0.slice(), abs(dw0), db0.slice(), abs(db0)]
      conv2dBackwardWeight(x, dy, dw, db, g)
      conv2dBackwardWeight(abs(x), abs(dy), dwScale, dbScale, g)
      return { dw, dwScale, db, dbScale }
    }
  }
}
