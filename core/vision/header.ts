// Image file headers: the format (by content, never by name) and the size, read before any decoding.

/** Formats the studio decodes. */
export type ImageFormat = 'png' | 'jpeg' | 'webp' | 'gif' | 'bmp'

/** The largest width or height accepted (the app and the CLI use the same limit). */
export const MAX_IMAGE_SIDE = 8192
/**
 * The most pixels accepted: 8192×8192. An RGBA image that large is 256 MB; anything larger is refused
 * before decoding, so a file claiming 100000×100000 pixels (40 GB) cannot exhaust memory.
 */
export const MAX_IMAGE_PIXELS = MAX_IMAGE_SIDE * MAX_IMAGE_SIDE
/**
 * The largest image file read, by the window and the CLI alike: an uncompressed 8192×8192 BMP at
 * 32 bits per pixel is 256 MiB plus its headers; no image within the pixel limit needs more.
 */
export const MAX_IMAGE_FILE_BYTES = 260 * 1024 * 1024

/** What the header says. `animated` is true for an animation (only its first frame is used). */
export interface ImageHeader {
  readonly format: ImageFormat
  readonly width: number
  readonly height: number
  readonly animated: boolean
}

/** Why the bytes cannot be decoded, with a message written for the person who chose the file. */
export class ImageFormatError extends Error {
  override name = 'ImageFormatError'
}

const ascii = (bytes: Uint8Array, start: number, length: number): string =>
  String.fromCharCode(...bytes.subarray(start, start + length))

/**
 * Identifies the format from the first bytes (magic numbers) and reads the size from the header.
 * Throws ImageFormatError for: empty files, unsupported or unknown content (naming SVG, TIFF, HEIC,
 * PDF … when recognised), headers cut short, a zero size, or a size above the limits.
 * Magic numbers: PNG 89 50 4E 47 0D 0A 1A 0A; JPEG FF D8 FF; GIF "GIF87a"/"GIF89a"; BMP "BM";
 * WebP "RIFF" <size> "WEBP".
 */
export function readImageHeader(bytes: Uint8Array): ImageHeader {
  if (bytes.length === 0) throw new ImageFormatError('the file is empty (0 bytes)')
  const header = sniff(bytes)
  if (
    !Number.isInteger(header.width) ||
    !Number.isInteger(header.height) ||
    header.width <= 0 ||
    header.height <= 0
  ) {
    throw new ImageFormatError(
      `the ${header.format.toUpperCase()} header gives an invalid size (${header.width}×${header.height})`
    )
  }
  if (
    header.width > MAX_IMAGE_SIDE ||
    header.height > MAX_IMAGE_SIDE ||
    header.width * header.height > MAX_IMAGE_PIXELS
  ) {
    throw new ImageFormatError(
      `the image is ${header.width}×${header.height} pixels, larger than the limit of ${MAX_IMAGE_SIDE}×${MAX_IMAGE_SIDE}; ` +
        'scale it down first'
    )
  }
  return header
}

function sniff(b: Uint8Array): ImageHeader {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength)
  const need = (count: number, format: ImageFormat): void => {
    if (b.length < count)
      throw new ImageFormatError(
        `the ${format.toUpperCase()} file is truncated: it ends inside its header`
      )
  }
  if (b[0] === 0x89 && ascii(b, 1, 3) === 'PNG') {
    need(24, 'png')
    if (ascii(b, 12, 4) !== 'IHDR')
      throw new ImageFormatError(
        'the PNG file is corrupt: its first chunk is not the image header (IHDR)'
      )
    return {
      format: 'png',
      width: view.getUint32(16),
      height: view.getUint32(20),
      animated: hasPngAnimation(b)
    }
  }
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return jpegHeader(b, view)
  if (ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a') {
    need(10, 'gif')
    return {
      format: 'gif',
      width: view.getUint16(6, true),
      height: view.getUint16(8, true),
      animated: false
    }
  }
  if (ascii(b, 0, 2) === 'BM') {
    need(26, 'bmp')
    const dibSize = view.getUint32(14, true)
    if (dibSize === 12)
      return {
        format: 'bmp',
        width: view.getUint16(18, true),
        height: view.getUint16(20, true),
        animated: false
      }
    return {
      format: 'bmp',
      width: view.getInt32(18, true),
      height: Math.abs(view.getInt32(22, true)),
      animated: false
    }
  }
  if (ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') return webpHeader(b, view)
  throw new ImageFormatError(describeUnsupported(b))
}

/** PNG: an acTL chunk before the first IDAT marks an animated PNG (APNG). */
function hasPngAnimation(b: Uint8Array): boolean {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength)
  for (let p = 8; p + 8 <= b.length;) {
    const type = ascii(b, p + 4, 4)
    if (type === 'acTL') return true
    if (type === 'IDAT') return false
    p += 12 + view.getUint32(p)
  }
  return false
}

