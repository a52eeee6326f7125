// Every frame of an animation (GIF, animated WebP, APNG) and the bitstream inside a WebP container,
// checked from their headers before anything is decoded: the pixel limit applies to each of them, not
// only to the canvas the file header declares (a 1×1 canvas may hold a 12000×12000 frame).

import { ImageFormatError, MAX_IMAGE_PIXELS, MAX_IMAGE_SIDE, type ImageHeader } from './header'

/** Where a frame sits on the canvas, as its header says. */
export interface FrameBox {
  readonly x: number
  readonly y: number
  readonly width: number
  readonly height: number
}

/**
 * Checks every frame header of `bytes` (the whole file) against the pixel limit, and for animated
 * WebP and APNG that it lies inside the canvas (as their specifications require, so decoders allocate
 * no more than the canvas). A WebP's image bitstream must have the size its container declares.
 * Returns the frames found (one box per GIF image, WebP ANMF or APNG fcTL; empty for a still PNG or
 * JPEG, whose single image the header already gave). Throws ImageFormatError naming the frame.
 */
export function checkFrames(bytes: Uint8Array, header: ImageHeader): FrameBox[] {
  switch (header.format) {
    case 'gif':
      return gifFrames(bytes).map((frame, i) => withinLimit(frame, i, 'GIF'))
    case 'webp':
      return webpFrames(bytes, header)
    case 'png':
      return header.animated ? apngFrames(bytes, header) : []
    default:
      return []
  }
}

function withinLimit(frame: FrameBox, index: number, format: string): FrameBox {
  const { width, height } = frame
  if (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE || width * height > MAX_IMAGE_PIXELS) {
    throw new ImageFormatError(
      `the ${format} file's frame ${index + 1} is ${width}×${height} pixels, larger than the limit of ` +
        `${MAX_IMAGE_SIDE}×${MAX_IMAGE_SIDE}`
    )
  }
  return frame
}

function insideCanvas(frame: FrameBox, index: number, format: string, header: ImageHeader): void {
  if (
    frame.width < 1 ||
    frame.height < 1 ||
    frame.x + frame.width > header.width ||
    frame.y + frame.height > header.height
  ) {
    throw new ImageFormatError(
      `the ${format} file is corrupt: frame ${index + 1} (${frame.width}×${frame.height} at ` +
        `${frame.x},${frame.y}) does not fit its ${header.width}×${header.height} canvas`
    )
  }
}

/**
 * GIF (frames may lie partly outside the canvas: browsers clip them, so only the limit is checked;
 * the CLI's decoder also requires the first frame, the one it decodes, to fit the canvas).
 * After the 13-byte header and the global colour table, blocks follow: 0x21 extensions and 0x2C
 * image descriptors (x, y, width, height as uint16 LE, then flags; a local colour table; the LZW
 * minimum code size), each followed by data sub-blocks (a length byte, 0 ends them); 0x3B ends the file.
 * A file cut short ends the walk: truncation is the decoder's to report.
 */
function gifFrames(b: Uint8Array): FrameBox[] {
  const u16 = (at: number): number => b[at] | (b[at + 1] << 8)
  const colorTable = (flags: number): number => (flags & 0x80 ? 3 * 2 ** ((flags & 7) + 1) : 0)
  const skipSubBlocks = (at: number): number => {
    while (at < b.length && b[at] !== 0) at += b[at] + 1
    return at + 1
  }
  const frames: FrameBox[] = []
  let p = 13 + colorTable(b[10])
  while (p < b.length) {
    const block = b[p]
    if (block === 0x3b) break
    if (block === 0x21) {
      p = skipSubBlocks(p + 2)
    } else if (block === 0x2c) {
      if (p + 10 > b.length) break
      frames.push({ x: u16(p + 1), y: u16(p + 3), width: u16(p + 5), height: u16(p + 7) })
      p = skipSubBlocks(p + 10 + colorTable(b[p + 9]) + 1)
    } else {
      break // NOTE: not ours to refuse: decoders stop at an unknown block too, and no frame after it is decoded
    }
  }
  return frames
}

/**
 * WebP chunks after "RIFF" size "WEBP": a 4-character name, a uint32 LE size, the payload padded to an
 * even length. In a VP8X file, an ANMF payload is X/2, Y/2, width−1, height−1 (uint24 LE each),
 * a duration and flags (4 bytes), then the frame's own chunks; a still VP8X image has its VP8 or VP8L
 * chunk at the top level. Either way, that bitstream's own header gives the size libwebp decodes.
 */
