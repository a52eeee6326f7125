// Small image encoders for tests and fixture scripts: PNG (pngjs), GIF (omggif, fixed palette), BMP (by hand).

import { GifWriter } from 'omggif'
import { PNG } from 'pngjs'

/** An RGBA image as produced by a decoder or a canvas. */
export interface RgbaPixels {
  readonly width: number
  readonly height: number
  readonly data: Uint8Array | Uint8ClampedArray
}

/** PNG, 8-bit RGBA, with the RGB of transparent pixels kept exactly as given. */
export function encodePng(image: RgbaPixels): Uint8Array {
  const png = new PNG({ width: image.width, height: image.height })
  png.data.set(image.data)
  return new Uint8Array(PNG.sync.write(png))
}

/** Palette index reserved for transparency in encodeGif. */
const GIF_TRANSPARENT = 255

/**
 * A fixed 256-entry palette: the 6×6×6 web-safe cube (216), 39 greys, and one transparent slot.
 * NOTE: GIF holds at most 256 colours; a fixed palette quantises coarsely (±26 per channel), which is
 * realistic for GIFs found in the wild and keeps this encoder tiny.
 */
function gifPalette(): number[] {
  const palette: number[] = []
  for (let r = 0; r < 6; r++)
    for (let g = 0; g < 6; g++)
      for (let b = 0; b < 6; b++) palette.push(((r * 51) << 16) | ((g * 51) << 8) | (b * 51))
  for (let i = 0; i < 39; i++) {
    const v = Math.round(((i + 1) * 255) / 40)
    palette.push((v << 16) | (v << 8) | v)
  }
  palette.push(0)
  return palette
}

function quantise(data: Uint8Array | Uint8ClampedArray, palette: number[]): number[] {
  const indices = new Array<number>(data.length / 4)
  for (let i = 0; i < indices.length; i++) {
    const [r, g, b, a] = [data[4 * i], data[4 * i + 1], data[4 * i + 2], data[4 * i + 3]]
    if (a < 128) {
      indices[i] = GIF_TRANSPARENT
      continue
    }
    const cube = Math.round(r / 51) * 36 + Math.round(g / 51) * 6 + Math.round(b / 51)
    const grey = Math.min(38, Math.max(0, Math.round(((r + g + b) / 3) * (40 / 255)) - 1))
    const distance = (p: number): number => {
      const c = palette[p]
      return ((c >> 16) - r) ** 2 + (((c >> 8) & 255) - g) ** 2 + ((c & 255) - b) ** 2
    }
    indices[i] = distance(216 + grey) < distance(cube) ? 216 + grey : cube
  }
  return indices
}

/** GIF89a with one frame per image (all the same size); frames after the first make it animated. */
export function encodeGif(frames: readonly RgbaPixels[], delayCentiseconds = 50): Uint8Array {
  const { width, height } = frames[0]
  const palette = gifPalette()
  const buffer = new Uint8Array(1024 + frames.length * width * height * 2)
  const writer = new GifWriter(
    buffer,
    width,
    height,
    frames.length > 1 ? { palette, loop: 0 } : { palette }
  )
  for (const frame of frames) {
    writer.addFrame(0, 0, width, height, quantise(frame.data, palette), {
      transparent: GIF_TRANSPARENT,
      delay: delayCentiseconds,
      disposal: 2
    })
  }
  return buffer.slice(0, writer.end())
}

/**
 * BMP: 24-bit BI_RGB with a BITMAPINFOHEADER (the common kind), or 32-bit BI_BITFIELDS with a
 * BITMAPV4HEADER carrying alpha. Rows bottom-up unless topDown (stored as a negative height).
 */
export function encodeBmp(
  image: RgbaPixels,
  { bits = 24, topDown = false }: { bits?: 24 | 32; topDown?: boolean } = {}
): Uint8Array {
  const { width, height, data } = image
  const headerSize = bits === 32 ? 108 : 40
  const rowBytes = bits === 32 ? width * 4 : Math.ceil((width * 3) / 4) * 4
  const offset = 14 + headerSize
  const out = new Uint8Array(offset + rowBytes * height)
  const view = new DataView(out.buffer)
  out[0] = 0x42
  out[1] = 0x4d
  view.setUint32(2, out.length, true)
  view.setUint32(10, offset, true)
  view.setUint32(14, headerSize, true)
  view.setInt32(18, width, true)
  view.setInt32(22, topDown ? -height : height, true)
  view.setUint16(26, 1, true)
  view.setUint16(28, bits, true)
  view.setUint32(30, bits === 32 ? 3 : 0, true)
  view.setUint32(34, rowBytes * height, true)
  view.setUint32(38, 2835, true)
  view.setUint32(42, 2835, true)
  if (bits === 32) {
    view.setUint32(54, 0x00ff0000, true)
    view.setUint32(58, 0x0000ff00, true)
    view.setUint32(62, 0x000000ff, true)
    view.setUint32(66, 0xff000000, true)
    view.setUint32(70, 0x73524742, true) // 'sRGB'
  }
  for (let y = 0; y < height; y++) {
    const fileRow = topDown ? y : height - 1 - y
    let p = offset + fileRow * rowBytes
    for (let x = 0; x < width; x++) {
      const s = 4 * (y * width + x)
      out[p++] = data[s + 2]
      out[p++] = data[s + 1]
      out[p++] = data[s]
      if (bits === 32) out[p++] = data[s + 3]
    }
  }
  return out
}