/** JPEG: the size from its frame header (findJpegFrame). */
function jpegHeader(b: Uint8Array, view: DataView): ImageHeader {
  const p = findJpegFrame(b)
  return {
    format: 'jpeg',
    width: view.getUint16(p + 7),
    height: view.getUint16(p + 5),
    animated: false
  }
}

/**
 * Where a JPEG's frame header starts: its marker segments are walked to the first start-of-frame
 * (SOF0…SOF15 except DHT C4, JPG C8, DAC CC). The SOF segment: FF Cn, length, precision, height,
 * width (uint16 BE), component count, then per component its id, sampling factors (H << 4 | V) and
 * quantisation table. Throws ImageFormatError when there is none, or it is cut short.
 */
export function findJpegFrame(b: Uint8Array): number {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength)
  let p = 2
  while (p + 4 <= b.length) {
    if (b[p] !== 0xff)
      throw new ImageFormatError('the JPEG file is corrupt: a marker is missing where one must be')
    const marker = b[p + 1]
    if (marker === 0xff) {
      p++ // fill byte
      continue
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      p += 2
      continue
    }
    const length = view.getUint16(p + 2)
    const isFrame =
      marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc
    if (isFrame) {
      if (p + 10 > b.length || p + 10 + 3 * b[p + 9] > b.length) break
      return p
    }
    if (marker === 0xda || marker === 0xd9)
      throw new ImageFormatError('the JPEG file is corrupt: it has no frame header (SOF)')
    p += 2 + length
  }
  throw new ImageFormatError('the JPEG file is truncated: it ends before its frame header')
}

/** WebP: the first chunk is VP8 (lossy), VP8L (lossless) or VP8X (extended: alpha, animation). */
function webpHeader(b: Uint8Array, view: DataView): ImageHeader {
  if (b.length < 30)
    throw new ImageFormatError('the WEBP file is truncated: it ends inside its header')
  const chunk = ascii(b, 12, 4)
  if (chunk === 'VP8 ') {
    if (b[23] !== 0x9d || b[24] !== 0x01 || b[25] !== 0x2a)
      throw new ImageFormatError('the WEBP file is corrupt: bad VP8 frame start code')
    return {
      format: 'webp',
      width: view.getUint16(26, true) & 0x3fff,
      height: view.getUint16(28, true) & 0x3fff,
      animated: false
    }
  }
  if (chunk === 'VP8L') {
    if (b[20] !== 0x2f) throw new ImageFormatError('the WEBP file is corrupt: bad VP8L signature')
    const bits = view.getUint32(21, true)
    return {
      format: 'webp',
      width: (bits & 0x3fff) + 1,
      height: ((bits >>> 14) & 0x3fff) + 1,
      animated: false
    }
  }
  if (chunk === 'VP8X') {
    const uint24 = (at: number): number => b[at] | (b[at + 1] << 8) | (b[at + 2] << 16)
    return {
      format: 'webp',
      width: uint24(24) + 1,
      height: uint24(27) + 1,
      animated: (b[20] & 0x02) !== 0
    }
  }
  throw new ImageFormatError(
    `the WEBP file is corrupt: unknown first chunk "${chunk.replace(/[^\x20-\x7e]/g, '?')}"`
  )
}

/** A message for content that is not one of the five formats, naming what it is when we can tell. */
function describeUnsupported(b: Uint8Array): string {
  const supported = 'PNG, JPEG, WebP, GIF or BMP'
  const start = ascii(b, 0, Math.min(b.length, 512)).trimStart().toLowerCase()
  if (
    start.startsWith('<svg') ||
    (start.startsWith('<?xml') && start.includes('<svg')) ||
    start.includes('<svg')
  ) {
    return `SVG drawings are not supported (they are documents, not pixels); export it as ${supported}`
  }
  if (
    (b[0] === 0x49 && b[1] === 0x49 && b[2] === 0x2a) ||
    (b[0] === 0x4d && b[1] === 0x4d && b[3] === 0x2a)
  ) {
    return `TIFF images are not supported; convert it to ${supported}`
  }
  const brand = ascii(b, 4, 8)
  if (brand.startsWith('ftyp')) {
    const kind = brand.slice(4).trim()
    const name = kind.startsWith('avi')
      ? 'AVIF'
      : kind.startsWith('he') || kind.startsWith('mif')
        ? 'HEIC'
        : 'this container'
    return `${name} images are not supported; convert it to ${supported}`
  }
  if (start.startsWith('%pdf'))
    return `PDF files are not supported; export the page as ${supported}`
  if (b[0] === 0 && b[1] === 0 && b[2] === 1 && b[3] === 0)
    return `ICO icons are not supported; convert it to ${supported}`
  if (start.startsWith('<!doctype html') || start.startsWith('<html'))
    return `this is an HTML page, not an image (${supported})`
  const printable = b
    .subarray(0, 512)
    .every((c) => c === 9 || c === 10 || c === 13 || (c >= 32 && c < 127) || c >= 128)
  return printable
    ? `this is a text file, not an image (${supported})`
    : `this is not a ${supported} image (unrecognised content)`
}
