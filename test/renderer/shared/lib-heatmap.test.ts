// The diverging colour map and weight-tile painting.
import { describe, expect, it } from 'vitest'
import {
  buildLut,
  divergingColor,
  DIVERGING_STOPS,
  DIVERGING_STOPS_DARK,
  LUT_SIZE,
  lutFor,
  lutIndex
} from '@/shared/heatmaps/colormap'
import {
  maxAbs,
  paintTile,
  pixelAt,
  strongestPixel,
  tileLimits,
  tileShape,
  weightAt,
  weightChange
} from '@/shared/heatmaps/heatmap'
import { moveCursor } from '@/shared/heatmaps/tile-cursor'
import { tileName } from '@/shared/heatmaps/tile-names'

describe('diverging colour map', () => {
  it('is white at zero, dark blue at −1 and dark red at +1', () => {
    expect(divergingColor(0)).toEqual([247, 247, 247])
    expect(divergingColor(-1)).toEqual([...DIVERGING_STOPS[0]])
    expect(divergingColor(1)).toEqual([...DIVERGING_STOPS[DIVERGING_STOPS.length - 1]])
  })

  it('is symmetric around zero: equal |w| gives equal lightness on either side', () => {
    const lightness = ([r, g, b]: number[]) => 0.2126 * r + 0.7152 * g + 0.0722 * b
    for (const t of [0.1, 0.3, 0.5, 0.8, 1]) {
      expect(Math.abs(lightness(divergingColor(t)) - lightness(divergingColor(-t)))).toBeLessThan(
        40
      )
      expect(divergingColor(-t)[2]).toBeGreaterThan(divergingColor(-t)[0]) // negative is blue
      expect(divergingColor(t)[0]).toBeGreaterThan(divergingColor(t)[2]) // positive is red
    }
  })

  it('gets darker monotonically away from zero', () => {
    const sum = (c: number[]) => c[0] + c[1] + c[2]
    for (let t = 0; t < 1; t += 0.1) {
      expect(sum(divergingColor(t + 0.1))).toBeLessThanOrEqual(sum(divergingColor(t)))
      expect(sum(divergingColor(-t - 0.1))).toBeLessThanOrEqual(sum(divergingColor(-t)))
    }
  })

  it('maps 0 to the middle entry of the lookup table, ±limit to the ends, and clamps beyond', () => {
    const middle = (LUT_SIZE - 1) / 2
    expect(lutIndex(0, 0.5)).toBe(middle)
    expect(lutIndex(0.5, 0.5)).toBe(LUT_SIZE - 1)
    expect(lutIndex(-0.5, 0.5)).toBe(0)
    expect(lutIndex(9, 0.5)).toBe(LUT_SIZE - 1)
    expect(lutIndex(0.25, 0.5) - middle).toBe(middle - lutIndex(-0.25, 0.5))
    expect(lutIndex(1, 0)).toBe(middle) // an all-zero layer is all white
    expect(lutIndex(Number.NaN, 1)).toBe(middle)
    const lut = buildLut()
    expect([...lut.subarray(middle * 3, middle * 3 + 3)]).toEqual([247, 247, 247])
  })
})

