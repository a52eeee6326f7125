// Decodes image files for the Node side (CLI, host): the format is read from the content, the size is
// checked from the header BEFORE decoding, and every failure becomes one clear ImageDecodeError.

import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
import { decode as decodeBmp } from 'bmp-ts'
import jpeg from 'jpeg-js'
import { GifReader } from 'omggif'
import {
  checkFrames,
  ImageFormatError,
  MAX_IMAGE_PIXELS,
  readImageHeader,
  type ImageFormat,
  type ImageHeader,
  type RgbaImage
} from '../../core'
import { USER_FILES } from '../files/file-limits'
import { readUserFile, UserFileError } from '../files/user-file'
import { applyExifOrientation, readExifOrientation } from './exif-orientation'
import { bmpProblem } from './bmp-checks'
import { JPEG_DECODER_BUDGET_MB, jpegOverBudget } from './jpeg-budget'
import { decodePng } from './png-decode'
import { firstWebpFrame } from './webp-frames'

/** A decoded image: RGBA bytes (straight alpha) plus where they came from. */
export interface DecodedImage extends RgbaImage {
  readonly data: Uint8ClampedArray
  readonly format: ImageFormat
  /** True when the file is an animation; `data` is its first frame. */
  readonly animated: boolean
}

/** Why an image file could not be used. The message is one line, for the person who chose the file. */
export class ImageDecodeError extends Error {
  override name = 'ImageDecodeError'
}

/**
 * Reads and decodes an image file. Throws ImageDecodeError naming the problem: missing file, a folder,
 * device or FIFO, too large (USER_FILES.image), empty, not an image, unsupported format, too many
 * pixels, truncated or corrupt data.
 */
export async function readImageFile(path: string): Promise<DecodedImage> {
  let bytes: Uint8Array
  try {
    bytes = await readUserFile(path, USER_FILES.image)
  } catch (error) {
    if (error instanceof UserFileError) throw new ImageDecodeError(error.about(null))
    throw error
  }
  return decodeImage(bytes)
}

/**
 * Decodes PNG, JPEG (with EXIF orientation applied, as browsers do), WebP, GIF or BMP bytes to RGBA.
 * Animated GIF, PNG and WebP give their first frame. The format comes from the bytes, never a file name.
 */
export async function decodeImage(bytes: Uint8Array): Promise<DecodedImage> {
  let header
  try {
    header = readImageHeader(bytes)
    checkFrames(bytes, header) // every frame within the limit, not only the canvas
  } catch (error) {
    throw new ImageDecodeError(error instanceof ImageFormatError ? error.message : String(error))
  }
  const beyondLimits = PRE_CHECKS[header.format]?.(bytes, header) ?? null
  if (beyondLimits) throw new ImageDecodeError(beyondLimits)
  const { format, width, height } = header
  let image: { width: number; height: number; data: Uint8ClampedArray; animated?: boolean }
  try {
    image = await DECODERS[format](bytes)
  } catch (error) {
    if (error instanceof ImageDecodeError) throw error
    if (!hasEndMarker(bytes, format)) {
      throw new ImageDecodeError(
        `the ${format.toUpperCase()} file is truncated: it ends before the image data does`
      )
    }
    throw new ImageDecodeError(`the ${format.toUpperCase()} data is corrupt (${describe(error)})`)
  }
  const expected = format === 'jpeg' ? null : [width, height] // EXIF orientation may swap a JPEG's sides
  if (
    (expected && (image.width !== width || image.height !== height)) ||
    image.data.length !== image.width * image.height * 4
  ) {
    throw new ImageDecodeError(
      `the ${format.toUpperCase()} data is corrupt: its pixels do not match its ${width}×${height} header`
    )
  }
  return {
    width: image.width,
    height: image.height,
    data: image.data,
    format,
    animated: image.animated ?? header.animated
  }
}

/**
 * What the header alone cannot tell, checked before decoding: what a decoder would allocate (jpeg-js's
 * blocks) or loop over (bmp-ts's colour table and run-length codes). Each returns why, or null.
 */
const PRE_CHECKS: Partial<
  Record<ImageFormat, (bytes: Uint8Array, header: ImageHeader) => string | null>
> = {
  jpeg: (bytes, { width, height }) => jpegOverBudget(bytes, width, height),
  bmp: bmpProblem
}

type Decoded = { width: number; height: number; data: Uint8ClampedArray; animated?: boolean }

const clamped = (data: Uint8Array | Buffer): Uint8ClampedArray =>
  new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength)
const asBuffer = (bytes: Uint8Array): Buffer =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)

