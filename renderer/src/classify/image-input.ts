// Files the user dropped, pasted or opened → what they are, by content, never by name: a model file, an
// image whose header fits the size limits (checked before anything is decoded), or a clear refusal.
// Pure: bytes in, decisions out. Decoding is behind `ImageProcessor` (the image worker in the app).

import {
  checkFrames,
  ImageFormatError,
  MAX_IMAGE_FILE_BYTES,
  MAX_IMAGE_SIDE,
  readImageHeader,
  type ImageFormat,
  type ImageHeader,
  type PreprocessResult,
  type PreprocessSteps,
  type RgbaImage
} from '@core/vision/index'
import { modelFileFormat } from '@core/io/model-format'

/** At most this many files are opened from one drop, paste or file dialog; the rest are named in a notice. */
export const MAX_FILES_PER_DROP = 100
/** Bytes read first to identify a file and read its image header. */
export const HEAD_BYTES = 64 * 1024
/**
 * JPEG metadata (EXIF, ICC profiles, thumbnails) may push the frame header far back: when the first
 * HEAD_BYTES end inside the header, up to this many bytes are read to find it.
 */
export const MAX_HEADER_SCAN_BYTES = 16 * 1024 * 1024
/** Bytes read from the end of a file to check that it is complete (PNG's IEND, GIF's trailer). */
export const TAIL_BYTES = 4096
/** The largest image file accepted (core's limit, the same as the CLI's). */
export { MAX_IMAGE_FILE_BYTES }

/** The formats, as the learner reads them. */
export const SUPPORTED_FORMATS_TEXT = 'PNG, JPEG, WebP, GIF or BMP'
export const SIZE_LIMIT_TEXT = `${MAX_IMAGE_SIDE}×${MAX_IMAGE_SIDE} pixels`

/** What the first bytes of a file say it is. */
export type FileIdentity =
  | { readonly kind: 'model' }
  | { readonly kind: 'image'; readonly header: ImageHeader }
  /** The bytes read so far end inside the image header: read more of the file and ask again. */
  | { readonly kind: 'need-more' }
  | { readonly kind: 'refused'; readonly message: string }

/** True when the content is a model file: ours (JSON) or ONNX (see core's modelFileFormat). */
export function looksLikeModelFile(head: Uint8Array): boolean {
  return modelFileFormat(head) !== null
}

/**
 * Identifies a file from its first bytes (`head`) and its total size. Model files are JSON; everything
 * else must be a PNG, JPEG, WebP, GIF or BMP whose header core's readImageHeader accepts (SVG, text,
 * PDF, TIFF, HEIC, empty files and images above the size limit are refused with its message).
 */
export function identifyFile(head: Uint8Array, size: number): FileIdentity {
  if (size === 0) return { kind: 'refused', message: 'the file is empty (0 bytes)' }
  if (looksLikeModelFile(head)) return { kind: 'model' }
  try {
    const header = readImageHeader(head)
    if (size > MAX_IMAGE_FILE_BYTES) {
      return {
        kind: 'refused',
        message: `the file is ${formatBytes(size)}, more than the ${formatBytes(MAX_IMAGE_FILE_BYTES)} an image may be`
      }
    }
    return { kind: 'image', header }
  } catch (err) {
    if (!(err instanceof ImageFormatError)) throw err
    // The header may continue past what was read: that is our cut, not the file's.
    if (/truncated/.test(err.message) && head.length < size) return { kind: 'need-more' }
    return { kind: 'refused', message: err.message }
  }
}

function indexOfAscii(bytes: Uint8Array, text: string): number {
  outer: for (let i = 0; i + text.length <= bytes.length; i++) {
    for (let k = 0; k < text.length; k++) if (bytes[i + k] !== text.charCodeAt(k)) continue outer
    return i
  }
  return -1
}

/**
 * Checks that a file is not cut short, from its head, its last bytes (`tail`, up to TAIL_BYTES) and its
 * size. Browsers quietly show what a truncated PNG or GIF holds (the missing rows transparent), which
 * would classify half a digit; the CLI's decoders refuse such files, and so does the window.
 * Returns null when the file looks complete, else the reason. JPEG is left to the decoder: cameras
 * append data after the end marker (motion photos append a whole video).
 */
