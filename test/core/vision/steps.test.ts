// The pipeline's building blocks against hand-computed values: compositing, resampling, centring,
// background fitting, components, stroke width and the median.

import { describe, expect, it } from 'vitest'
import { createRng, randn } from '../../../core'
import { suppressBackground } from '../../../core/vision/background'
import { placeByCentreOfMass, centreOfMass } from '../../../core/vision/center'
import { labelComponents, selectDigitComponents } from '../../../core/vision/components'
import { binFactor, chooseBackdrop, compositeAndBin } from '../../../core/vision/composite'
import { createPlane, type Plane } from '../../../core/vision/image'
import { countIsolatedSpecks, medianFilter3 } from '../../../core/vision/noise'
import { axisWeights, resamplePlane } from '../../../core/vision/resample'
import { median } from '../../../core/vision/stats'
import { dilate, strokeWidth } from '../../../core/vision/stroke'

const plane = (width: number, height: number, values: number[]): Plane => ({
  width,
  height,
  data: Float32Array.from(values)
})

describe('compositing', () => {
  it('composites straight alpha: C = α·F + (1 − α)·B, and averages k×k blocks', () => {
    // 2×2 image: opaque black, half-transparent black, transparent red (hidden colour), opaque white.
    const data = Uint8Array.from([0, 0, 0, 255, 0, 0, 0, 128, 255, 0, 0, 0, 255, 255, 255, 255])
    const backdrop = { kind: 'paper', rgb: [255, 255, 255] } as const
    const one = compositeAndBin({ width: 2, height: 2, data }, backdrop, 1)
    expect(Array.from(one.data.filter((_, i) => i % 3 === 0)).map((v) => +v.toFixed(3))).toEqual([
      0,
      +(127 / 255).toFixed(3),
      1,
      1
    ])
    const binned = compositeAndBin({ width: 2, height: 2, data }, backdrop, 2)
    expect(binned.width).toBe(1)
    expect(binned.data[1]).toBeCloseTo((0 + 127 / 255 + 1 + 1) / 4, 5) // green: the hidden red never shows
  })

  it('chooses the backdrop from the border: paper when opaque, the contrasting colour when transparent', () => {
    const opaque = { width: 1, height: 1, data: Uint8Array.from([10, 20, 30, 255]) }
    expect(chooseBackdrop(opaque).kind).toBe('opaque')
    const darkOnClear = { width: 3, height: 3, data: new Uint8Array(36) }
    darkOnClear.data.set([20, 20, 20, 255], 16) // one dark opaque pixel in the middle
    expect(chooseBackdrop(darkOnClear)).toEqual({ kind: 'contrast', rgb: [255, 255, 255] })
    darkOnClear.data.set([240, 240, 240, 255], 16)
    expect(chooseBackdrop(darkOnClear)).toEqual({ kind: 'contrast', rgb: [0, 0, 0] })
  })

  it('bins down to at most the pixel budget', () => {
    expect(binFactor(640, 640, 640 * 640)).toBe(1)
    expect(binFactor(4000, 3000, 640 * 640)).toBe(6)
    const k = binFactor(8192, 8192, 640 * 640)
    expect((8192 / k) ** 2).toBeLessThanOrEqual(640 * 640)
  })
})

describe('resampling', () => {
  it('area weights cover each output pixel exactly once (they sum to 1)', () => {
    for (const [from, to] of [
      [100, 20],
      [7, 3],
      [20, 20],
      [5, 20]
    ]) {
      for (const taps of axisWeights(from, to))
        expect(taps.reduce((s, t) => s + t.weight, 0)).toBeCloseTo(1, 6)
    }
  })

  it('area-averaging keeps the total ink: a 1-pixel line shrunk 4× becomes a 0.25 line', () => {
    const line = createPlane(40, 40)
    for (let y = 0; y < 40; y++) line.data[y * 40 + 21] = 1
    const small = resamplePlane(line, 10, 10)
    const total = small.data.reduce((a, b) => a + b, 0)
    expect(total * 16).toBeCloseTo(40, 3)
    expect(Math.max(...small.data)).toBeCloseTo(0.25, 5)
  })

  it('bilinear enlargement keeps constants constant and is the identity at scale 1', () => {
    const constant = plane(3, 2, [0.5, 0.5, 0.5, 0.5, 0.5, 0.5])
    expect(
      Array.from(resamplePlane(constant, 12, 8).data).every((v) => Math.abs(v - 0.5) < 1e-6)
    ).toBe(true)
    const ramp = plane(3, 1, [0, 0.5, 1])
    expect(Array.from(resamplePlane(ramp, 3, 1).data)).toEqual([0, 0.5, 1])
    expect(Array.from(resamplePlane(ramp, 6, 1).data).map((v) => +v.toFixed(3))).toEqual([
      0, 0.125, 0.375, 0.625, 0.875, 1
    ])
  })
})