const DECODERS: Record<ImageFormat, (bytes: Uint8Array) => Decoded | Promise<Decoded>> = {
  png(bytes) {
    // Every chunk's CRC and the zlib stream are checked, so truncation and corruption throw.
    // An APNG's default image (IDAT) is its first frame; the animation chunks are skipped.
    return decodePng(bytes)
  },

  jpeg(bytes) {
    let decoded
    try {
      // tolerantDecoding off: a damaged file is reported, not turned into a half-grey picture.
      decoded = jpeg.decode(bytes, {
        useTArray: true,
        formatAsRGBA: true,
        tolerantDecoding: false,
        maxResolutionInMP: Math.ceil(MAX_IMAGE_PIXELS / 1e6),
        maxMemoryUsageInMB: JPEG_DECODER_BUDGET_MB
      })
    } catch (error) {
      // NOTE: decodeImage checked the budget from the header; jpeg-js's own count is the backstop.
      if (String(error).includes('maxMemoryUsageInMB'))
        throw new ImageDecodeError('the JPEG needs more memory to decode than it may use')
      throw error
    }
    const image = { width: decoded.width, height: decoded.height, data: clamped(decoded.data) }
    return applyExifOrientation(image, readExifOrientation(bytes))
  },

  gif(bytes) {
    const reader = new GifReader(bytes)
    if (reader.numFrames() === 0) throw new Error('no image frame')
    const frame = reader.frameInfo(0)
    if (frame.x + frame.width > reader.width || frame.y + frame.height > reader.height) {
      throw new ImageDecodeError('the GIF file is corrupt: its first frame lies outside the image')
    }
    const data = new Uint8ClampedArray(reader.width * reader.height * 4)
    // NOTE: omggif reports a too-short LZW stream with console.log and carries on; capture that (so
    // --json output stays one JSON object per line) and report the file as truncated instead.
    const warnings: string[] = []
    const log = console.log
    console.log = (...parts: unknown[]) => void warnings.push(parts.join(' '))
    try {
      reader.decodeAndBlitFrameRGBA(0, data)
    } finally {
      console.log = log
    }
    if (warnings.some((w) => w.includes('shorter')))
      throw new ImageDecodeError('the GIF data is truncated: the first frame is incomplete')
    return { width: reader.width, height: reader.height, data, animated: reader.numFrames() > 1 }
  },

  bmp(bytes) {
    const bmp = decodeBmp(asBuffer(bytes), { toRGBA: true })
    const data = clamped(bmp.data)
    // BMPs without an alpha mask store 0 (or garbage) in the fourth byte: they are opaque.
    const hasAlpha = bmp.bitPP === 32 && (bmp as unknown as { maskAlpha?: number }).maskAlpha !== 0
    if (!hasAlpha) for (let i = 3; i < data.length; i += 4) data[i] = 255
    return { width: bmp.width, height: bmp.height, data }
  },

  webp: decodeWebp
}

let webpModule: Promise<
  (buffer: ArrayBuffer) => Promise<{ width: number; height: number; data: Uint8ClampedArray }>
> | null = null

/**
 * libwebp compiled to WebAssembly (@jsquash/webp), loaded once from the package's own .wasm file.
 * NOTE: its default loader fetches the .wasm by URL, which Node cannot do for a file path; so we
 * compile the module ourselves and hand it over (the package's documented way to initialise).
 */
async function loadWebpDecoder(): Promise<
  (buffer: ArrayBuffer) => Promise<{ width: number; height: number; data: Uint8ClampedArray }>
> {
  const require = createRequire(import.meta.url)
  const wasmPath = require.resolve('@jsquash/webp/codec/dec/webp_dec.wasm')
  // Imported by absolute file URL: a bare specifier fails when this module is itself loaded from a
  // data: URL (tsx does that for CommonJS files imported from ES modules).
  const entry = pathToFileURL(require.resolve('@jsquash/webp/decode.js')).href
  const { default: decode, init } = (await import(
    entry
  )) as typeof import('@jsquash/webp/decode.js')
  // NOTE: ES2022's lib has no WebAssembly globals (they come with DOM or newer Node types); it is there at run time.
  const { Module } = (
    globalThis as unknown as { WebAssembly: { Module: new (bytes: Uint8Array) => object } }
  ).WebAssembly
  await init(new Module(await readFile(wasmPath)) as never)
  return decode as never
}

async function decodeWebp(bytes: Uint8Array): Promise<Decoded> {
  webpModule ??= loadWebpDecoder()
  const decode = await webpModule
  const frame = firstWebpFrame(bytes)
  const still = frame ? frame.still : bytes
  let image: { width: number; height: number; data: Uint8ClampedArray }
  try {
    image = await decode(still.slice().buffer)
  } catch {
    throw new Error('libwebp could not decode it')
  }
  const data = new Uint8ClampedArray(
    image.data.buffer,
    image.data.byteOffset,
    image.data.byteLength
  )
  if (!frame) return { width: image.width, height: image.height, data }
  // An animation's first frame may be smaller than the canvas and offset within it.
  const canvas = new Uint8ClampedArray(frame.canvasWidth * frame.canvasHeight * 4)
  for (let y = 0; y < image.height && frame.y + y < frame.canvasHeight; y++) {
    const from = y * image.width * 4
    const width = Math.min(image.width, frame.canvasWidth - frame.x)
    canvas.set(
      data.subarray(from, from + width * 4),
      ((frame.y + y) * frame.canvasWidth + frame.x) * 4
    )
  }
  return { width: frame.canvasWidth, height: frame.canvasHeight, data: canvas, animated: true }
}

/**
 * Whether the file ends the way its format says a complete file ends: PNG with an IEND chunk, JPEG with
 * the EOI marker (FF D9), GIF with its trailer byte (3B). A decoding failure without it was a truncation.
 * WebP and BMP have no end marker; their sizes in the header are compared instead.
 */
function hasEndMarker(bytes: Uint8Array, format: ImageFormat): boolean {
  const tail = Array.from(bytes.subarray(Math.max(0, bytes.length - 16)))
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  switch (format) {
    case 'png':
      return String.fromCharCode(...tail).includes('IEND')
    case 'jpeg':
      return tail.some((b, i) => b === 0xff && tail[i + 1] === 0xd9)
    case 'gif':
      return bytes[bytes.length - 1] === 0x3b
    case 'webp':
      return bytes.length >= 8 && view.getUint32(4, true) + 8 <= bytes.length
    case 'bmp':
      return bytes.length >= 6 && view.getUint32(2, true) <= bytes.length
  }
}

function describe(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error)
  return text.split('\n')[0].replace(/\.$/, '').slice(0, 160) || 'unknown error'
}
