// preprocessDigit on synthetic images: the same digit drawn in different ways must give the same 28×28.

import { describe, expect, it } from 'vitest'
import {
  createRng,
  preprocessDigit,
  randn,
  ShapeError,
  type PreprocessResult,
  type RgbaImage
} from '../../../core'
import {
  correlation,
  drawDigit,
  meanAbsDiff,
  solidImage,
  type DrawOptions,
  type Rgba
} from '../../helpers/synthetic-digit'

/** The reference: a black 7, 120 px tall, pen 12 px, on white 200×200, a little left of centre. */
const REFERENCE: DrawOptions = {
  width: 200,
  height: 200,
  box: { x: 40, y: 30, width: 80, height: 120 },
  penWidth: 12
}
/** The reference drawing, in other colours where `colours` says so. */
const drawReference = (colours: Pick<DrawOptions, 'paper' | 'ink' | 'under'> = {}): RgbaImage =>
  drawDigit({ ...REFERENCE, ...colours })
const reference = drawReference()

function digit(image: RgbaImage): Extract<PreprocessResult, { ok: true }> {
  const result = preprocessDigit(image)
  if (!result.ok) throw new Error(`expected a digit, got: ${result.message}`)
  return result
}

const referenceInput = digit(reference).input

/** Same picture up to small resampling differences. */
function expectSameDigit(image: RgbaImage, maxDiff = 0.04, minCorrelation = 0.95): void {
  const { input } = digit(image)
  expect(meanAbsDiff(input, referenceInput)).toBeLessThan(maxDiff)
  expect(correlation(input, referenceInput)).toBeGreaterThan(minCorrelation)
}

describe('preprocessDigit: MNIST format', () => {
  it('returns 784 values in [0, 1] with the strongest ink at 1 and black paper', () => {
    const { input } = digit(reference)
    expect(input).toHaveLength(784)
    expect(Math.max(...input)).toBe(1)
    expect(Math.min(...input)).toBe(0)
    // The 4-pixel margin MNIST leaves around its 20×20 box stays empty at the corners.
    for (const corner of [0, 27, 27 * 28, 783]) expect(input[corner]).toBe(0)
  })

  it('scales the longer side to 20 pixels and puts the centre of mass at pixel (14, 14)', () => {
    const { input, steps } = digit(reference)
    expect(Math.max(steps.scaledSize.width, steps.scaledSize.height)).toBe(20)
    let mass = 0
    let sx = 0
    let sy = 0
    for (let i = 0; i < 784; i++) {
      mass += input[i]
      sx += input[i] * (i % 28)
      sy += input[i] * Math.floor(i / 28)
    }
    expect(Math.abs(sx / mass - 14)).toBeLessThanOrEqual(0.5)
    expect(Math.abs(sy / mass - 14)).toBeLessThanOrEqual(0.5)
  })

  it('reports the crop box in original pixels around the drawn strokes', () => {
    const { steps } = digit(reference)
    // The strokes span x 40…120 and y 30…150, widened by half the pen (6 px) where they end.
    expect(steps.cropBox.x).toBeGreaterThanOrEqual(30)
    expect(steps.cropBox.x).toBeLessThanOrEqual(42)
    expect(steps.cropBox.y).toBeGreaterThanOrEqual(22)
    expect(steps.cropBox.y).toBeLessThanOrEqual(32)
    expect(steps.cropBox.x + steps.cropBox.width).toBeGreaterThanOrEqual(120)
    expect(steps.cropBox.x + steps.cropBox.width).toBeLessThanOrEqual(132)
    expect(steps.cropBox.y + steps.cropBox.height).toBeGreaterThanOrEqual(148)
    expect(steps.cropBox.y + steps.cropBox.height).toBeLessThanOrEqual(160)
    expect(steps.inverted).toBe(true)
    expect(steps.paper).toEqual([255, 255, 255])
    expect(steps.ink).toEqual([0, 0, 0])
  })

  it('is deterministic', () => {
    expect(Array.from(digit(reference).input)).toEqual(Array.from(referenceInput))
  })
})

