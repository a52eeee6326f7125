// numpy's .npz format, written from scratch: a zip archive (stored, uncompressed) of .npy arrays.
// np.load reads the result directly, with allow_pickle=False: only float32 and unicode arrays.

import { crc32 } from './crc32'

/** One array to store: float32 numbers of a given shape, or a 0-d unicode string. */
export type NpyArray =
  | { readonly name: string; readonly shape: readonly number[]; readonly data: Float32Array }
  | { readonly name: string; readonly text: string }

const NPY_MAGIC = [0x93, ...Array.from('NUMPY', (c) => c.charCodeAt(0))]
/** numpy aligns the end of the header (and so the data) to 64 bytes. */
const NPY_ALIGNMENT = 64

/**
 * One .npy file, format version 1.0:
 *   \x93NUMPY, 1, 0, header length (uint16 LE), header (a Python dict literal, space-padded,
 *   ending in '\n'), then the values in C (row-major) order, little-endian.
 */
export function encodeNpy(array: NpyArray): Uint8Array {
  const isText = 'text' in array
  const codePoints = isText ? Array.from(array.text, (c) => c.codePointAt(0)!) : []
  const descr = isText ? `<U${Math.max(codePoints.length, 1)}` : '<f4'
  const shape = isText ? [] : array.shape
  if (!isText && shape.reduce((a, b) => a * b, 1) !== array.data.length) {
    throw new RangeError(
      `npy ${array.name}: shape (${shape.join(', ')}) does not hold ${array.data.length} values`
    )
  }
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`
  const unpadded = NPY_MAGIC.length + 4 + header.length + 1
  header += ' '.repeat((NPY_ALIGNMENT - (unpadded % NPY_ALIGNMENT)) % NPY_ALIGNMENT) + '\n'

  const valueBytes = isText ? Math.max(codePoints.length, 1) * 4 : array.data.length * 4
  const out = new Uint8Array(NPY_MAGIC.length + 4 + header.length + valueBytes)
  const view = new DataView(out.buffer)
  out.set(NPY_MAGIC, 0)
  out[6] = 1 // major version
  out[7] = 0 // minor version
  view.setUint16(8, header.length, true)
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i)
  const start = 10 + header.length
  if (isText)
    codePoints.forEach((code, i) => view.setUint32(start + 4 * i, code, true)) // UCS-4, as numpy's '<U'
  else array.data.forEach((value, i) => view.setFloat32(start + 4 * i, value, true))
  return out
}

/**
 * A zip archive of `name.npy` entries (method 0, "stored"), as np.savez writes.
 * Layout: for each entry a local header and its bytes; then the central directory; then its end record.
 * All timestamps are 1980-01-01 so the same arrays always give the same bytes.
 */
export function encodeNpz(arrays: readonly NpyArray[]): Uint8Array {
  const entries = arrays.map((array) => {
    if (!/^[A-Za-z0-9_]+$/.test(array.name))
      throw new RangeError(`npz: array name "${array.name}" must be letters, digits or _`)
    const name = Uint8Array.from(`${array.name}.npy`, (c) => c.charCodeAt(0))
    const data = encodeNpy(array)
    return { name, data, crc: crc32(data), offset: 0 }
  })
  const localSize = entries.reduce((sum, e) => sum + 30 + e.name.length + e.data.length, 0)
  const centralSize = entries.reduce((sum, e) => sum + 46 + e.name.length, 0)
  const out = new Uint8Array(localSize + centralSize + 22)
  const view = new DataView(out.buffer)
  let at = 0
  const u16 = (value: number) => {
    view.setUint16(at, value, true)
    at += 2
  }
  const u32 = (value: number) => {
    view.setUint32(at, value, true)
    at += 4
  }
  const DOS_DATE_1980_01_01 = 0x0021

  for (const entry of entries) {
    entry.offset = at
    u32(0x04034b50) // local file header signature
    u16(20) // version needed to extract (2.0)
    u16(0) // flags
    u16(0) // method: stored
    u16(0) // time
    u16(DOS_DATE_1980_01_01)
    u32(entry.crc)
    u32(entry.data.length) // compressed size
    u32(entry.data.length) // uncompressed size
    u16(entry.name.length)
    u16(0) // extra field length
    out.set(entry.name, at)
    at += entry.name.length
    out.set(entry.data, at)
    at += entry.data.length
  }
  const centralStart = at
  for (const entry of entries) {
    u32(0x02014b50) // central directory header signature
    u16(20) // version made by
    u16(20) // version needed
    u16(0) // flags
    u16(0) // method
    u16(0) // time
    u16(DOS_DATE_1980_01_01)
    u32(entry.crc)
    u32(entry.data.length)
    u32(entry.data.length)
    u16(entry.name.length)
    u16(0) // extra
    u16(0) // comment
    u16(0) // disk number
    u16(0) // internal attributes
    u32(0) // external attributes
    u32(entry.offset)
    out.set(entry.name, at)
    at += entry.name.length
  }
  const centralBytes = at - centralStart
  u32(0x06054b50) // end of central directory signature
  u16(0) // this disk
  u16(0) // disk with the central directory
  u16(entries.length)
  u16(entries.length)
  u32(centralBytes)
  u32(centralStart)
  u16(0) // comment length
  return out
}
