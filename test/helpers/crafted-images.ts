// Hostile image files made byte by byte in tests: headers that declare what a decoder will allocate.
// A few dozen bytes each, so no large fixture is ever committed.

const le16 = (v: number): number[] => [v & 255, (v >> 8) & 255]
const le24 = (v: number): number[] => [v & 255, (v >> 8) & 255, (v >> 16) & 255]
const le32 = (v: number): number[] => [...le16(v & 0xffff), ...le16(v >>> 16)]
export const be32 = (v: number): number[] => le32(v).reverse()
export const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0))

/** GIF89a, no colour tables, one image descriptor per frame (each with an empty LZW stream). */
export function gif(width: number, height: number, frames: [number, number][]): Uint8Array {
  const bytes = [...ascii('GIF89a'), ...le16(width), ...le16(height), 0, 0, 0]
  bytes.push(0x21, 0xf9, 4, 0, 0, 0, 0, 0) // a graphic control extension, skipped
  for (const [w, h] of frames)
    bytes.push(0x2c, ...le16(0), ...le16(0), ...le16(w), ...le16(h), 0, 2, 0)
  return Uint8Array.from([...bytes, 0x3b])
}

const riffChunk = (name: string, payload: number[]): number[] => [
  ...ascii(name),
  ...le32(payload.length),
  ...payload,
  ...(payload.length & 1 ? [0] : [])
]

/** A VP8L bitstream header for width × height (signature 0x2F, then 14 + 14 bits of size − 1). */
export const vp8l = (width: number, height: number): number[] =>
  riffChunk('VP8L', [0x2f, ...le32((width - 1) | ((height - 1) << 14)), 0])

/** An extended WebP: a VP8X canvas, then either frames (ANMF, animated) or one bitstream (still). */
export function webp(
  canvas: [number, number],
  content:
    | { frames: { at: [number, number]; size: [number, number]; data: number[] }[] }
    | { still: number[] }
): Uint8Array {
  const animated = 'frames' in content
  const vp8x = riffChunk('VP8X', [
    animated ? 0x02 : 0,
    0,
    0,
    0,
    ...le24(canvas[0] - 1),
    ...le24(canvas[1] - 1)
  ])
  const body = animated
    ? content.frames.flatMap(({ at, size, data }) =>
        riffChunk('ANMF', [
          ...le24(at[0] / 2),
          ...le24(at[1] / 2),
          ...le24(size[0] - 1),
          ...le24(size[1] - 1),
          100,
          0,
          0,
          0,
          ...data
        ])
      )
    : content.still
  const chunks = [
    ...ascii('WEBP'),
    ...vp8x,
    ...(animated ? riffChunk('ANIM', [0, 0, 0, 0, 0, 0]) : []),
    ...body
  ]
  return Uint8Array.from([...ascii('RIFF'), ...le32(chunks.length), ...chunks])
}

/** A PNG's chunks: IHDR (8-bit RGBA), acTL, one fcTL per frame box, IEND (CRCs left 0: not read here). */
export function apng(
  width: number,
  height: number,
  frames: [number, number, number, number][]
): Uint8Array {
  const chunk = (name: string, payload: number[]): number[] => [
    ...be32(payload.length),
    ...ascii(name),
    ...payload,
    0,
    0,
    0,
    0
  ]
  return Uint8Array.from([
    0x89,
    ...ascii('PNG\r\n\x1a\n'),
    ...chunk('IHDR', [...be32(width), ...be32(height), 8, 6, 0, 0, 0]),
    ...chunk('acTL', [...be32(frames.length), ...be32(0)]),
    ...frames.flatMap(([w, h, x, y], i) =>
      chunk('fcTL', [...be32(i), ...be32(w), ...be32(h), ...be32(x), ...be32(y), 0, 1, 0, 10, 0, 0])
    ),
    ...chunk('IEND', [])
  ])
}

/**
 * The start of a baseline JPEG up to its frame header (SOF0) and an empty scan: enough for header
 * checks and budgets. `sampling` is each component's H << 4 | V (0x22, 0x11, 0x11 is 4:2:0).
 */
export function jpegHeader(width: number, height: number, sampling: number[]): Uint8Array {
  const components = sampling.flatMap((factors, i) => [i + 1, factors, 0])
  const sof = [
    0xff,
    0xc0,
    0,
    8 + components.length,
    8,
    height >> 8,
    height & 255,
    width >> 8,
    width & 255
  ]
  return Uint8Array.from([0xff, 0xd8, ...sof, sampling.length, ...components, 0xff, 0xd9])
}

/**
 * An 8-bit palette BMP with a 40-byte header: `colors` is what the header claims (0: 256), `palette`
 * how many entries are really stored, `pixels` the pixel data as stored (rows, or RLE8 codes).
 */
export function bmp8(spec: {
  width: number
  height: number
  colors?: number
  palette?: number
  rle?: boolean
  pixels: number[]
}): Uint8Array {
  const { width, height, colors = 0, palette = 256, rle = false, pixels } = spec
  const offset = 14 + 40 + 4 * palette
  const table = Array.from({ length: palette }, (_, i) => [i, i, i, 0]).flat()
  return Uint8Array.from([
    ...ascii('BM'),
    ...le32(offset + pixels.length),
    0,
    0,
    0,
    0,
    ...le32(offset),
    ...le32(40),
    ...le32(width),
    ...le32(height),
    ...le16(1),
    ...le16(8),
    ...le32(rle ? 1 : 0),
    ...le32(pixels.length),
    ...le32(2835),
    ...le32(2835),
    ...le32(colors),
    ...le32(0),
    ...table,
    ...pixels
  ])
}
