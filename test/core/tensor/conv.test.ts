import { describe, expect, it } from 'vitest'
import {
  conv2dBackwardInput,
  conv2dBackwardWeight,
  conv2dForward,
  convGeometry,
  maxPool2dBackward,
  maxPool2dForward,
  poolGeometry,
  type ConvGeometry
} from '../../../core'
import { expectGradientMatches, seededValues } from '../../helpers/gradcheck'

const sizes = (g: ConvGeometry) => ({
  x: g.batch * g.inChannels * g.inHeight * g.inWidth,
  w: g.outChannels * g.inChannels * g.kernel * g.kernel,
  y: g.batch * g.outChannels * g.outHeight * g.outWidth
})

/** L = Σ y ⊙ r for a fixed random r: ∂L/∂y = r, so the backward passes must give ∂L/∂x and ∂L/∂w. */
function linearLoss(g: ConvGeometry, x: Float32Array, w: Float32Array, b: Float32Array) {
  const r = seededValues(sizes(g).y, 7)
  const y = new Float32Array(sizes(g).y)
  const loss = (): number => {
    conv2dForward(x, w, b, y, g)
    let sum = 0
    for (let i = 0; i < y.length; i++) sum += y[i] * r[i]
    return sum
  }
  return { r, loss }
}

type ConvShape = Parameters<typeof convGeometry>[0]
/** A convolution's geometry: one sample, one channel in and out, stride 1 and no padding unless said. */
const geometry = (
  shape: Partial<ConvShape> & Pick<ConvShape, 'inHeight' | 'inWidth' | 'kernel'>
): ConvGeometry =>
  convGeometry({ batch: 1, inChannels: 1, outChannels: 1, stride: 1, padding: 0, ...shape })

describe('convGeometry', () => {
  it('gives ⌊(n + 2p − k) / s⌋ + 1 per axis', () => {
    const base = { batch: 1, inChannels: 1, outChannels: 6, stride: 1 }
    const same = convGeometry({ ...base, inHeight: 28, inWidth: 28, kernel: 5, padding: 2 })
    expect([same.outHeight, same.outWidth]).toEqual([28, 28])
    const valid = convGeometry({ ...base, inHeight: 14, inWidth: 14, kernel: 5, padding: 0 })
    expect([valid.outHeight, valid.outWidth]).toEqual([10, 10])
    const strided = convGeometry({
      ...base,
      inHeight: 7,
      inWidth: 6,
      kernel: 3,
      stride: 2,
      padding: 1
    })
    expect([strided.outHeight, strided.outWidth]).toEqual([4, 3])
  })

  it('refuses a filter larger than the padded input, naming both sizes', () => {
    const shape = { batch: 1, inChannels: 1, outChannels: 1, stride: 1, padding: 0 }
    expect(() => convGeometry({ ...shape, inHeight: 3, inWidth: 3, kernel: 5 })).toThrow(
      /5×5 filter .* 3×3 input/
    )
    expect(() => poolGeometry({ batch: 1, channels: 1, inHeight: 1, inWidth: 4, size: 2 })).toThrow(
      /2×2 pooling window .* 1×4 input/
    )
  })
})

describe('conv2dForward', () => {
  it('matches a hand-computed 3×3 input, 2×2 filter, valid', () => {
    // x = [[1, 2, 3], [4, 5, 6], [7, 8, 9]], w = [[1, 0], [0, −1]], b = 0.5
    // y[i][j] = x[i][j] − x[i+1][j+1] + 0.5 = −4 + 0.5 everywhere
    const g = geometry({ inHeight: 3, inWidth: 3, kernel: 2 })
    const y = new Float32Array(4)
    conv2dForward(
      Float32Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9),
      Float32Array.of(1, 0, 0, -1),
      Float32Array.of(0.5),
      y,
      g
    )
    expect(Array.from(y)).toEqual([-3.5, -3.5, -3.5, -3.5])
  })

  it('pads with zeros: a 3×3 box filter with padding 1 sums each pixel’s neighbours', () => {
    const g = geometry({ inHeight: 3, inWidth: 3, kernel: 3, padding: 1 })
    const y = new Float32Array(9)
    conv2dForward(
      new Float32Array(9).fill(1),
      new Float32Array(9).fill(1),
      Float32Array.of(0),
      y,
      g
    )
    expect(Array.from(y)).toEqual([4, 6, 4, 6, 9, 6, 4, 6, 4])
  })

  it('sums over input channels and keeps samples and filters apart', () => {
    // Two samples, two channels of constant images, two 1×1 filters: y = Σ_c w[o, c] · x[b, c]
    const g = geometry({
      batch: 2,
      inChannels: 2,
      inHeight: 1,
      inWidth: 2,
      outChannels: 2,
      kernel: 1
    })
    const x = Float32Array.of(1, 1, 10, 10, 2, 2, 20, 20)
    const w = Float32Array.of(1, 0, 1, 1) // filter 0 reads channel 0; filter 1 adds both
    const y = new Float32Array(8)
    conv2dForward(x, w, Float32Array.of(0, 0), y, g)
    expect(Array.from(y)).toEqual([1, 1, 11, 11, 2, 2, 22, 22])
  })
})