describe('centring', () => {
  it('computes the centre of mass in pixel indices', () => {
    expect(centreOfMass(plane(3, 1, [1, 0, 1]))).toEqual({ x: 1, y: 0 })
    expect(centreOfMass(plane(2, 2, [0, 0, 0, 0]))).toBeNull()
  })

  it('places the patch so its centre of mass lands on (14, 14), clamped inside the frame', () => {
    const dot = createPlane(20, 20)
    dot.data[10 * 20 + 10] = 1
    const { frame, offset } = placeByCentreOfMass(dot)
    expect(offset).toEqual({ x: 4, y: 4 })
    expect(frame[14 * 28 + 14]).toBe(1)
    const corner = createPlane(20, 20)
    corner.data[0] = 1 // mass at the patch's top-left: the shift would push the patch out; it is clamped
    expect(placeByCentreOfMass(corner).offset).toEqual({ x: 8, y: 8 })
  })
})

describe('background suppression', () => {
  it('fits and removes a linear gradient under Gaussian noise, and estimates the noise', () => {
    const rng = createRng(11)
    const s = createPlane(120, 120)
    for (let y = 0; y < 120; y++) {
      for (let x = 0; x < 120; x++)
        s.data[y * 120 + x] = 0.3 * (x / 119) + 0.02 * randn(rng) + (x >= 50 && x < 60 ? 1 : 0)
    }
    const map = suppressBackground(s, { noiseSigmas: 4, minThreshold: 0.15 })
    expect(map.noise).toBeGreaterThan(0.015)
    expect(map.noise).toBeLessThan(0.025)
    expect(map.shading[1] - map.shading[0]).toBeGreaterThan(0.25)
    let paperInk = 0
    let strokeInk = 0
    for (let y = 0; y < 120; y++) {
      for (let x = 0; x < 120; x++) {
        if (x >= 50 && x < 60) strokeInk += map.plane.data[y * 120 + x]
        else paperInk += map.plane.data[y * 120 + x]
      }
    }
    expect(paperInk).toBe(0)
    expect(strokeInk / 1200).toBeGreaterThan(0.9)
  })
})

describe('noise filters', () => {
  it('counts isolated specks but not strokes, and the median removes the specks', () => {
    const p = createPlane(30, 30)
    for (let y = 5; y < 25; y++) p.data[y * 30 + 15] = 1 // a 1-pixel vertical stroke
    for (const [x, y] of [
      [3, 3],
      [25, 4],
      [4, 26]
    ])
      p.data[y * 30 + x] = 1
    p.data[28 * 30 + 28] = -1
    expect(countIsolatedSpecks(p)).toBe(4)
    const thick = createPlane(30, 30)
    for (let y = 5; y < 25; y++) thick.data.fill(1, y * 30 + 14, y * 30 + 17)
    thick.data[3 * 30 + 3] = 1
    const filtered = medianFilter3(thick)
    expect(filtered.data[3 * 30 + 3]).toBe(0)
    expect(filtered.data[15 * 30 + 15]).toBe(1)
  })
})

describe('components', () => {
  it('keeps the digit and a detached nearby bar, drops far specks', () => {
    const p = createPlane(100, 100)
    for (let y = 20; y < 80; y++) p.data.fill(1, y * 100 + 40, y * 100 + 46) // the body
    for (let x = 46; x < 70; x++) p.data.fill(1, 14 * 100 + x, 14 * 100 + x + 1) // a bar 5 px above
    p.data[95 * 100 + 95] = 1
    p.data[2 * 100 + 2] = 1
    const { components } = labelComponents(p)
    expect(components).toHaveLength(4)
    const selection = selectDigitComponents(components)!
    expect(selection.kept).toHaveLength(2)
    expect(selection.box).toEqual({ x: 40, y: 14, width: 30, height: 66 })
  })
})

describe('strokes and statistics', () => {
  it('measures stroke width as 2·area/perimeter (a 4×40 bar gives 40·4·2 / 88)', () => {
    const bar = createPlane(10, 50)
    for (let y = 5; y < 45; y++) bar.data.fill(1, y * 10 + 3, y * 10 + 7)
    expect(strokeWidth(bar)).toBeCloseTo((2 * 160) / 88, 6)
    const thicker = dilate(bar, 1)
    expect(strokeWidth(thicker)).toBeGreaterThan(strokeWidth(bar) + 1.5)
  })

  it('median picks the lower middle value, like a sort would', () => {
    const rng = createRng(5)
    for (const n of [1, 2, 3, 10, 101, 1000]) {
      const values = Array.from({ length: n }, () => Math.round(rng() * 20))
      const sorted = [...values].sort((a, b) => a - b)
      expect(median(values)).toBe(sorted[(n - 1) >> 1])
    }
  })
})