export function findTruncation(
  format: ImageFormat,
  head: Uint8Array,
  tail: Uint8Array,
  size: number
): string | null {
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength)
  switch (format) {
    case 'png':
      // Every PNG ends with the IEND chunk; some writers append a few bytes after it.
      return indexOfAscii(tail, 'IEND') < 0
        ? 'the PNG file is truncated: it ends before its last chunk (IEND)'
        : null
    case 'gif': {
      // The trailer byte 0x3B ends a GIF (possibly followed by padding zeros).
      let end = tail.length - 1
      while (end > 0 && tail[end] === 0 && tail.length - end < 16) end--
      return tail[end] === 0x3b ? null : 'the GIF file is truncated: it ends before its trailer'
    }
    case 'webp': {
      // "RIFF" <little-endian size of everything after these 8 bytes> "WEBP" …
      const riffSize = view.getUint32(4, true)
      return size < riffSize + 8
        ? `the WEBP file is truncated: its header promises ${riffSize + 8} bytes, it has ${size}`
        : null
    }
    case 'bmp': {
      if (head.length < 34) return null
      const pixelOffset = view.getUint32(10, true)
      const dibSize = view.getUint32(14, true)
      if (dibSize < 40) return null // the old OS/2 header: rare, left to the decoder
      const width = Math.abs(view.getInt32(18, true))
      const height = Math.abs(view.getInt32(22, true))
      const bitsPerPixel = view.getUint16(28, true)
      const compression = view.getUint32(30, true)
      // Only uncompressed rows (BI_RGB, BI_BITFIELDS) have a size known in advance: padded to 4 bytes.
      if (compression !== 0 && compression !== 3) return null
      const rowBytes = Math.floor((bitsPerPixel * width + 31) / 32) * 4
      const needed = pixelOffset + rowBytes * height
      return size < needed
        ? `the BMP file is truncated: its pixels need ${needed} bytes, it has ${size}`
        : null
    }
    case 'jpeg':
      return null
  }
}

/** The message when the browser's decoder rejects bytes whose header looked right. */
export function decodeFailureMessage(format: ImageFormat): string {
  return `the ${format.toUpperCase()} file is corrupt: its image data could not be decoded`
}

/** "PNG", "animated GIF (first frame)", … */
export function describeFormat(header: ImageHeader): string {
  const name =
    header.format === 'jpeg'
      ? 'JPEG'
      : header.format === 'webp'
        ? 'WebP'
        : header.format.toUpperCase()
  return header.animated || header.format === 'gif'
    ? `${header.animated ? 'animated ' : ''}${name}`
    : name
}

/** "812 KB", "1.4 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`
  const mb = bytes / (1024 * 1024)
  return `${mb < 10 ? mb.toFixed(1) : Math.round(mb)} MB`
}

/** Messages are written lower-case to fit after "file.png: …"; on their own they start with a capital. */
export function sentence(message: string): string {
  return message.length === 0 ? message : message[0].toUpperCase() + message.slice(1)
}

// ── The whole path from a file to the network's input ──

/** A small rendering of the decoded image for cards and the big panel (never the file itself). */
export interface PreviewImage {
  /** A PNG data: URL drawn from the decoded pixels (an SVG or HTML file can never reach it). */
  readonly url: string
  /** Size of the pixels it was drawn from: the coordinates of PreprocessSteps.cropBox. */
  readonly width: number
  readonly height: number
}

/** A decoded image (or drawing) after core/vision: its preview, and the 28×28 input or why there is none. */
export interface ProcessedImage {
  readonly preview: PreviewImage
  readonly result: PreprocessResult
}

/**
 * Decodes and preprocesses images: the browser engine and core/vision in a worker in the app
 * (image-processor.ts), a fake in tests.
 */
export interface ImageProcessor {
  /** Decodes an image file (its first frame) and preprocesses it; DecodeError when the data cannot be decoded. */
  processFile(file: Blob, header: ImageHeader): Promise<ProcessedImage>
  /** Preprocesses pixels already in memory (the draw pad). */
  processPixels(image: RgbaImage): Promise<ProcessedImage>
}

/** The browser could not decode bytes whose header looked right (corrupt or cut data). */
export class DecodeError extends Error {
  override name = 'DecodeError'
}

/** A file as the user gave it: the name shown on its card may differ from File.name (a paste). */
export interface NamedFile {
  readonly file: Blob
  readonly name: string
}