describe('preprocessDigit: the same digit, drawn differently', () => {
  it('ignores where the digit is (shifted to a corner)', () => {
    expectSameDigit(
      drawDigit({
        width: 200,
        height: 200,
        box: { x: 110, y: 75, width: 80, height: 120 },
        penWidth: 12
      }),
      0.02,
      0.98
    )
  })

  it('ignores scale: a tiny digit in a small image', () => {
    expectSameDigit(
      drawDigit({
        width: 24,
        height: 24,
        box: { x: 6, y: 3, width: 10, height: 15 },
        penWidth: 1.6
      }),
      0.08,
      0.85
    )
  })

  it('ignores scale: a huge digit in a 2400×2400 image', () => {
    expectSameDigit(
      drawDigit({
        width: 2400,
        height: 2400,
        box: { x: 500, y: 300, width: 960, height: 1440 },
        penWidth: 144
      })
    )
  })

  it('ignores polarity: light on dark equals dark on light', () => {
    const inverted = drawReference({
      paper: [0, 0, 0, 255],
      ink: [255, 255, 255, 255]
    })
    const result = digit(inverted)
    expect(result.steps.inverted).toBe(false)
    expect(meanAbsDiff(result.input, referenceInput)).toBeLessThan(0.01)
  })

  it('ignores colour: blue ink on black paper (luma contrast only 0.11) and red on green', () => {
    expectSameDigit(
      drawReference({
        paper: [0, 0, 0, 255],
        ink: [0, 0, 255, 255]
      }),
      0.01,
      0.99
    )
    expectSameDigit(
      drawReference({
        paper: [40, 160, 40, 255],
        ink: [200, 40, 40, 255]
      }),
      0.01,
      0.99
    )
  })

  it('reads dark strokes on a transparent canvas whose hidden RGB is black (not a black blob)', () => {
    const image = drawReference({
      paper: [0, 0, 0, 0],
      ink: [0, 0, 0, 255]
    })
    const result = digit(image)
    expect(result.steps.backdrop.kind).toBe('contrast')
    expect(result.steps.backdrop.rgb).toEqual([255, 255, 255])
    expect(meanAbsDiff(result.input, referenceInput)).toBeLessThan(0.01)
  })

  it('reads white strokes on a transparent canvas (composited over black, not white)', () => {
    const image = drawReference({
      paper: [0, 0, 0, 0],
      ink: [255, 255, 255, 255]
    })
    const result = digit(image)
    expect(result.steps.backdrop.rgb).toEqual([0, 0, 0])
    expect(meanAbsDiff(result.input, referenceInput)).toBeLessThan(0.01)
  })

  it('ignores any colour stored under alpha 0, and alpha-only ink (RGB black everywhere)', () => {
    expectSameDigit(
      drawReference({
        paper: [0, 0, 0, 0],
        ink: [30, 30, 200, 255],
        under: [250, 20, 180]
      }),
      0.01,
      0.99
    )
    const alphaOnly = drawReference({
      paper: [0, 0, 0, 0],
      ink: [0, 0, 0, 255]
    })
    for (let i = 0; i < alphaOnly.data.length; i += 4) alphaOnly.data.fill(0, i, i + 3)
    expectSameDigit(alphaOnly, 0.01, 0.99)
  })

  it('fills transparent holes in opaque paper with the paper colour', () => {
    const image = drawReference({
      paper: [250, 240, 200, 255]
    })
    for (const [x0, y0] of [
      [0, 0],
      [180, 180]
    ]) {
      for (let y = y0; y < y0 + 20; y++)
        for (let x = x0; x < x0 + 20; x++) image.data.set([0, 0, 0, 0], 4 * (y * 200 + x))
    }
    const result = digit(image)
    expect(result.steps.backdrop.kind).toBe('paper')
    expect(meanAbsDiff(result.input, referenceInput)).toBeLessThan(0.02)
  })

  it('removes Gaussian paper noise (σ = 25 of 255)', () => {
    const image = drawReference({
      paper: [220, 220, 220, 255],
      ink: [30, 30, 30, 255]
    })
    const rng = createRng(7)
    for (let i = 0; i < image.data.length; i += 4) {
      const n = 25 * randn(rng)
      for (let c = 0; c < 3; c++) image.data[i + c] += n
    }
    expectSameDigit(image, 0.06, 0.9)
  })

  it('removes salt-and-pepper specks (2% of pixels)', () => {
    const image = drawReference()
    const rng = createRng(8)
    for (let i = 0; i < image.data.length; i += 4)
      if (rng() < 0.02) image.data.fill(rng() < 0.5 ? 0 : 255, i, i + 3)
    const result = digit(image)
    expect(result.steps.despeckled).toBe(true)
    expect(meanAbsDiff(result.input, referenceInput)).toBeLessThan(0.03)
  })

  it('removes a faint gradient in the paper (white → 25% grey across the image)', () => {
    const image = drawReference()
    for (let y = 0; y < 200; y++) {
      for (let x = 0; x < 200; x++) {
        const shade = 1 - 0.25 * ((x + y) / 398)
        for (let c = 0; c < 3; c++) image.data[4 * (y * 200 + x) + c] *= shade
      }
    }
    expectSameDigit(image, 0.02, 0.98)
  })

  it('removes small marks far from the digit', () => {
    const image = drawReference()
    for (const [x0, y0] of [
      [170, 10],
      [180, 185],
      [5, 190]
    ]) {
      for (let y = y0; y < y0 + 4; y++)
        for (let x = x0; x < x0 + 4; x++) image.data.set([0, 0, 0, 255], 4 * (y * 200 + x))
    }
    const result = digit(image)
    expect(result.steps.componentsRemoved).toBe(3)
    expect(meanAbsDiff(result.input, referenceInput)).toBeLessThan(0.01)
  })

  it('thickens a hairline pen to MNIST-like strokes', () => {
    const thin = digit(
      drawDigit({
        width: 400,
        height: 400,
        box: { x: 80, y: 60, width: 160, height: 240 },
        penWidth: 2
      })
    )
    expect(thin.steps.thickenedBy).toBeGreaterThan(0)
    expect(correlation(thin.input, referenceInput)).toBeGreaterThan(0.9)
  })

  it('handles very wide and very tall images', () => {
    expectSameDigit(
      drawDigit({
        width: 4000,
        height: 150,
        box: { x: 2500, y: 15, width: 80, height: 120 },
        penWidth: 12
      })
    )
    const tall = digit(
      drawDigit({
        width: 90,
        height: 3000,
        box: { x: 5, y: 1200, width: 80, height: 120 },
        penWidth: 12
      })
    )
    expect(correlation(tall.input, referenceInput)).toBeGreaterThan(0.95)
  })
})

