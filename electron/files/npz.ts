// numpy's .npz: a zip archive of `name.npy` entries. core/io/npy.ts writes each array's bytes; the zip
// container (local headers, CRC-32s, central directory) comes from fflate, a small, well-kept library.

import { zipSync, type Zippable } from 'fflate'
import { encodeNpy, modelToNumpyArrays, type NpyArray, type Sequential } from '../../core'

/**
 * Every entry's timestamp: the earliest a zip can hold, so the same arrays always give the same bytes.
 * NOTE: a local-time Date, because zip stores local (DOS) time and fflate reads the Date's local fields.
 */
const ZIP_EPOCH = new Date(1980, 0, 1)

/**
 * A .npz archive of the arrays, as np.savez writes it: one `name.npy` per array, stored (level 0, no
 * compression), in order. Names must be letters, digits or _ (no paths) and distinct.
 */
export function encodeNpz(arrays: readonly NpyArray[]): Uint8Array {
  const entries: Zippable = {}
  for (const array of arrays) {
    if (!/^[A-Za-z0-9_]+$/.test(array.name))
      throw new RangeError(`npz: array name "${array.name}" must be letters, digits or _`)
    const fileName = `${array.name}.npy`
    if (fileName in entries) throw new RangeError(`npz: two arrays are named "${array.name}"`)
    entries[fileName] = encodeNpy(array)
  }
  return zipSync(entries, { level: 0, mtime: ZIP_EPOCH })
}

/** The .npz file bytes for a model, named and shaped as in the original numpy project. */
export function exportModelNpz(model: Sequential): Uint8Array {
  return encodeNpz(modelToNumpyArrays(model))
}
