// The real test of preprocessing: MNIST digits, disguised as the images people have (enlarged, padded,
// inverted, recoloured, transparent, noisy), must come back classified as the original is.

import { beforeAll, describe, expect, it } from 'vitest'
import {
  argmax,
  createRng,
  Matrix,
  preprocessDigit,
  randn,
  type Rng,
  type Sequential
} from '../../../core'
import { loadMnist } from '../../../electron/files/datasets'
import { quickModel } from '../../helpers/quick-model'

const SAMPLES = 400

let model: Sequential
let pixels: Uint8Array

beforeAll(async () => {
  ;[
    model,
    {
      test: { pixels }
    }
  ] = await Promise.all([quickModel(), loadMnist()])
}, 120_000)

const classify = (input: Float32Array): number =>
  argmax(model.forward(new Matrix(1, 784, input)).data)

/**
 * MNIST test image `index` as an RGBA picture: enlarged `scale`× (bilinear), placed at a random spot on
 * a larger canvas, ink and paper recoloured (dark on light or light on dark), sometimes on a transparent
 * canvas, sometimes with noise.
 */
function disguise(
  index: number,
  rng: Rng
): { width: number; height: number; data: Uint8ClampedArray } {
  const scale = 1 + Math.floor(rng() * 5)
  const size = 28 * scale
  const width = size + Math.floor(rng() * 60)
  const height = size + Math.floor(rng() * 60)
  const ox = Math.floor(rng() * (width - size + 1))
  const oy = Math.floor(rng() * (height - size + 1))
  const darkInk = rng() < 0.5
  const transparent = rng() < 0.2
  const noise = rng() < 0.3 ? 12 : 0
  const ink = darkInk
    ? [rng() * 80, rng() * 80, rng() * 120]
    : [180 + rng() * 75, 180 + rng() * 75, 150 + rng() * 105]
  const paper = darkInk
    ? [200 + rng() * 55, 200 + rng() * 55, 180 + rng() * 75]
    : [rng() * 60, rng() * 60, rng() * 60]
  const at = (x: number, y: number): number =>
    x < 0 || y < 0 || x > 27 || y > 27 ? 0 : pixels[index * 784 + y * 28 + x] / 255
  const data = new Uint8ClampedArray(width * height * 4)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const sx = (x - ox + 0.5) / scale - 0.5
      const sy = (y - oy + 0.5) / scale - 0.5
      const x0 = Math.floor(sx)
      const y0 = Math.floor(sy)
      const fx = sx - x0
      const fy = sy - y0
      const v =
        (at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx) * (1 - fy) +
        (at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx) * fy
      const o = 4 * (y * width + x)
      const n = noise ? noise * randn(rng) : 0
      if (transparent) data.set([ink[0], ink[1], ink[2], 255 * v], o)
      else
        data.set(
          [
            paper[0] * (1 - v) + ink[0] * v + n,
            paper[1] * (1 - v) + ink[1] * v + n,
            paper[2] * (1 - v) + ink[2] * v + n,
            255
          ],
          o
        )
    }
  }
  return { width, height, data }
}

describe('MNIST round trip through preprocessDigit', () => {
  it(`classifies ≥ 95% of ${SAMPLES} disguised MNIST test digits as it classifies the originals`, () => {
    const rng = createRng(2024)
    let same = 0
    for (let i = 0; i < SAMPLES; i++) {
      const original = classify(
        Float32Array.from(pixels.subarray(i * 784, (i + 1) * 784), (v) => v / 255)
      )
      const result = preprocessDigit(disguise(i, rng))
      if (result.ok && classify(result.input) === original) same++
    }
    expect(same / SAMPLES).toBeGreaterThanOrEqual(0.95)
  })
})
