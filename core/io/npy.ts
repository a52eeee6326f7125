// numpy's .npy format, as bytes: one array's header and values. np.load reads it with
// allow_pickle=False (only float32 and unicode arrays). The .npz zip around several of them is not
// the engine's business: electron/files/npz.ts packs them with a zip library.

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
