// The IDX file format of MNIST (and Fashion-MNIST, EMNIST, …). Parses bytes; never opens files.
//
// Layout (big-endian): 0x00 0x00 <type> <dimension count n>, then n uint32 sizes, then the values.
// MNIST uses type 0x08 (unsigned byte): images are [count, rows, cols], labels are [count].

import { IdxFormatError } from '../errors'

const IDX_UNSIGNED_BYTE = 0x08
const IDX_TYPE_NAMES: Record<number, string> = {
  0x08: 'unsigned byte',
  0x09: 'signed byte',
  0x0b: 'int16',
  0x0c: 'int32',
  0x0d: 'float32',
  0x0e: 'float64'
}
/** Refuse absurd headers before allocating or looping over them. */
const MAX_IDX_DIMENSIONS = 4

/** A parsed IDX array of unsigned bytes. `data` is a view into the input (no copy). */
export interface IdxArray {
  readonly dims: readonly number[]
  readonly data: Uint8Array
}

/** Images as stored in an IDX file: `count` images of rows × cols bytes (0 = background, 255 = ink). */
export interface IdxImages {
  readonly count: number
  readonly rows: number
  readonly cols: number
  readonly pixels: Uint8Array
}

/**
 * Parses an IDX file of unsigned bytes. `what` names the file in error messages.
 * Throws IdxFormatError for a wrong magic number, an unsupported type, or a size that does not match.
 */
export function parseIdx(bytes: Uint8Array, what = 'IDX file'): IdxArray {
  if (bytes.length < 4)
    throw new IdxFormatError(`${what}: only ${bytes.length} bytes, too short to be an IDX file`)
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    throw new IdxFormatError(`${what}: this is a gzip file; decompress it first (e.g. gunzip)`)
  }
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new IdxFormatError(
      `${what}: wrong magic number (the first two bytes must be 0, got 0x${hex(bytes[0])} 0x${hex(bytes[1])}); ` +
        'this is not an IDX file'
    )
  }
  const type = bytes[2]
  if (type !== IDX_UNSIGNED_BYTE) {
    const name = IDX_TYPE_NAMES[type] ?? `unknown type 0x${hex(type)}`
    throw new IdxFormatError(
      `${what}: values are ${name}; only unsigned-byte IDX files (type 0x08) are supported`
    )
  }
  const dimensionCount = bytes[3]
  if (dimensionCount < 1 || dimensionCount > MAX_IDX_DIMENSIONS) {
    throw new IdxFormatError(
      `${what}: header declares ${dimensionCount} dimensions; expected 1 to ${MAX_IDX_DIMENSIONS}`
    )
  }
  const headerBytes = 4 + 4 * dimensionCount
  if (bytes.length < headerBytes) {
    throw new IdxFormatError(
      `${what}: truncated header (${bytes.length} bytes, the header alone needs ${headerBytes})`
    )
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const dims: number[] = []
  for (let d = 0; d < dimensionCount; d++) dims.push(view.getUint32(4 + 4 * d)) // big-endian, as IDX requires
  const valueCount = dims.reduce((a, b) => a * b, 1)
  const expectedBytes = headerBytes + valueCount
  if (bytes.length < expectedBytes) {
    throw new IdxFormatError(
      `${what}: truncated: the header promises ${dims.join('×')} = ${valueCount} values, ` +
        `but only ${bytes.length - headerBytes} bytes follow it`
    )
  }
  if (bytes.length > expectedBytes) {
    throw new IdxFormatError(
      `${what}: ${bytes.length - expectedBytes} unexpected bytes after the ${dims.join('×')} values the header declares`
    )
  }
  return { dims, data: bytes.subarray(headerBytes, expectedBytes) }
}

/** Parses an IDX image file: exactly 3 dimensions [count, rows, cols]. */
export function parseIdxImages(bytes: Uint8Array, what = 'IDX images'): IdxImages {
  const { dims, data } = parseIdx(bytes, what)
  if (dims.length !== 3) {
    throw new IdxFormatError(
      `${what}: expected 3 dimensions [count, rows, cols] for images, got ${dims.length} [${dims.join(', ')}]` +
        (dims.length === 1 ? ' (is this a label file?)' : '')
    )
  }
  const [count, rows, cols] = dims
  if (rows === 0 || cols === 0)
    throw new IdxFormatError(`${what}: images of ${rows}×${cols} pixels are empty`)
  return { count, rows, cols, pixels: data }
}

/** Parses an IDX label file: exactly 1 dimension [count]. */
export function parseIdxLabels(bytes: Uint8Array, what = 'IDX labels'): Uint8Array {
  const { dims, data } = parseIdx(bytes, what)
  if (dims.length !== 1) {
    throw new IdxFormatError(
      `${what}: expected 1 dimension [count] for labels, got ${dims.length} [${dims.join(', ')}]` +
        (dims.length === 3 ? ' (is this an image file?)' : '')
    )
  }
  return data
}

/** Encodes an IDX file of unsigned bytes (the inverse of parseIdx; used by tests and exports). */
export function encodeIdx(dims: readonly number[], data: Uint8Array): Uint8Array {
  const headerBytes = 4 + 4 * dims.length
  const out = new Uint8Array(headerBytes + data.length)
  const view = new DataView(out.buffer)
  out[2] = IDX_UNSIGNED_BYTE
  out[3] = dims.length
  dims.forEach((size, d) => view.setUint32(4 + 4 * d, size))
  out.set(data, headerBytes)
  return out
}

function hex(byte: number): string {
  return byte.toString(16).padStart(2, '0')
}
