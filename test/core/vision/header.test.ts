// readImageHeader: format by content, size before decoding, a clear error for everything else.

import jpeg from 'jpeg-js'
import { describe, expect, it } from 'vitest'
import { ImageFormatError, MAX_IMAGE_SIDE, readImageHeader } from '../../../core'
import { encodeBmp, encodeGif, encodePng, encodeWebp } from '../../helpers/encode-image'
import { solidImage } from '../../helpers/synthetic-digit'

const image = solidImage(37, 23, [200, 100, 50, 255])
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text)

describe('readImageHeader', () => {
  it('identifies all five formats by their magic bytes and reads the size', async () => {
    const files = {
      png: encodePng(image),
      jpeg: new Uint8Array(
        jpeg.encode({ data: Buffer.from(image.data), width: 37, height: 23 }, 80).data
      ),
      gif: encodeGif([image]),
      bmp: encodeBmp(image),
      webp: await encodeWebp(image)
    }
    for (const [format, file] of Object.entries(files)) {
      expect(readImageHeader(file)).toEqual({ format, width: 37, height: 23, animated: false })
    }
    expect(readImageHeader(encodeBmp(image, { bits: 32, topDown: true }))).toMatchObject({
      width: 37,
      height: 23
    })
    expect(readImageHeader(await encodeWebp(image, { lossless: true }))).toMatchObject({
      format: 'webp',
      width: 37,
      height: 23
    })
  })

  it('refuses sizes above the limit before anything is decoded', () => {
    const png = encodePng(image)
    const view = new DataView(png.buffer)
    view.setUint32(16, 100_000)
    view.setUint32(20, 100_000)
    expect(() => readImageHeader(png)).toThrow(
      /100000×100000 pixels, larger than the limit of 8192×8192/
    )
    view.setUint32(16, MAX_IMAGE_SIDE)
    view.setUint32(20, MAX_IMAGE_SIDE)
    expect(readImageHeader(png)).toMatchObject({ width: MAX_IMAGE_SIDE, height: MAX_IMAGE_SIDE })
    view.setUint32(16, 0)
    expect(() => readImageHeader(png)).toThrow(/invalid size/)
  })

  it('names what it is when it is not a supported image', () => {
    const cases: [Uint8Array, RegExp][] = [
      [new Uint8Array(0), /empty/],
      [bytes('hello, this is text\n'), /text file/],
      [bytes('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"></svg>'), /SVG/],
      [bytes('%PDF-1.7\n'), /PDF/],
      [Uint8Array.from([0x49, 0x49, 0x2a, 0, 8, 0, 0, 0]), /TIFF/],
      [Uint8Array.from([0, 0, 0, 0x18, ...bytes('ftypheic'), 0, 0, 0, 0]), /HEIC/],
      [Uint8Array.from([0, 0, 1, 0, 1, 0]), /ICO/],
      [Uint8Array.from([0x00, 0xff, 0x13, 0x37, 0x80]), /not a PNG, JPEG, WebP, GIF or BMP image/],
      [encodePng(image).subarray(0, 20), /truncated/],
      [Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]), /truncated/]
    ]
    for (const [file, message] of cases) {
      expect(() => readImageHeader(file)).toThrow(ImageFormatError)
      expect(() => readImageHeader(file)).toThrow(message)
    }
  })
})