/** Where a file's journey ended. */
export type ImageOutcome =
  | {
      readonly ok: true
      readonly header: ImageHeader
      readonly preview: PreviewImage
      /** 784 values in [0, 1]: the 28×28 image the network sees. */
      readonly input: Float32Array
      readonly steps: PreprocessSteps
    }
  | {
      readonly ok: false
      /** 'file': not a usable image; 'no-digit': a fine image with nothing to read in it. */
      readonly problem: 'file' | 'no-digit'
      readonly message: string
      readonly header: ImageHeader | null
      readonly preview: PreviewImage | null
    }

const readBytes = async (blob: Blob, start: number, end: number): Promise<Uint8Array> =>
  new Uint8Array(await blob.slice(start, end).arrayBuffer())

/** Reads just enough of the file to know what it is (more only when a JPEG's header sits far back). */
export async function identifyBlob(
  file: Blob
): Promise<{ identity: FileIdentity; head: Uint8Array }> {
  let head = await readBytes(file, 0, HEAD_BYTES)
  let identity = identifyFile(head, file.size)
  if (identity.kind === 'need-more') {
    head = await readBytes(file, 0, MAX_HEADER_SCAN_BYTES)
    identity = identifyFile(head, file.size)
    if (identity.kind === 'need-more')
      identity = {
        kind: 'refused',
        message: 'the image header is larger than 16 MB: this does not look like a real image'
      }
  }
  return { identity, head }
}

/**
 * One image file → the network's 28×28 input, or the reason it cannot be read. Never throws for a bad
 * file: each problem becomes a message for that file's card.
 *  1. identify by content and check the header's size against the limits (nothing decoded yet);
 *  2. check the file is complete, and that every frame of an animation is within the limits too;
 *  3. decode with the browser engine (first frame of an animation) and run core/vision's
 *     preprocessDigit, which says "no digit found" for blank images (both in the image worker).
 */
export async function prepareImage(
  file: Blob,
  processor: ImageProcessor,
  identified?: { identity: FileIdentity; head: Uint8Array }
): Promise<ImageOutcome> {
  const { identity, head } = identified ?? (await identifyBlob(file))
  if (identity.kind === 'model') {
    return {
      ok: false,
      problem: 'file',
      message: 'this is a model file, not an image: drop it on its own to load it',
      header: null,
      preview: null
    }
  }
  if (identity.kind !== 'image') {
    const message =
      identity.kind === 'refused' ? identity.message : 'the image header could not be read'
    return { ok: false, problem: 'file', message, header: null, preview: null }
  }
  const { header } = identity
  const tail = await readBytes(file, Math.max(0, file.size - TAIL_BYTES), file.size)
  const truncation = findTruncation(header.format, head, tail, file.size)
  if (truncation) return { ok: false, problem: 'file', message: truncation, header, preview: null }
  const frames = await findFrameProblem(file, header, head)
  if (frames) return { ok: false, problem: 'file', message: frames, header, preview: null }

  let processed: ProcessedImage
  try {
    processed = await processor.processFile(file, header)
  } catch (err) {
    if (!(err instanceof DecodeError)) throw err
    return {
      ok: false,
      problem: 'file',
      message: decodeFailureMessage(header.format),
      header,
      preview: null
    }
  }
  const { preview, result } = processed
  if (!result.ok)
    return { ok: false, problem: 'no-digit', message: result.message, header, preview }
  return { ok: true, header, preview, input: result.input, steps: result.steps }
}

/**
 * Whether a file may hold frames (GIF, an extended WebP, an APNG) that the header at its start does
 * not show: such files are read whole and every frame is checked (core's checkFrames) before the
 * browser decodes them. Null when all is well, else the reason.
 */
export async function findFrameProblem(
  file: Blob,
  header: ImageHeader,
  head: Uint8Array
): Promise<string | null> {
  const extendedWebp =
    header.format === 'webp' && String.fromCharCode(...head.subarray(12, 16)) === 'VP8X'
  if (header.format !== 'gif' && !extendedWebp && !(header.format === 'png' && header.animated))
    return null
  try {
    checkFrames(file.size <= head.length ? head : await readBytes(file, 0, file.size), header)
    return null
  } catch (err) {
    if (err instanceof ImageFormatError) return err.message
    throw err
  }
}

/** Splits what the user gave into the files to open now and how many were left out. */
export function capFiles<T>(
  files: readonly T[],
  max = MAX_FILES_PER_DROP
): { accepted: readonly T[]; skipped: number } {
  return { accepted: files.slice(0, max), skipped: Math.max(0, files.length - max) }
}
