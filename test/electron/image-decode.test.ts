// Image decoding for the CLI and host: every format by content, EXIF orientation, the size limit
// before decoding, and one clear ImageDecodeError for every bad file (never a crash or a hang).

import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import jpeg from 'jpeg-js'
import { describe, expect, it } from 'vitest'
import { createRng } from '../../core'
import { decodeImage, ImageDecodeError, readImageFile } from '../../electron/images/image-decode'
import { jpegDecoderBytes } from '../../electron/images/jpeg-budget'
import { bmp8, gif, jpegHeader, vp8l, webp } from '../helpers/crafted-images'
import { animatedWebp, encodeBmp, encodeGif, encodePng, encodeWebp } from '../helpers/encode-image'
import { drawDigit } from '../helpers/synthetic-digit'

const BAD = join(import.meta.dirname, '..', 'fixtures', 'bad-images')

/** 40×20: left half red, right half transparent-ish blue, so orientation and alpha are visible. */
const picture = (() => {
  const data = new Uint8Array(40 * 20 * 4)
  for (let y = 0; y < 20; y++) {
    for (let x = 0; x < 40; x++)
      data.set(x < 20 ? [220, 30, 30, 255] : [30, 30, 220, 100], 4 * (y * 40 + x))
  }
  return { width: 40, height: 20, data }
})()
const opaque = { ...picture, data: picture.data.map((v, i) => (i % 4 === 3 ? 255 : v)) }

const pixel = (image: { width: number; data: Uint8ClampedArray }, x: number, y: number): number[] =>
  Array.from(image.data.subarray(4 * (y * image.width + x), 4 * (y * image.width + x) + 4))

const jpegBytes = (image: typeof opaque): Uint8Array =>
  new Uint8Array(
    jpeg.encode({ data: Buffer.from(image.data), width: image.width, height: image.height }, 95)
      .data
  )

describe('decodeImage: formats', () => {
  it('decodes PNG, GIF, BMP (24-bit, 32-bit top-down) and lossless WebP exactly, alpha included', async () => {
    const exact: [string, Uint8Array, boolean][] = [
      ['png', encodePng(picture), true],
      ['bmp', encodeBmp(opaque), false],
      ['bmp', encodeBmp(picture, { bits: 32, topDown: true }), true],
      ['webp', await encodeWebp(picture, { lossless: true }), true]
    ]
    for (const [format, file, hasAlpha] of exact) {
      const image = await decodeImage(file)
      expect(image).toMatchObject({ format, width: 40, height: 20, animated: false })
      expect(pixel(image, 3, 3)).toEqual([220, 30, 30, 255])
      expect(pixel(image, 30, 15)).toEqual([30, 30, 220, hasAlpha ? 100 : 255])
    }
    const gif = await decodeImage(encodeGif([picture]))
    expect(gif.format).toBe('gif')
    expect(pixel(gif, 3, 3)).toEqual([204, 51, 51, 255]) // the nearest colour of the fixed GIF palette
    expect(pixel(gif, 30, 15)[3]).toBe(0) // alpha 100 < 128: the transparent palette entry
  })

  it('decodes JPEG and lossy WebP to within compression error', async () => {
    for (const file of [jpegBytes(opaque), await encodeWebp(opaque, { quality: 90 })]) {
      const image = await decodeImage(file)
      expect(image.width).toBe(40)
      const [r, g, b] = pixel(image, 5, 10)
      expect(Math.abs(r - 220) + Math.abs(g - 30) + Math.abs(b - 30)).toBeLessThan(30)
    }
  })

  it('turns a JPEG upright according to its EXIF orientation (6: rotate 90° clockwise)', async () => {
    const plain = jpegBytes(opaque)
    // APP1 "Exif\0\0" + little-endian TIFF header + IFD0 with one entry: Orientation (0x0112) SHORT 6.
    const tiff = [
      0x49, 0x49, 0x2a, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0
    ]
    const app1 = [0xff, 0xe1, 0, 2 + 6 + tiff.length, 0x45, 0x78, 0x69, 0x66, 0, 0, ...tiff]
    const rotated = await decodeImage(
      Uint8Array.from([...plain.subarray(0, 2), ...app1, ...plain.subarray(2)])
    )
    expect([rotated.width, rotated.height]).toEqual([20, 40])
    expect(pixel(rotated, 10, 5)[0]).toBeGreaterThan(180) // the red left half is now on top
    expect(pixel(rotated, 10, 35)[2]).toBeGreaterThan(180)
  })

  it('uses the first frame of animated GIF and WebP files', async () => {
    const first = drawDigit({
      width: 60,
      height: 60,
      box: { x: 15, y: 10, width: 30, height: 40 },
      penWidth: 6
    })
    const second = drawDigit({
      width: 60,
      height: 60,
      shape: 'zero',
      box: { x: 15, y: 10, width: 30, height: 40 },
      penWidth: 6
    })
    const gif = await decodeImage(encodeGif([first, second]))
    const webp = await decodeImage(
      animatedWebp(
        [await encodeWebp(first, { lossless: true }), await encodeWebp(second, { lossless: true })],
        60,
        60
      )
    )
    for (const image of [gif, webp]) {
      expect(image.animated).toBe(true)
      expect(pixel(image, 30, 11)[0]).toBeLessThan(50) // the 7's top bar (frame 1), not the 0
      expect(pixel(image, 30, 30)[0]).toBeGreaterThan(200) // the 7 is empty here; the 0 would not be
    }
  })
})

