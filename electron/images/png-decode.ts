// PNG → RGBA, 8 bits per channel, within a memory budget known from the header: the inflated rows
// (their exact size, so a zlib bomb stops at it) plus the RGBA output, nothing else.
// NOTE: ours rather than pngjs, which holds four copies of a 16-bit image (inflated, unfiltered, a
// Uint16Array, the 8-bit output: 1.9 GB for a 522 KB 8192×8192 RGBA16 file) and inflates an
// interlaced image without any bound. Every chunk's CRC is checked, as pngjs does.

import { crc32, inflateSync } from 'node:zlib'

/** A decoded PNG: straight (not premultiplied) alpha. */
export interface PngImage {
  readonly width: number
  readonly height: number
  readonly data: Uint8ClampedArray
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

/** Colour type → samples per pixel, and the bit depths the specification allows for it. */
const COLOR_TYPES: Readonly<Record<number, { channels: number; depths: readonly number[] }>> = {
  0: { channels: 1, depths: [1, 2, 4, 8, 16] }, // grey
  2: { channels: 3, depths: [8, 16] }, // RGB
  3: { channels: 1, depths: [1, 2, 4, 8] }, // palette index
  4: { channels: 2, depths: [8, 16] }, // grey + alpha
  6: { channels: 4, depths: [8, 16] } // RGBA
}

/**
 * Adam7: the seven passes of an interlaced image, each a small image of every xStep-th pixel of
 * every yStep-th row, starting at (x0, y0). A non-interlaced image is one pass of everything.
 */
export const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2]
] as const
const PROGRESSIVE = [[0, 0, 1, 1]] as const

interface Header {
  readonly width: number
  readonly height: number
  readonly depth: number
  readonly colorType: number
  readonly channels: number
  readonly interlaced: boolean
}

/** The parts of the file the pixels need. */
interface Parts {
  readonly header: Header
  readonly idat: Uint8Array[]
  readonly palette: Uint8Array | null
  readonly transparency: Uint8Array | null
}

/** A pass: its place in the image and its size in pixels. */
interface Pass {
  readonly x0: number
  readonly y0: number
  readonly xStep: number
  readonly yStep: number
  readonly width: number
  readonly height: number
}

/** Decodes PNG bytes; throws an Error naming the problem (a bad CRC, a bad filter, data cut short…). */
export function decodePng(bytes: Uint8Array): PngImage {
  const { header, idat, palette, transparency } = readChunks(bytes)
  const expected = inflatedSize(header)
  let rows: Buffer
  try {
    // NOTE: maxOutputLength is the bomb fuse: inflating stops at the exact size the header implies.
    // chunkSize: one output buffer of that size, so nothing is copied when inflation ends.
    rows = inflateSync(Buffer.concat(idat), {
      maxOutputLength: Math.max(expected, 1),
      chunkSize: Math.max(expected, 64)
    })
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new Error(
      code === 'ERR_BUFFER_TOO_LARGE'
        ? `its compressed data holds more than the ${expected} bytes its ${header.width}×${header.height} header allows`
        : `its compressed data is damaged (${code ?? String(error)})`
    )
  }
  if (rows.length < expected) throw new Error('its image data ends early')
  const out = new Uint8ClampedArray(header.width * header.height * 4)
  const toRgba = pixelWriter(header, palette, transparency, out)
  let offset = 0
  for (const pass of passes(header)) {
    const stride = rowBytes(pass.width, header)
    const bpp = Math.max(1, (header.channels * header.depth) >> 3) // bytes per pixel for the filters
    for (let y = 0; y < pass.height; y++) {
      unfilter(rows, offset, stride, bpp, y === 0)
      toRgba(rows, offset + 1, pass, y)
      offset += stride + 1
    }
  }
  return { width: header.width, height: header.height, data: out }
}

