// Tiny hand-made image files for the renderer's tests: real headers, little or no pixel data (happy-dom
// cannot decode images, so tests pair these bytes with a fake decoder).

export const text = (s: string): Uint8Array<ArrayBuffer> =>
  new TextEncoder().encode(s) as Uint8Array<ArrayBuffer>

function bytes(length: number): {
  out: Uint8Array<ArrayBuffer>
  view: DataView
  ascii(at: number, s: string): void
} {
  const out = new Uint8Array(length)
  const view = new DataView(out.buffer)
  return { out, view, ascii: (at, s) => out.set(text(s), at) }
}

/** PNG signature, IHDR (RGBA, 8 bits), an empty IDAT and IEND: 57 bytes. CRCs are not checked here. */
export function pngBytes(width: number, height: number): Uint8Array<ArrayBuffer> {
  const { out, view, ascii } = bytes(57)
  out.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  view.setUint32(8, 13)
  ascii(12, 'IHDR')
  view.setUint32(16, width)
  view.setUint32(20, height)
  out.set([8, 6, 0, 0, 0], 24)
  view.setUint32(33, 0)
  ascii(37, 'IDAT')
  view.setUint32(45, 0)
  ascii(49, 'IEND')
  return out
}

/** GIF89a header, logical screen size, and the trailer byte. */
export function gifBytes(width: number, height: number): Uint8Array<ArrayBuffer> {
  const { out, view, ascii } = bytes(14)
  ascii(0, 'GIF89a')
  view.setUint16(6, width, true)
  view.setUint16(8, height, true)
  out[13] = 0x3b
  return out
}

/** A JPEG whose frame header (SOF0) comes after `metadataBytes` of APP1 segments, then SOS and EOI. */
export function jpegHeaderBytes(
  width: number,
  height: number,
  metadataBytes: number
): Uint8Array<ArrayBuffer> {
  const segments: number[] = [0xff, 0xd8]
  let left = metadataBytes
  while (left > 0) {
    const length = Math.min(65_000, Math.max(2, left)) // includes its own 2 length bytes
    segments.push(0xff, 0xe1, length >> 8, length & 0xff, ...new Array<number>(length - 2).fill(0))
    left -= length + 2
  }
  segments.push(
    0xff,
    0xc0,
    0,
    17,
    8,
    height >> 8,
    height & 0xff,
    width >> 8,
    width & 0xff,
    3,
    1,
    0x22,
    0,
    2,
    0x11,
    1,
    3,
    0x11,
    1
  )
  segments.push(0xff, 0xda, 0, 2, 0xff, 0xd9)
  return Uint8Array.from(segments)
}

/** The first 30 bytes of a lossless WebP whose RIFF header promises `riffSize` + 8 bytes. */
export function webpHeaderBytes(riffSize: number): Uint8Array<ArrayBuffer> {
  const { out, view, ascii } = bytes(30)
  ascii(0, 'RIFF')
  view.setUint32(4, riffSize, true)
  ascii(8, 'WEBP')
  ascii(12, 'VP8L')
  view.setUint32(16, riffSize - 12, true)
  out[20] = 0x2f
  view.setUint32(21, 9 | (9 << 14), true) // 10×10
  return out
}

/** An uncompressed 24-bit BMP (BITMAPINFOHEADER), black. */
export function bmpBytes(width: number, height: number): Uint8Array<ArrayBuffer> {
  const rowBytes = Math.ceil((width * 3) / 4) * 4
  const { out, view, ascii } = bytes(54 + rowBytes * height)
  ascii(0, 'BM')
  view.setUint32(2, out.length, true)
  view.setUint32(10, 54, true)
  view.setUint32(14, 40, true)
  view.setInt32(18, width, true)
  view.setInt32(22, height, true)
  view.setUint16(26, 1, true)
  view.setUint16(28, 24, true)
  return out
}