describe('weight tiles', () => {
  it('shapes 784 weights as 28×28 and anything else as a strip', () => {
    expect(tileShape(784)).toEqual({ width: 28, height: 28 })
    expect(tileShape(10)).toEqual({ width: 10, height: 1 })
  })

  it('uses one limit for all tiles, or each tile its own max |w|', () => {
    const data = new Float32Array([0.1, -0.4, 0.2, 0.3, -0.05, 0.01])
    expect(maxAbs(data)).toBeCloseTo(0.4)
    expect(tileLimits(data, 2, 3, 'shared')).toEqual([expect.closeTo(0.4), expect.closeTo(0.4)])
    expect(tileLimits(data, 2, 3, 'per-tile')).toEqual([expect.closeTo(0.4), expect.closeTo(0.3)])
  })

  it('paints row r through the lookup table, opaque', () => {
    const data = new Float32Array([9, 9, 9, -1, 0, 1])
    const pixels = new Uint8ClampedArray(3 * 4)
    const lut = buildLut()
    paintTile(pixels, data, 1, 3, 1, lut)
    expect([...pixels.subarray(0, 4)]).toEqual([...DIVERGING_STOPS[0], 255])
    expect([...pixels.subarray(4, 8)]).toEqual([247, 247, 247, 255])
    expect([...pixels.subarray(8, 12)]).toEqual([...DIVERGING_STOPS[10], 255])
  })

  it('paints exactly the colour lutIndex picks (its inlined copy in paintTile agrees)', () => {
    const middle = (LUT_SIZE - 1) / 2
    const values = [Number.NaN, Infinity, -Infinity, 0, -0, 1, -1, 2, -2]
    // Every entry of the table, and the half-way points between entries, where rounding decides.
    for (let k = -middle; k <= middle; k++)
      values.push(k / middle, (k + 0.5) / middle, (k - 0.5) / middle)
    let seed = 12345
    for (let i = 0; i < 5000; i++)
      values.push(((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2.4 - 1.2)
    const data = Float32Array.from(values)
    const lut = buildLut()
    for (const limit of [1, 0.37, 1e-3, 0, -1, Number.NaN]) {
      const pixels = new Uint8ClampedArray(data.length * 4)
      paintTile(pixels, data, 0, data.length, limit, lut)
      const expected = Array.from(data).flatMap((value) => {
        const k = lutIndex(value, limit) * 3
        return [lut[k], lut[k + 1], lut[k + 2], 255]
      })
      expect(Array.from(pixels)).toEqual(expected)
    }
  })

  it('finds the pixel under the pointer in a scaled-up tile, and the weight there', () => {
    const shape = tileShape(784)
    expect(pixelAt(0, 0, 84, 84, shape)).toEqual({ row: 0, col: 0 })
    expect(pixelAt(83.9, 41, 84, 84, shape)).toEqual({ row: 13, col: 27 })
    expect(pixelAt(84, 10, 84, 84, shape)).toBeNull()
    const data = new Float32Array(2 * 784)
    data[784 + 13 * 28 + 27] = 0.5
    expect(weightAt(data, 784, shape, 1, 13, 27)).toBe(0.5)
  })
})

describe('what training changed, and where to look', () => {
  it('subtracts W₀ from W element by element', () => {
    const change = weightChange(Float32Array.of(0.5, -0.25, 2), Float32Array.of(0.25, 0.25, 2))
    expect(Array.from(change)).toEqual([0.25, -0.5, 0])
    expect(() => weightChange(new Float32Array(3), new Float32Array(4))).toThrow(/W₀ has 4/)
  })

  it('finds the strongest pixel of a tile (largest |value|), or its centre when the tile is blank', () => {
    const shape = tileShape(16) // 4 × 4
    const data = new Float32Array(32)
    data[16 + 6] = -0.9 // unit 1, row 1, col 2
    data[16 + 9] = 0.5
    expect(strongestPixel(data, 16, shape, 1)).toEqual({ row: 1, col: 2 })
    expect(strongestPixel(data, 16, shape, 0)).toEqual({ row: 2, col: 2 })
  })
})

describe('tile names', () => {
  it('calls hidden units units and only the output layer’s rows digits', () => {
    expect(tileName('units', 3)).toEqual({ caption: 'unit 3', name: 'Unit 3' })
    expect(tileName('classes', 3)).toEqual({ caption: '3', name: 'Class 3' })
    expect(tileName('filters', 0)).toEqual({ caption: 'filter 0', name: 'Filter 0' })
  })
})

describe('the keyboard cursor over the tiles', () => {
  const shape = tileShape(784)
  const at = (unit: number, row: number, col: number) => ({ unit, row, col })

  it('moves one pixel per arrow, and from a tile’s edge into the next or previous tile', () => {
    expect(moveCursor(at(0, 5, 5), 'ArrowUp', shape, 10)).toEqual(at(0, 4, 5))
    expect(moveCursor(at(0, 5, 5), 'ArrowDown', shape, 10)).toEqual(at(0, 6, 5))
    expect(moveCursor(at(0, 5, 27), 'ArrowRight', shape, 10)).toEqual(at(1, 5, 0))
    expect(moveCursor(at(1, 5, 0), 'ArrowLeft', shape, 10)).toEqual(at(0, 5, 27))
  })

  it('stops at the ends of the grid, and jumps tile by tile with Page Up/Down, Home and End', () => {
    expect(moveCursor(at(0, 0, 0), 'ArrowUp', shape, 10)).toEqual(at(0, 0, 0))
    expect(moveCursor(at(0, 3, 0), 'ArrowLeft', shape, 10)).toEqual(at(0, 3, 0))
    expect(moveCursor(at(9, 27, 27), 'ArrowRight', shape, 10)).toEqual(at(9, 27, 27))
    expect(moveCursor(at(9, 27, 27), 'ArrowDown', shape, 10)).toEqual(at(9, 27, 27))
    expect(moveCursor(at(4, 10, 12), 'PageDown', shape, 10)).toEqual(at(5, 10, 12))
    expect(moveCursor(at(4, 10, 12), 'PageUp', shape, 10)).toEqual(at(3, 10, 12))
    expect(moveCursor(at(4, 10, 12), 'Home', shape, 10)).toEqual(at(0, 10, 12))
    expect(moveCursor(at(4, 10, 12), 'End', shape, 10)).toEqual(at(9, 10, 12))
  })

  it('leaves other keys alone (Tab leaves the grid, Enter checks a gradient)', () => {
    expect(moveCursor(at(0, 1, 1), 'Tab', shape, 10)).toBeNull()
    expect(moveCursor(at(0, 1, 1), 'Enter', shape, 10)).toBeNull()
  })
})

describe('dark-theme colour map', () => {
  const brightness = ([r, g, b]: readonly number[]) => 0.2126 * r + 0.7152 * g + 0.0722 * b

  it('is dark at zero and brightens with |w| on both sides, blue for negative and orange-red for positive', () => {
    const centre = divergingColor(0, true)
    expect(centre).toEqual([...DIVERGING_STOPS_DARK[5]])
    expect(brightness(centre)).toBeLessThan(40)
    for (const t of [0.25, 0.5, 0.75]) {
      expect(brightness(divergingColor(t + 0.25, true))).toBeGreaterThan(
        brightness(divergingColor(t, true))
      )
      expect(brightness(divergingColor(-t - 0.25, true))).toBeGreaterThan(
        brightness(divergingColor(-t, true))
      )
    }
    const [r1, , b1] = divergingColor(-1, true)
    const [r2, , b2] = divergingColor(1, true)
    expect(b1).toBeGreaterThan(r1)
    expect(r2).toBeGreaterThan(b2)
  })

  it('builds each theme’s table once and keeps zero in the middle entry', () => {
    expect(lutFor(true)).toBe(lutFor(true))
    expect(lutFor(false)).not.toBe(lutFor(true))
    const middle = ((LUT_SIZE - 1) / 2) * 3
    expect(Array.from(lutFor(true).slice(middle, middle + 3))).toEqual([...DIVERGING_STOPS_DARK[5]])
  })
})