/** Walks the chunks: length (uint32 BE), type, data, CRC-32 of type and data. Stops at IEND. */
function readChunks(b: Uint8Array): Parts {
  if (b.length < 8 || SIGNATURE.some((v, i) => b[i] !== v))
    throw new Error('it has no PNG signature')
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength)
  let header: Header | null = null
  let palette: Uint8Array | null = null
  let transparency: Uint8Array | null = null
  const idat: Uint8Array[] = []
  for (let p = 8; ;) {
    if (p + 12 > b.length) throw new Error('it ends before its last chunk (IEND)')
    const length = view.getUint32(p)
    const type = String.fromCharCode(b[p + 4], b[p + 5], b[p + 6], b[p + 7])
    if (p + 12 + length > b.length) throw new Error(`its ${type} chunk is cut short`)
    const data = b.subarray(p + 8, p + 8 + length)
    if (crc32(b.subarray(p + 4, p + 8 + length)) !== view.getUint32(p + 8 + length))
      throw new Error(`the checksum of its ${type} chunk is wrong`)
    if (type === 'IHDR') header = parseHeader(data)
    else if (!header) throw new Error('its first chunk is not IHDR')
    else if (type === 'PLTE') palette = checkedPalette(data, header)
    else if (type === 'tRNS') transparency = data
    else if (type === 'IDAT') idat.push(data)
    else if (type === 'IEND') break
    p += 12 + length
  }
  if (!header) throw new Error('it has no IHDR chunk')
  if (idat.length === 0) throw new Error('it has no image data (IDAT)')
  if (header.colorType === 3 && !palette) throw new Error('it uses a palette but has none (PLTE)')
  return { header, idat, palette, transparency }
}

function parseHeader(data: Uint8Array): Header {
  if (data.length !== 13) throw new Error('its IHDR chunk has the wrong length')
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength)
  const [width, height] = [view.getUint32(0), view.getUint32(4)]
  const [depth, colorType, compression, filter, interlace] = data.subarray(8, 13)
  const kind = COLOR_TYPES[colorType]
  if (!kind || !kind.depths.includes(depth))
    throw new Error(`colour type ${colorType} with ${depth}-bit samples is not a valid PNG`)
  if (compression !== 0 || filter !== 0 || interlace > 1)
    throw new Error('it uses an unknown compression, filter or interlace method')
  return { width, height, depth, colorType, channels: kind.channels, interlaced: interlace === 1 }
}

/** A palette of at most 2^depth entries (256 at most), RGB triples. */
function checkedPalette(data: Uint8Array, header: Header): Uint8Array {
  const entries = data.length / 3
  const most = header.colorType === 3 ? 2 ** header.depth : 256
  if (!Number.isInteger(entries) || entries < 1 || entries > most)
    throw new Error(`its palette has ${data.length} bytes; ${most} RGB entries at most`)
  return data
}

/** Bytes of one row of `width` pixels, without its filter byte. */
function rowBytes(width: number, header: Pick<Header, 'depth' | 'channels'>): number {
  return Math.ceil((width * header.channels * header.depth) / 8)
}

function passes(header: Pick<Header, 'width' | 'height' | 'interlaced'>): Pass[] {
  return (header.interlaced ? ADAM7 : PROGRESSIVE)
    .map(([x0, y0, xStep, yStep]) => ({
      x0,
      y0,
      xStep,
      yStep,
      width: Math.ceil((header.width - x0) / xStep),
      height: Math.ceil((header.height - y0) / yStep)
    }))
    .filter((pass) => pass.width > 0 && pass.height > 0)
}

/** Σ over passes of height × (1 filter byte + row bytes): exactly what the zlib stream must hold. */
function inflatedSize(
  header: Pick<Header, 'width' | 'height' | 'depth' | 'channels' | 'interlaced'>
): number {
  return passes(header).reduce(
    (sum, pass) => sum + pass.height * (1 + rowBytes(pass.width, header)),
    0
  )
}

/**
 * Undoes one row's filter in place (PNG specification §9). With x the byte, a the byte one pixel to
 * the left, b the byte above, c the one above and to the left (0 outside the pass):
 *   0 None: x   1 Sub: x + a   2 Up: x + b   3 Average: x + ⌊(a + b)/2⌋   4 Paeth: x + paeth(a, b, c)
 * all modulo 256. `offset` is the row's filter byte; the row above ends just before it.
 */
