// BMP checks beyond the header's size, before bmp-ts decodes: its colour table and its run-length
// compressed rows must stay within what the image can hold, or a small file makes it loop or allocate
// without end (bmp-ts builds a palette of as many entries as the header claims, up to 4 billion, and
// follows RLE codes whatever rows they lead to).

/** BITMAPINFOHEADER's compression values that matter here. */
const BI_RLE8 = 1
const BI_RLE4 = 2
const BI_BITFIELDS = 3
const BI_ALPHA_BITFIELDS = 6
/** A colour table has at most 256 entries: one per value of an 8-bit index. */
const MAX_PALETTE_ENTRIES = 256

/**
 * Why this BMP is refused, or null. Layout (little-endian): file header (14 bytes, pixel data offset
 * at 10), then the info header: its size (14), width (18, int32), height (22, int32, negative for
 * top-down rows), bits per pixel (28), compression (30), colours used (46); masks, then the colour
 * table of 4-byte entries. The old 12-byte OS/2 header has no colour count and is left to bmp-ts.
 */
export function bmpProblem(b: Uint8Array): string | null {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength)
  if (b.length < 50) return null // cut inside its header: the decoder says so
  const headerSize = view.getUint32(14, true)
  if (headerSize < 40) return null
  const width = view.getInt32(18, true)
  const height = Math.abs(view.getInt32(22, true))
  const bitsPerPixel = view.getUint16(28, true)
  const compression = view.getUint32(30, true)
  const colors = view.getUint32(46, true)

  if (bitsPerPixel <= 8 || colors > 0) {
    const entries = colors === 0 ? 2 ** bitsPerPixel : colors
    const most = bitsPerPixel <= 8 ? 2 ** bitsPerPixel : MAX_PALETTE_ENTRIES
    if (entries > most)
      return `the BMP file is corrupt: its colour table claims ${entries} colours, where ${bitsPerPixel}-bit pixels can use at most ${most}`
    const masks =
      headerSize === 40 && compression === BI_BITFIELDS
        ? 12
        : headerSize === 40 && compression === BI_ALPHA_BITFIELDS
          ? 16
          : 0
    if (14 + headerSize + masks + 4 * entries > b.length)
      return 'the BMP file is truncated: it ends inside its colour table'
  }
  if (
    (compression === BI_RLE8 && bitsPerPixel === 8) ||
    (compression === BI_RLE4 && bitsPerPixel === 4)
  )
    return rleProblem(b, view.getUint32(10, true), width, height, bitsPerPixel)
  return null
}

/**
 * Follows the run-length codes without writing a pixel: every run must stay inside its row and every
 * row inside the image, so decoding does at most width × height pixel writes.
 * Codes are byte pairs (n, v): n > 0 repeats v n times; (0, 0) ends a row, (0, 1) ends the image,
 * (0, 2, dx, dy) moves right dx and down dy rows; (0, n ≥ 3) is followed by n literal pixels
 * (n bytes in RLE8, ⌈n/2⌉ in RLE4), padded to an even byte count.
 */
function rleProblem(
  b: Uint8Array,
  offset: number,
  width: number,
  height: number,
  bitsPerPixel: number
): string | null {
  const outside = (what: string) =>
    `the BMP file is corrupt: its compressed pixels ${what}, outside its ${width}×${height} image`
  let x = 0
  let y = 0
  for (let p = offset; p + 1 < b.length;) {
    const [count, value] = [b[p], b[p + 1]]
    p += 2
    if (count > 0) x += count
    else if (value === 0) [x, y] = [0, y + 1]
    else if (value === 1) return null
    else if (value === 2) {
      if (p + 1 >= b.length) return null
      x += b[p]
      y += b[p + 1]
      p += 2
    } else {
      x += value
      const bytes = bitsPerPixel === 8 ? value : Math.ceil(value / 2)
      p += bytes + (bytes & 1)
    }
    if (x > width) return outside(`run past the end of row ${y + 1}`)
    if (y > height || (y === height && x > 0)) return outside('go on below the last row')
  }
  return null // ends without its end code: bmp-ts reports the file as damaged
}
