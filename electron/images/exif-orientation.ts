// EXIF orientation for JPEG photos: phones store pixels sideways and a tag saying how to turn them.

import type { RgbaImage } from '../../core'

/**
 * The EXIF Orientation tag (0x0112) of a JPEG, 1…8, or 1 when absent or unreadable.
 * Layout: APP1 segment (FF E1) → "Exif\0\0" → TIFF header ("II" little- or "MM" big-endian, 42,
 * offset of IFD0) → IFD0 entries of 12 bytes: tag u16, type u16, count u32, value (a SHORT here).
 */
export function readExifOrientation(jpeg: Uint8Array): number {
  const view = new DataView(jpeg.buffer, jpeg.byteOffset, jpeg.byteLength)
  let p = 2
  while (p + 4 <= jpeg.length && jpeg[p] === 0xff) {
    const marker = jpeg[p + 1]
    if (marker === 0xda || marker === 0xd9) break
    const length = view.getUint16(p + 2)
    if (
      marker === 0xe1 &&
      p + 10 <= jpeg.length &&
      String.fromCharCode(...jpeg.subarray(p + 4, p + 8)) === 'Exif'
    ) {
      const tiff = p + 10
      const end = Math.min(jpeg.length, p + 2 + length)
      if (tiff + 8 > end) return 1
      const little = jpeg[tiff] === 0x49
      const ifd = tiff + view.getUint32(tiff + 4, little)
      if (ifd + 2 > end) return 1
      const count = view.getUint16(ifd, little)
      for (let i = 0; i < count; i++) {
        const entry = ifd + 2 + 12 * i
        if (entry + 12 > end) return 1
        if (view.getUint16(entry, little) === 0x0112) {
          const value = view.getUint16(entry + 8, little)
          return value >= 1 && value <= 8 ? value : 1
        }
      }
      return 1
    }
    p += 2 + length
  }
  return 1
}

/**
 * Turns the pixels upright, as browsers do (CSS image-orientation: from-image).
 * Orientation: 1 as is, 2 mirror left-right, 3 rotate 180°, 4 mirror top-bottom, 5 transpose,
 * 6 rotate 90° clockwise, 7 transverse, 8 rotate 90° counter-clockwise. 5–8 swap width and height.
 */
export function applyExifOrientation<T extends RgbaImage & { data: Uint8ClampedArray }>(
  image: T,
  orientation: number
): T {
  if (orientation <= 1 || orientation > 8) return image
  const { width: w, height: h, data } = image
  const swap = orientation >= 5
  const outWidth = swap ? h : w
  const outHeight = swap ? w : h
  const out = new Uint8ClampedArray(data.length)
  for (let y = 0; y < outHeight; y++) {
    for (let x = 0; x < outWidth; x++) {
      let sx: number
      let sy: number
      switch (orientation) {
        case 2:
          ;[sx, sy] = [w - 1 - x, y]
          break
        case 3:
          ;[sx, sy] = [w - 1 - x, h - 1 - y]
          break
        case 4:
          ;[sx, sy] = [x, h - 1 - y]
          break
        case 5:
          ;[sx, sy] = [y, x]
          break
        case 6:
          ;[sx, sy] = [y, h - 1 - x]
          break
        case 7:
          ;[sx, sy] = [w - 1 - y, h - 1 - x]
          break
        default:
          ;[sx, sy] = [w - 1 - y, x]
      }
      const from = 4 * (sy * w + sx)
      out.set(data.subarray(from, from + 4), 4 * (y * outWidth + x))
    }
  }
  return { ...image, width: outWidth, height: outHeight, data: out }
}