describe('conv2d backward matches finite differences', () => {
  const cases = [
    { name: 'stride 1, same padding', stride: 1, padding: 1, kernel: 3, inHeight: 5, inWidth: 6 },
    {
      name: 'stride 2, same padding, odd sizes',
      stride: 2,
      padding: 1,
      kernel: 3,
      inHeight: 7,
      inWidth: 5
    },
    {
      name: 'stride 1, valid, 5×5 filter',
      stride: 1,
      padding: 0,
      kernel: 5,
      inHeight: 8,
      inWidth: 7
    },
    {
      name: 'stride 2, valid, even filter',
      stride: 2,
      padding: 0,
      kernel: 2,
      inHeight: 6,
      inWidth: 7
    }
  ]
  for (const c of cases) {
    it(c.name, () => {
      const g = convGeometry({ batch: 2, inChannels: 2, outChannels: 3, ...c })
      const n = sizes(g)
      const x = seededValues(n.x, 1)
      const w = seededValues(n.w, 2)
      const b = seededValues(g.outChannels, 3)
      const { r, loss } = linearLoss(g, x, w, b)

      const dx = new Float32Array(n.x).fill(99) // overwritten, whatever it held
      conv2dBackwardInput(r, w, dx, g)
      expectGradientMatches(loss, x, dx, { rtol: 1e-3 })

      const dw = new Float32Array(n.w)
      const db = new Float32Array(g.outChannels)
      conv2dBackwardWeight(x, r, dw, db, g)
      expectGradientMatches(loss, w, dw, { rtol: 1e-3 })
      expectGradientMatches(loss, b, db, { rtol: 1e-3 })
    })
  }

  it('accumulates weight gradients across calls, as every layer does', () => {
    const g = geometry({ inHeight: 4, inWidth: 4, kernel: 3 })
    const x = seededValues(16, 4)
    const dy = seededValues(4, 5)
    const once = new Float32Array(9)
    const onceBias = new Float32Array(1)
    conv2dBackwardWeight(x, dy, once, onceBias, g)
    const twice = new Float32Array(9)
    const twiceBias = new Float32Array(1)
    conv2dBackwardWeight(x, dy, twice, twiceBias, g)
    conv2dBackwardWeight(x, dy, twice, twiceBias, g)
    for (let i = 0; i < 9; i++) expect(twice[i]).toBeCloseTo(2 * once[i], 5)
    expect(twiceBias[0]).toBeCloseTo(2 * onceBias[0], 5)
  })
})

describe('max pooling', () => {
  const g = poolGeometry({ batch: 1, channels: 1, inHeight: 4, inWidth: 5, size: 2 })

  it('takes each window’s maximum and drops the column that fills no window', () => {
    // prettier-ignore
    const x = Float32Array.of(
      1, 2, 0, 9, 7,
      3, 4, 8, 1, 7,
      0, 0, 5, 6, 7,
      0, 1, 6, 5, 7
    )
    const y = new Float32Array(4)
    const argmax = new Uint32Array(4)
    maxPool2dForward(x, y, argmax, g)
    expect([g.outHeight, g.outWidth]).toEqual([2, 2])
    expect(Array.from(y)).toEqual([4, 9, 1, 6])
    // Ties go to the first maximum in row-major order: the 6 at (2, 3), not the one at (3, 2).
    expect(Array.from(argmax)).toEqual([6, 3, 16, 13])
  })

  it('sends each window’s gradient to its winner alone', () => {
    const x = seededValues(20, 9)
    const y = new Float32Array(4)
    const argmax = new Uint32Array(4)
    maxPool2dForward(x, y, argmax, g)
    const r = Float32Array.of(1, 2, 3, 4)
    const dx = new Float32Array(20).fill(99)
    maxPool2dBackward(r, argmax, dx, g)
    expect(dx.filter((v) => v !== 0).length).toBe(4)
    const loss = (): number => {
      maxPool2dForward(x, y, argmax, g)
      return y.reduce((sum, v, i) => sum + v * r[i], 0)
    }
    expectGradientMatches(loss, x, dx, { rtol: 1e-3 })
  })
})