describe('decodeImage: bad files', () => {
  const expected = JSON.parse(readFileSync(join(BAD, 'expected.json'), 'utf8')).files as Record<
    string,
    { error?: string; label?: number }
  >

  it('gives each bad fixture its own one-line error naming the problem', async () => {
    const messages = new Map<string, string>()
    for (const [name, expectation] of Object.entries(expected)) {
      if (!expectation.error || expectation.error === 'no digit found') continue
      const error = await readImageFile(join(BAD, name)).then(
        () => null,
        (e: unknown) => e
      )
      expect(error, name).toBeInstanceOf(ImageDecodeError)
      const message = (error as Error).message
      expect(message, name).toContain(expectation.error)
      expect(message).not.toMatch(/\n|\bat \w+ \(/)
      messages.set(name, message)
    }
    expect(messages.size).toBeGreaterThanOrEqual(9)
  })

  it('decodes the misnamed and animated fixtures by content', async () => {
    expect((await readImageFile(join(BAD, 'png-named.jpg'))).format).toBe('png')
    expect((await readImageFile(join(BAD, 'animated.gif'))).animated).toBe(true)
    expect(readdirSync(BAD)).toContain('drawing.svg')
  })

  it('refuses a header claiming 100000×100000 pixels at once, without allocating it', async () => {
    const started = performance.now()
    await expect(readImageFile(join(BAD, 'huge-dimensions.png'))).rejects.toThrow(
      /100000×100000 pixels, larger than the limit/
    )
    expect(performance.now() - started).toBeLessThan(200)
  })

  it('refuses every frame above the limit, not only the canvas, before decoding', async () => {
    // Issue 15: this file decoded for 12 s at 1.8 GB; the frame header alone says it is too large.
    const bomb = webp([1, 1], {
      frames: [{ at: [0, 0], size: [12000, 12000], data: vp8l(12000, 12000) }]
    })
    await expect(decodeImage(bomb)).rejects.toThrow(
      new ImageDecodeError(
        'the WEBP file is corrupt: frame 1 (12000×12000 at 0,0) does not fit its 1×1 canvas'
      )
    )
    await expect(
      decodeImage(
        gif(10, 10, [
          [10, 10],
          [65535, 65535]
        ])
      )
    ).rejects.toThrow(/frame 2 is 65535×65535 pixels, larger than the limit of 8192×8192/)
  })

  it('refuses a JPEG whose decoding would exceed the memory budget, from its frame header alone', async () => {
    const message = (bytes: Uint8Array) =>
      decodeImage(bytes).then(
        () => '',
        (e: unknown) => (e as Error).message
      )
    // 8192×8192 without subsampling: 22 counted bytes per pixel, 1.4 GB.
    expect(await message(jpegHeader(8192, 8192, [0x11, 0x11, 0x11]))).toMatch(
      /^the JPEG is 8192×8192 pixels: decoding it would take 1\d{3} MB, more than the 640 MB a JPEG may use/
    )
    // The same pixels in 4:2:0 still do not fit; 6000×4000 (24 MP, a phone photo) does, and only then
    // is the (here missing) image data looked at.
    expect(await message(jpegHeader(8192, 8192, [0x22, 0x11, 0x11]))).toMatch(
      /more than the 640 MB/
    )
    expect(await message(jpegHeader(6000, 4000, [0x22, 0x11, 0x11]))).toMatch(
      /^the JPEG data is corrupt/
    )
    expect(jpegDecoderBytes(jpegHeader(6000, 4000, [0x22, 0x11, 0x11])) / 2 ** 20).toBeLessThan(400)
  })

  it('bounds a BMP colour table and its run-length codes by the image, before bmp-ts sees them', async () => {
    const rows = (w: number, h: number) => new Array<number>(Math.ceil(w / 4) * 4 * h).fill(1)
    // bmp-ts would build a palette of 4 billion entries from this 1 KB file.
    await expect(
      decodeImage(bmp8({ width: 4, height: 4, colors: 0xffffffff, pixels: rows(4, 4) }))
    ).rejects.toThrow(
      'the BMP file is corrupt: its colour table claims 4294967295 colours, where 8-bit pixels can use at most 256'
    )
    await expect(
      decodeImage(bmp8({ width: 4, height: 4, colors: 200, palette: 2, pixels: [] }))
    ).rejects.toThrow('the BMP file is truncated: it ends inside its colour table')
    // 1 MB of RLE8 codes, each repeating one pixel 255 times on a 2×2 image: billions of writes in bmp-ts.
    const flood = Array.from({ length: 500_000 }, () => [255, 1]).flat()
    await expect(
      decodeImage(bmp8({ width: 2, height: 2, rle: true, pixels: flood }))
    ).rejects.toThrow('its compressed pixels run past the end of row 1, outside its 2×2 image')
    const rowsDown = Array.from({ length: 100 }, () => [0, 0]).flat()
    await expect(
      decodeImage(bmp8({ width: 2, height: 2, rle: true, pixels: [...rowsDown, 2, 1, 0, 1] }))
    ).rejects.toThrow('go on below the last row')
    const fine = bmp8({ width: 2, height: 2, rle: true, pixels: [2, 7, 0, 0, 2, 9, 0, 1] })
    expect(await decodeImage(fine)).toMatchObject({ format: 'bmp', width: 2, height: 2 })
  })

  it('reports missing files and folders plainly', async () => {
    await expect(readImageFile(join(BAD, 'no-such-file.png'))).rejects.toThrow('no such file')
    await expect(readImageFile(BAD)).rejects.toThrow('folder')
  })

  it('never throws anything but ImageDecodeError on truncated or byte-flipped files of every format', async () => {
    const rng = createRng(99)
    const valid = [
      encodePng(picture),
      jpegBytes(opaque),
      encodeGif([picture]),
      encodeBmp(opaque),
      await encodeWebp(opaque),
      await encodeWebp(picture, { lossless: true })
    ]
    for (const file of valid) {
      const variants: Uint8Array[] = [0.1, 0.3, 0.5, 0.8, 0.97].map((f) =>
        file.subarray(0, Math.floor(file.length * f))
      )
      for (let k = 0; k < 12; k++) {
        const flipped = file.slice()
        for (let j = 0; j < 4; j++)
          flipped[16 + Math.floor(rng() * (flipped.length - 16))] ^= 1 << Math.floor(rng() * 8)
        variants.push(flipped)
      }
      for (const variant of variants) {
        try {
          const image = await decodeImage(variant)
          expect(image.data.length).toBe(image.width * image.height * 4) // survived the damage: still well formed
        } catch (error) {
          expect(error).toBeInstanceOf(ImageDecodeError)
        }
      }
    }
  })
})