type WebpEncode = (
  image: { data: Uint8ClampedArray; width: number; height: number; colorSpace: 'srgb' },
  options?: { lossless?: number; quality?: number }
) => Promise<ArrayBuffer>
let webpEncoder: Promise<WebpEncode> | null = null

/** WebP via libwebp compiled to WebAssembly (@jsquash/webp's encoder; its .wasm loaded from disk). */
export async function encodeWebp(
  image: RgbaPixels,
  { lossless = false, quality = 90 } = {}
): Promise<Uint8Array> {
  webpEncoder ??= (async () => {
    const { createRequire } = await import('node:module')
    const { readFile } = await import('node:fs/promises')
    const { pathToFileURL } = await import('node:url')
    const require = createRequire(import.meta.url)
    const module = (await import(
      pathToFileURL(require.resolve('@jsquash/webp/encode.js')).href
    )) as {
      default: WebpEncode
      init: (module: unknown) => Promise<void>
    }
    const { Module } = (
      globalThis as unknown as { WebAssembly: { Module: new (bytes: Uint8Array) => object } }
    ).WebAssembly
    await module.init(
      new Module(await readFile(require.resolve('@jsquash/webp/codec/enc/webp_enc.wasm')))
    )
    return module.default
  })()
  const encode = await webpEncoder
  const data = new Uint8ClampedArray(image.data)
  return new Uint8Array(
    await encode(
      { data, width: image.width, height: image.height, colorSpace: 'srgb' },
      { lossless: lossless ? 1 : 0, quality }
    )
  )
}

/**
 * An animated WebP from still WebP files of the same size: VP8X (animation flag) + ANIM + one ANMF
 * chunk per frame (offset 0,0, full size, 500 ms). Each still's image chunks (ALPH, VP8, VP8L) are reused.
 */
export function animatedWebp(
  stills: readonly Uint8Array[],
  width: number,
  height: number
): Uint8Array {
  const text = (b: Uint8Array, at: number): string => String.fromCharCode(...b.subarray(at, at + 4))
  const le = (value: number, bytes: number): number[] =>
    Array.from({ length: bytes }, (_, i) => (value >>> (8 * i)) & 255)
  const chunk = (name: string, payload: number[] | Uint8Array): Uint8Array => {
    const out = new Uint8Array(8 + payload.length + (payload.length & 1))
    out.set([...name].map((c) => c.charCodeAt(0)))
    out.set(le(payload.length, 4), 4)
    out.set(payload, 8)
    return out
  }
  const frames = stills.map((still) => {
    const parts: Uint8Array[] = []
    for (let p = 12; p + 8 <= still.length;) {
      const size = new DataView(still.buffer, still.byteOffset).getUint32(p + 4, true)
      const name = text(still, p)
      if (name === 'ALPH' || name === 'VP8 ' || name === 'VP8L')
        parts.push(still.subarray(p, p + 8 + size + (size & 1)))
      p += 8 + size + (size & 1)
    }
    const header = [
      ...le(0, 3),
      ...le(0, 3),
      ...le(width - 1, 3),
      ...le(height - 1, 3),
      ...le(500, 3),
      0
    ]
    return chunk('ANMF', concat([Uint8Array.from(header), ...parts]))
  })
  const vp8x = chunk('VP8X', [0x02 | 0x10, 0, 0, 0, ...le(width - 1, 3), ...le(height - 1, 3)])
  const anim = chunk('ANIM', [255, 255, 255, 255, 0, 0])
  const body = concat([Uint8Array.from([0x57, 0x45, 0x42, 0x50]), vp8x, anim, ...frames])
  return concat([Uint8Array.from([0x52, 0x49, 0x46, 0x46, ...le(body.length, 4)]), body])
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0))
  let offset = 0
  for (const p of parts) {
    out.set(p, offset)
    offset += p.length
  }
  return out
}
