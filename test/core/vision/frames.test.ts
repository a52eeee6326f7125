// Every frame of an animation is held to the pixel limit and to its canvas, from crafted headers
// (made here, byte by byte: a hostile file is a few dozen bytes, not a large fixture).

import { describe, expect, it } from 'vitest'
import { checkFrames, ImageFormatError, readImageHeader } from '../../../core'
import { apng, gif, vp8l, webp } from '../../helpers/crafted-images'

const check = (bytes: Uint8Array) => checkFrames(bytes, readImageHeader(bytes))

describe('checkFrames', () => {
  it('accepts frames within the limit and the canvas, and returns them', () => {
    expect(
      check(
        gif(10, 10, [
          [10, 10],
          [4, 4]
        ])
      ).map((f) => [f.width, f.height])
    ).toEqual([
      [10, 10],
      [4, 4]
    ])
    const frames = check(
      webp([20, 10], {
        frames: [
          { at: [0, 0], size: [20, 10], data: vp8l(20, 10) },
          { at: [10, 4], size: [10, 6], data: vp8l(10, 6) }
        ]
      })
    )
    expect(frames).toEqual([
      { x: 0, y: 0, width: 20, height: 10 },
      { x: 10, y: 4, width: 10, height: 6 }
    ])
    expect(
      check(
        apng(10, 10, [
          [10, 10, 0, 0],
          [5, 5, 5, 5]
        ])
      )
    ).toHaveLength(2)
    expect(check(webp([30, 20], { still: vp8l(30, 20) }))).toEqual([])
  })

  it('refuses a GIF whose later frame is larger than the limit, inside a small canvas', () => {
    expect(() =>
      check(
        gif(10, 10, [
          [10, 10],
          [65535, 65535]
        ])
      )
    ).toThrow(
      new ImageFormatError(
        "the GIF file's frame 2 is 65535×65535 pixels, larger than the limit of 8192×8192"
      )
    )
  })

  it('refuses an animated WebP whose first frame is 12000×12000 inside a 1×1 canvas', () => {
    const bomb = webp([1, 1], {
      frames: [{ at: [0, 0], size: [12000, 12000], data: vp8l(12000, 12000) }]
    })
    expect(() => check(bomb)).toThrow(/frame 1 \(12000×12000 at 0,0\) does not fit its 1×1 canvas/)
  })

  it('refuses a WebP frame whose bitstream is larger than the frame it is declared as', () => {
    const lying = webp([16, 16], {
      frames: [{ at: [0, 0], size: [16, 16], data: vp8l(12000, 12000) }]
    })
    expect(() => check(lying)).toThrow(
      /frame 1 is declared 16×16 but its image data is 12000×12000/
    )
    const empty = webp([16, 16], { frames: [{ at: [0, 0], size: [16, 16], data: [] }] })
    expect(() => check(empty)).toThrow(/its image data is missing/)
  })

  it('refuses a still extended WebP whose bitstream is not its canvas size', () => {
    expect(() => check(webp([1, 1], { still: vp8l(16000, 16000) }))).toThrow(
      /its canvas is 1×1 but its image data is 16000×16000/
    )
  })

  it('refuses an APNG frame outside the canvas', () => {
    expect(() =>
      check(
        apng(10, 10, [
          [10, 10, 0, 0],
          [12000, 12000, 0, 0]
        ])
      )
    ).toThrow(
      /the PNG file is corrupt: frame 2 \(12000×12000 at 0,0\) does not fit its 10×10 canvas/
    )
    expect(() => check(apng(10, 10, [[8, 8, 4, 0]]))).toThrow(/does not fit/)
  })

  it('stops at the end of a file cut short, leaving truncation to the decoder', () => {
    const cut = gif(10, 10, [
      [10, 10],
      [10, 10]
    ])
    expect(check(cut.subarray(0, cut.length - 8))).toHaveLength(1)
  })
})
