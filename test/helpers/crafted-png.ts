// PNG files of any colour type, bit depth, filter and interlacing, made in tests (Node only: zlib).

import { crc32, deflateSync } from 'node:zlib'
import { ADAM7 } from '../../electron/images/png-decode'
import { ascii, be32 } from './crafted-images'

/** What pngFile writes. Rows are given raw (unfiltered); filters are applied here, as an encoder does. */
export interface PngSpec {
  readonly width: number
  readonly height: number
  readonly depth: number
  readonly colorType: number
  readonly interlaced?: boolean
  readonly palette?: Uint8Array
  readonly transparency?: Uint8Array
  /** The raw bytes of the next row (of the next pass when interlaced), given its length. */
  readonly rows?: (rowBytes: number) => Uint8Array
  /** The filter type of the next row, 0…4 (default 0); anything else is written as is. */
  readonly filters?: () => number
  /** Compressed image data to store instead of the rows (a zlib bomb, say). */
  readonly idat?: Uint8Array
}

const PNG_CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }

/** A complete PNG file (chunks with their CRCs), any colour type, depth, filters and interlacing. */
export function pngFile(spec: PngSpec): Uint8Array {
  const { width, height, depth, colorType, interlaced = false } = spec
  const channels = PNG_CHANNELS[colorType]
  const bpp = Math.max(1, (channels * depth) >> 3)
  const rowBytes = (w: number): number => Math.ceil((w * channels * depth) / 8)
  const chunk = (name: string, payload: Uint8Array | number[]): number[] => {
    const typed = Uint8Array.from([...ascii(name), ...payload])
    return [...be32(payload.length), ...typed, ...be32(crc32(typed))]
  }
  const idat = spec.idat ?? deflateSync(filteredRows(spec, rowBytes, bpp))
  return Uint8Array.from([
    0x89,
    ...ascii('PNG\r\n\x1a\n'),
    ...chunk('IHDR', [...be32(width), ...be32(height), depth, colorType, 0, 0, interlaced ? 1 : 0]),
    ...(spec.palette ? chunk('PLTE', spec.palette) : []),
    ...(spec.transparency ? chunk('tRNS', spec.transparency) : []),
    ...chunk('IDAT', idat),
    ...chunk('IEND', [])
  ])
}

/** The raw rows of every pass, each behind its filter byte and filtered as an encoder would. */
function filteredRows(spec: PngSpec, rowBytes: (w: number) => number, bpp: number): Uint8Array {
  const { width, height, interlaced = false } = spec
  const filtered: number[] = []
  for (const [x0, y0, dx, dy] of interlaced ? ADAM7 : [[0, 0, 1, 1]]) {
    const pw = Math.ceil((width - x0) / dx)
    const ph = Math.ceil((height - y0) / dy)
    if (pw <= 0 || ph <= 0) continue
    let previous: Uint8Array = new Uint8Array(rowBytes(pw))
    for (let y = 0; y < ph; y++) {
      const raw = spec.rows ? spec.rows(rowBytes(pw)) : new Uint8Array(rowBytes(pw))
      const filter = spec.filters?.() ?? 0
      filtered.push(
        filter,
        ...raw.map((x, i) => (x - predictor(filter, raw, previous, i, bpp)) & 255)
      )
      previous = raw
    }
  }
  return Uint8Array.from(filtered)
}

/** What PNG filter `filter` predicts for byte i of a row (a: left, b: above, c: above left). */
function predictor(
  filter: number,
  raw: Uint8Array,
  above: Uint8Array,
  i: number,
  bpp: number
): number {
  const a = i >= bpp ? raw[i - bpp] : 0
  const b = above[i]
  const c = i >= bpp ? above[i - bpp] : 0
  if (filter === 1) return a
  if (filter === 2) return b
  if (filter === 3) return (a + b) >> 1
  if (filter === 4) {
    const p = a + b - c
    const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)]
    return pa <= pb && pa <= pc ? a : pb <= pc ? b : c
  }
  return 0
}