function webpFrames(b: Uint8Array, header: ImageHeader): FrameBox[] {
  if (fourCC(b, 12) !== 'VP8X') return [] // a plain VP8 or VP8L file: its header was the bitstream's
  const frames: FrameBox[] = []
  let bitstream: FrameBox | null = null
  for (const chunk of riffChunks(b, 12, b.length)) {
    if (chunk.name === 'ANMF') {
      const at = chunk.body
      if (at + 16 > chunk.end)
        throw new ImageFormatError('the WEBP file is corrupt: a frame header is cut short')
      const frame = {
        x: 2 * uint24(b, at),
        y: 2 * uint24(b, at + 3),
        width: uint24(b, at + 6) + 1,
        height: uint24(b, at + 9) + 1
      }
      insideCanvas(frame, frames.length, 'WEBP', header)
      const inner = findBitstream(b, at + 16, chunk.end)
      if (!inner || inner.width !== frame.width || inner.height !== frame.height) {
        throw new ImageFormatError(
          `the WEBP file is corrupt: frame ${frames.length + 1} is declared ${frame.width}×${frame.height} ` +
            `but its image data is ${inner ? `${inner.width}×${inner.height}` : 'missing'}`
        )
      }
      frames.push(frame)
    } else if (chunk.name === 'VP8 ' || chunk.name === 'VP8L') {
      bitstream = bitstreamSize(b, chunk.name, chunk.body, chunk.end)
    }
  }
  if (
    !header.animated &&
    bitstream &&
    (bitstream.width !== header.width || bitstream.height !== header.height)
  ) {
    throw new ImageFormatError(
      `the WEBP file is corrupt: its canvas is ${header.width}×${header.height} but its image data is ` +
        `${bitstream.width}×${bitstream.height}`
    )
  }
  return frames
}

/** The first VP8 or VP8L chunk in [start, end) and its size, or null. */
function findBitstream(b: Uint8Array, start: number, end: number): FrameBox | null {
  for (const chunk of riffChunks(b, start, end)) {
    if (chunk.name === 'VP8 ' || chunk.name === 'VP8L')
      return bitstreamSize(b, chunk.name, chunk.body, chunk.end)
  }
  return null
}

/** VP8: a 3-byte frame tag, the start code 9D 01 2A, then 14-bit width and height; VP8L: 0x2F, then 14+14 bits. */
function bitstreamSize(b: Uint8Array, name: string, body: number, end: number): FrameBox | null {
  if (name === 'VP8 ') {
    if (body + 10 > end || b[body + 3] !== 0x9d || b[body + 4] !== 0x01 || b[body + 5] !== 0x2a)
      return null
    return { x: 0, y: 0, width: u16le(b, body + 6) & 0x3fff, height: u16le(b, body + 8) & 0x3fff }
  }
  if (body + 5 > end || b[body] !== 0x2f) return null
  const bits = (b[body + 1] | (b[body + 2] << 8) | (b[body + 3] << 16) | (b[body + 4] << 24)) >>> 0
  return { x: 0, y: 0, width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 }
}

/**
 * APNG: every fcTL chunk (sequence number, width, height, x offset, y offset as uint32 BE, …) must lie
 * inside the IHDR canvas; so no frame can be larger than the image the header checked.
 */
function apngFrames(b: Uint8Array, header: ImageHeader): FrameBox[] {
  const u32 = (at: number): number =>
    ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0
  const frames: FrameBox[] = []
  for (let p = 8; p + 12 <= b.length; p += 12 + u32(p)) {
    if (fourCC(b, p + 4) === 'IEND') break
    if (fourCC(b, p + 4) !== 'fcTL' || p + 8 + 26 > b.length) continue
    const frame = { width: u32(p + 12), height: u32(p + 16), x: u32(p + 20), y: u32(p + 24) }
    insideCanvas(frame, frames.length, 'PNG', header)
    frames.push(frame)
  }
  return frames
}

interface RiffChunk {
  readonly name: string
  /** Where the payload starts and ends (clipped to the walk's end). */
  readonly body: number
  readonly end: number
}

function* riffChunks(b: Uint8Array, start: number, end: number): Generator<RiffChunk> {
  for (let p = start; p + 8 <= end;) {
    const size = (b[p + 4] | (b[p + 5] << 8) | (b[p + 6] << 16) | (b[p + 7] << 24)) >>> 0
    yield { name: fourCC(b, p), body: p + 8, end: Math.min(end, p + 8 + size) }
    p += 8 + size + (size & 1)
  }
}

const fourCC = (b: Uint8Array, at: number): string =>
  String.fromCharCode(b[at], b[at + 1], b[at + 2], b[at + 3])
const uint24 = (b: Uint8Array, at: number): number => b[at] | (b[at + 1] << 8) | (b[at + 2] << 16)
const u16le = (b: Uint8Array, at: number): number => b[at] | (b[at + 1] << 8)