function unfilter(
  rows: Buffer,
  offset: number,
  stride: number,
  bpp: number,
  firstRow: boolean
): void {
  const filter = rows[offset]
  const start = offset + 1
  const above = offset - stride // the previous row's first byte
  const b = (i: number): number => (firstRow ? 0 : rows[above + i])
  switch (filter) {
    case 0:
      return
    case 1:
      for (let i = bpp; i < stride; i++) rows[start + i] = rows[start + i] + rows[start + i - bpp]
      return
    case 2:
      if (!firstRow) for (let i = 0; i < stride; i++) rows[start + i] = rows[start + i] + b(i)
      return
    case 3:
      for (let i = 0; i < stride; i++) {
        const a = i >= bpp ? rows[start + i - bpp] : 0
        rows[start + i] = rows[start + i] + ((a + b(i)) >> 1)
      }
      return
    case 4:
      for (let i = 0; i < stride; i++) {
        const a = i >= bpp ? rows[start + i - bpp] : 0
        const c = i >= bpp ? b(i - bpp) : 0
        rows[start + i] = rows[start + i] + paeth(a, b(i), c)
      }
      return
    default:
      throw new Error(`a row has an unknown filter type (${filter})`)
  }
}

/** Paeth's predictor: whichever of a, b, c is closest to a + b − c (ties: a, then b). */
function paeth(a: number, b: number, c: number): number {
  const p = a + b - c
  const pa = Math.abs(p - a)
  const pb = Math.abs(p - b)
  const pc = Math.abs(p - c)
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c
}

/**
 * Writes one unfiltered row of a pass into the RGBA output. Samples below 8 bits are packed from the
 * high bit down; 16-bit samples are big-endian. Values scale to 0…255 by round(v · 255 / (2^depth − 1)).
 * Transparency (tRNS): an alpha per palette entry, or the one grey or RGB value (compared at full
 * depth) that is fully transparent.
 */
function pixelWriter(
  header: Header,
  palette: Uint8Array | null,
  transparency: Uint8Array | null,
  out: Uint8ClampedArray
): (rows: Buffer, start: number, pass: Pass, y: number) => void {
  const { depth, colorType, channels, width } = header
  const max = 2 ** depth - 1
  const scale = (v: number): number => Math.floor((v * 255) / max + 0.5)
  /** Sample `s` (0-based, across the row) at the row's start `p`. */
  const sample =
    depth === 8
      ? (rows: Buffer, p: number, s: number) => rows[p + s]
      : depth === 16
        ? (rows: Buffer, p: number, s: number) => (rows[p + 2 * s] << 8) | rows[p + 2 * s + 1]
        : (rows: Buffer, p: number, s: number) => {
            const bit = s * depth
            return (rows[p + (bit >> 3)] >> (8 - depth - (bit & 7))) & max
          }
  const key =
    transparency && (colorType === 0 || colorType === 2)
      ? Array.from(
          { length: transparency.length >> 1 },
          (_, i) => (transparency[2 * i] << 8) | transparency[2 * i + 1]
        )
      : null
  return (rows, p, pass, y) => {
    let o = 4 * ((pass.y0 + y * pass.yStep) * width + pass.x0)
    const step = 4 * pass.xStep
    for (let x = 0; x < pass.width; x++, o += step) {
      const s = x * channels
      if (colorType === 3) {
        const index = sample(rows, p, s)
        if (3 * index + 2 >= palette!.length)
          throw new Error(`a pixel uses colour ${index}, beyond its palette`)
        out[o] = palette![3 * index]
        out[o + 1] = palette![3 * index + 1]
        out[o + 2] = palette![3 * index + 2]
        out[o + 3] = transparency && index < transparency.length ? transparency[index] : 255
      } else if (channels <= 2) {
        const grey = sample(rows, p, s)
        out[o] = out[o + 1] = out[o + 2] = scale(grey)
        out[o + 3] =
          channels === 2 ? scale(sample(rows, p, s + 1)) : key && grey === key[0] ? 0 : 255
      } else {
        const [r, g, b] = [sample(rows, p, s), sample(rows, p, s + 1), sample(rows, p, s + 2)]
        out[o] = scale(r)
        out[o + 1] = scale(g)
        out[o + 2] = scale(b)
        out[o + 3] =
          channels === 4
            ? scale(sample(rows, p, s + 3))
            : key && r === key[0] && g === key[1] && b === key[2]
              ? 0
              : 255
      }
    }
  }
}
