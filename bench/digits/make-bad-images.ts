// Writes test/fixtures/bad-images/: files that must each get their own clear error (or, for the
// animated and misnamed ones, a correct prediction), plus expected.json saying which.
// Deterministic (MNIST test digits and fixed bytes). Usage: npx tsx bench/digits/make-bad-images.ts

import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { deflateSync } from 'node:zlib'
import jpeg from 'jpeg-js'
import { crc32 } from '../../core'
import { loadMnist } from '../../electron/files/datasets'
import {
  animatedWebp,
  encodeGif,
  encodePng,
  encodeWebp,
  type RgbaPixels
} from '../../test/helpers/encode-image'

const OUT = 'test/fixtures/bad-images'

/** What the CLI must say about each file: an error containing `error`, or the digit `label`. */
type Expectation = { error: string } | { label: number }

/** MNIST test digit `index`, 4× enlarged, dark ink on white paper, with a 16-pixel margin. */
function mnistDigit(pixels: Uint8Array, index: number): RgbaPixels {
  const scale = 4
  const margin = 16
  const size = 28 * scale + 2 * margin
  const data = new Uint8Array(size * size * 4)
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const sx = Math.floor((x - margin) / scale)
      const sy = Math.floor((y - margin) / scale)
      const ink = sx >= 0 && sy >= 0 && sx < 28 && sy < 28 ? pixels[index * 784 + sy * 28 + sx] : 0
      data.set([255 - ink, 255 - ink, 255 - ink, 255], 4 * (y * size + x))
    }
  }
  return { width: size, height: size, data }
}

/** A PNG chunk: length, type, data, CRC-32 over type + data. */
function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length)
  const view = new DataView(out.buffer)
  view.setUint32(0, data.length)
  out.set(
    [...type].map((c) => c.charCodeAt(0)),
    4
  )
  out.set(data, 8)
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)))
  return out
}

/** A well-formed PNG header claiming width×height, with a tiny (far too short) image stream. */
function pngClaiming(width: number, height: number): Uint8Array {
  const ihdr = new Uint8Array(13)
  const view = new DataView(ihdr.buffer)
  view.setUint32(0, width)
  view.setUint32(4, height)
  ihdr.set([8, 6, 0, 0, 0], 8) // 8-bit RGBA, deflate, no filter, no interlace
  const parts = [
    Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(new Uint8Array(64))),
    pngChunk('IEND', new Uint8Array(0))
  ]
  return Uint8Array.from(parts.flatMap((p) => [...p]))
}

/** A baseline JPEG frame header (SOF0) claiming width×height, then end of image. */
function jpegClaiming(width: number, height: number): Uint8Array {
  return Uint8Array.from([
    0xff,
    0xd8,
    0xff,
    0xc0,
    0,
    11,
    8,
    height >> 8,
    height & 255,
    width >> 8,
    width & 255,
    1,
    1,
    0x11,
    0,
    0xff,
    0xd9
  ])
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true })
  const { test } = await loadMnist()
  const seven = mnistDigit(test.pixels, 0) // MNIST test image 0 is a 7
  const two = mnistDigit(test.pixels, 1) // and image 1 is a 2
  if (test.labels[0] !== 7 || test.labels[1] !== 2) throw new Error('unexpected MNIST test labels')
  const sevenPng = encodePng(seven)
  const files: Record<string, [Uint8Array | string, Expectation]> = {
    'not-an-image.png': [
      'This is a note about digits, not a picture of one.\n',
      { error: 'text file' }
    ],
    'empty.png': [new Uint8Array(0), { error: 'empty' }],
    'truncated.png': [sevenPng.subarray(0, Math.floor(sevenPng.length / 2)), { error: 'PNG' }],
    'corrupt.jpg': [corruptJpeg(seven), { error: 'JPEG' }],
    'huge-dimensions.png': [pngClaiming(100_000, 100_000), { error: '100000×100000' }],
    'huge-dimensions.jpg': [jpegClaiming(60_000, 50_000), { error: '60000×50000' }],
    'drawing.svg': [
      '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><script>alert(1)</script>' +
        '<path d="M20 10 H80 L40 90" stroke="black" stroke-width="8" fill="none"/></svg>\n',
      { error: 'SVG' }
    ],
    'animated.gif': [encodeGif([seven, two]), { label: 7 }],
    'animated.webp': [
      animatedWebp(
        [await encodeWebp(seven, { lossless: true }), await encodeWebp(two, { lossless: true })],
        seven.width,
        seven.height
      ),
      { label: 7 }
    ],
    'blank.png': [
      encodePng({ width: 200, height: 150, data: new Uint8Array(200 * 150 * 4).fill(255) }),
      { error: 'no digit found' }
    ],
    'png-named.jpg': [encodePng(two), { label: 2 }],
    'truncated.gif': [encodeGif([two]).subarray(0, 300), { error: 'GIF' }],
    'corrupt.webp': [
      Uint8Array.from([
        ...Buffer.from('RIFF'),
        200,
        0,
        0,
        0,
        ...Buffer.from('WEBPVP8 '),
        180,
        0,
        0,
        0,
        0,
        0,
        0,
        0x9d,
        0x01,
        0x2a,
        64,
        0,
        64,
        0,
        ...new Uint8Array(40).fill(7)
      ]),
      { error: 'WEBP' }
    ]
  }
  for (const [name, [content]] of Object.entries(files)) writeFileSync(join(OUT, name), content)
  const expected = Object.fromEntries(
    Object.entries(files).map(([name, [, expectation]]) => [name, expectation])
  )
  writeFileSync(
    join(OUT, 'expected.json'),
    JSON.stringify({ generator: 'bench/digits/make-bad-images.ts', files: expected }, null, 1) +
      '\n'
  )
  console.log(`wrote ${Object.keys(files).length} files and expected.json to ${OUT}`)
}

/** A real JPEG (jpeg-js's encoder) whose entropy-coded data after the start-of-scan header is overwritten. */
function corruptJpeg(image: RgbaPixels): Uint8Array {
  const bytes = new Uint8Array(
    jpeg.encode({ data: Buffer.from(image.data), width: image.width, height: image.height }, 90)
      .data
  )
  let sos = 0
  for (let i = 2; i + 1 < bytes.length; i++) {
    if (bytes[i] === 0xff && bytes[i + 1] === 0xda) {
      sos = i
      break
    }
  }
  for (let i = sos + 20; i < bytes.length - 2; i += 3) bytes[i] = 0xff
  return bytes
}

void main()