describe('preprocessDigit: no digit', () => {
  const blank = (image: RgbaImage): string => {
    const result = preprocessDigit(image)
    expect(result.ok).toBe(false)
    return result.ok ? '' : result.message
  }

  it('says "no digit found" for blank images of any colour, opaque or transparent', () => {
    for (const colour of [
      [255, 255, 255, 255],
      [0, 0, 0, 255],
      [90, 140, 200, 255],
      [0, 0, 0, 0],
      [255, 255, 255, 0]
    ] as Rgba[]) {
      expect(blank(solidImage(64, 48, colour))).toMatch(/no digit found/)
    }
  })

  it('says "no digit found" for paper with only faint JPEG-like noise (±3 levels)', () => {
    const image = solidImage(100, 100, [240, 240, 240, 255])
    const rng = createRng(3)
    for (let i = 0; i < image.data.length; i += 4) image.data[i] += Math.round(6 * rng() - 3)
    expect(blank(image)).toMatch(/no digit found/)
  })

  it('copes with 1×1 and 0×0 images', () => {
    expect(blank(solidImage(1, 1, [0, 0, 0, 255]))).toMatch(/no digit found/)
    expect(preprocessDigit({ width: 0, height: 0, data: new Uint8Array(0) })).toMatchObject({
      ok: false,
      reason: 'empty'
    })
  })

  it('throws a ShapeError for a malformed image object (wrong byte count)', () => {
    expect(() => preprocessDigit({ width: 10, height: 10, data: new Uint8Array(399) })).toThrow(
      ShapeError
    )
    expect(() => preprocessDigit({ width: 2.5, height: 2, data: new Uint8Array(20) })).toThrow(
      ShapeError
    )
  })
})
