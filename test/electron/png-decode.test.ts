// Our PNG decoder against pngjs as the oracle, on every colour type, bit depth, filter and interlacing,
// and against hostile files: zlib bombs, bad checksums, palettes and filters out of range.

import { deflateSync } from 'node:zlib'
import { PNG } from 'pngjs'
import { describe, expect, it } from 'vitest'
import { createRng, type Rng } from '../../core'
import { decodePng } from '../../electron/images/png-decode'
import { pngFile, type PngSpec } from '../helpers/crafted-png'

/** Random raw rows for `spec` (every byte pattern is a valid image when the palette is full). */
function randomPng(spec: Omit<PngSpec, 'rows' | 'filters'>, rng: Rng): Uint8Array {
  return pngFile({
    ...spec,
    rows: (rowBytes) => Uint8Array.from({ length: rowBytes }, () => Math.floor(rng() * 256)),
    filters: () => Math.floor(rng() * 5)
  })
}

/** Pixels equal, except the colour under alpha 0, which pngjs zeroes and we keep (it is invisible). */
function expectSamePixels(ours: Uint8ClampedArray, theirs: Uint8Array, label: string): void {
  expect(ours.length, label).toBe(theirs.length)
  for (let i = 0; i < ours.length; i += 4) {
    if (theirs[i + 3] === 0 && ours[i + 3] === 0) continue
    const same = [0, 1, 2, 3].every((k) => ours[i + k] === theirs[i + k])
    if (!same)
      expect([...ours.subarray(i, i + 4)], `${label}, pixel ${i / 4}`).toEqual([
        ...theirs.subarray(i, i + 4)
      ])
  }
}

describe('decodePng', () => {
  const cases: [number, number[]][] = [
    [0, [1, 2, 4, 8, 16]],
    [2, [8, 16]],
    [3, [1, 2, 4, 8]],
    [4, [8, 16]],
    [6, [8, 16]]
  ]
  for (const [colorType, depths] of cases) {
    for (const depth of depths) {
      it(`decodes colour type ${colorType} at ${depth} bits, plain and interlaced, as pngjs does`, () => {
        const rng = createRng(colorType * 100 + depth)
        for (const interlaced of [false, true]) {
          for (const [width, height] of [
            [1, 1],
            [13, 7],
            [33, 21]
          ]) {
            const palette =
              colorType === 3
                ? Uint8Array.from({ length: 3 * 2 ** depth }, () => Math.floor(rng() * 256))
                : undefined
            const transparency =
              colorType === 3
                ? Uint8Array.from({ length: 2 ** depth - 1 }, () => Math.floor(rng() * 256))
                : colorType === 0
                  ? Uint8Array.of(0, depth === 16 ? 0 : 1)
                  : colorType === 2
                    ? Uint8Array.of(0, 0, 0, 0, 0, 0)
                    : undefined
            const file = randomPng(
              { width, height, depth, colorType, interlaced, palette, transparency },
              rng
            )
            const label = `${width}×${height}, ${interlaced ? 'interlaced' : 'plain'}`
            const ours = decodePng(file)
            const theirs = PNG.sync.read(Buffer.from(file))
            expect([ours.width, ours.height]).toEqual([width, height])
            expectSamePixels(ours.data, theirs.data, label)
          }
        }
      })
    }
  }

  it('scales 16-bit samples by rounding v · 255 / 65535, and 2-bit ones by v · 85', () => {
    const grey16 = pngFile({
      width: 3,
      height: 1,
      depth: 16,
      colorType: 0,
      rows: () => Uint8Array.of(0x00, 0x80, 0x7f, 0x7f, 0xff, 0xff)
    })
    expect([...decodePng(grey16).data]).toEqual([
      0, 0, 0, 255, 127, 127, 127, 255, 255, 255, 255, 255
    ])
    const grey2 = pngFile({
      width: 4,
      height: 1,
      depth: 2,
      colorType: 0,
      rows: () => Uint8Array.of(0b00011011)
    })
    expect([...decodePng(grey2).data].filter((_, i) => i % 4 === 0)).toEqual([0, 85, 170, 255])
  })
})

describe('decodePng: hostile files', () => {
  it('stops a zlib bomb at the size the header allows: 1×1 pixel, 16 MB of zeros', () => {
    for (const interlaced of [false, true]) {
      const bomb = pngFile({
        width: 1,
        height: 1,
        depth: 8,
        colorType: 6,
        interlaced,
        idat: deflateSync(new Uint8Array(16 * 1024 * 1024))
      })
      expect(bomb.length).toBeLessThan(40_000)
      expect(() => decodePng(bomb)).toThrow(
        /its compressed data holds more than the 5 bytes its 1×1 header allows/
      )
    }
  })

  it('refuses bad checksums, unknown filters, palettes too large and indices beyond the palette', () => {
    const good = pngFile({
      width: 2,
      height: 2,
      depth: 8,
      colorType: 2,
      rows: (n) => new Uint8Array(n)
    })
    const flipped = good.slice()
    flipped[20] ^= 1 // inside IHDR
    expect(() => decodePng(flipped)).toThrow('the checksum of its IHDR chunk is wrong')
    expect(() =>
      decodePng(
        pngFile({
          width: 2,
          height: 2,
          depth: 8,
          colorType: 2,
          rows: (n) => new Uint8Array(n),
          filters: () => 9
        })
      )
    ).toThrow('a row has an unknown filter type (9)')
    expect(() =>
      decodePng(
        pngFile({
          width: 2,
          height: 2,
          depth: 1,
          colorType: 3,
          palette: new Uint8Array(3 * 3),
          rows: (n) => new Uint8Array(n)
        })
      )
    ).toThrow(/its palette has 9 bytes; 2 RGB entries at most/)
    expect(() =>
      decodePng(
        pngFile({
          width: 2,
          height: 1,
          depth: 8,
          colorType: 3,
          palette: new Uint8Array(3 * 4),
          rows: () => Uint8Array.of(1, 200)
        })
      )
    ).toThrow('a pixel uses colour 200, beyond its palette')
    expect(() => decodePng(good.subarray(0, good.length - 20))).toThrow(/cut short|ends before/)
  })
})
