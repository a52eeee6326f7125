// The encodings the fast engine's inputs take (core/wasm/kernels.wat): sparse rows of (index, value)
// pairs, built either once for a whole training set (encodedOffsets + FastNetwork.loadDataset) or per
// batch from raw bytes by the kernels, which need the compaction tables below.

import type { Dataset } from '../data/dataset'

/** The largest image the pre-encoded dataset holds (pixel indices are stored as u16). */
export const MAX_ENCODED_PIXELS = 65_536

/**
 * Where each image's nonzero pixels start in the encoded dataset: offsets[s] = Σ_{t<s} nonzeros(t),
 * count + 1 entries (the last is the total).
 */
export function encodedOffsets(dataset: Dataset): Uint32Array {
  const offsets = new Uint32Array(dataset.count + 1)
  const size = dataset.inputSize
  const pixels = dataset.pixels
  let total = 0
  for (let s = 0; s < dataset.count; s++) {
    offsets[s] = total
    const end = (s + 1) * size
    for (let i = s * size; i < end; i++) if (pixels[i] !== 0) total++
  }
  offsets[dataset.count] = total
  return offsets
}

/**
 * encode_u8's table: for each 8-bit mask, the positions of its set bits in ascending order, then 0x80
 * (a swizzle index that reads 0) in the unused slots. E.g. mask 0b0000_0110 → [1, 2, 0x80, …].
 */
export function byteCompactionTable(): Uint8Array {
  const table = new Uint8Array(256 * 8).fill(0x80)
  for (let mask = 0; mask < 256; mask++) {
    let k = 0
    for (let bit = 0; bit < 8; bit++) if (mask & (1 << bit)) table[mask * 8 + k++] = bit
  }
  return table
}

/**
 * encode_f32's table: for each 4-bit mask of nonzero float lanes, the byte swizzle that moves those
 * lanes (4 bytes each) to the front in order, 0x80 elsewhere.
 */
export function laneCompactionTable(): Uint8Array {
  const table = new Uint8Array(16 * 16).fill(0x80)
  for (let mask = 0; mask < 16; mask++) {
    let k = 0
    for (let lane = 0; lane < 4; lane++) {
      if (!(mask & (1 << lane))) continue
      for (let b = 0; b < 4; b++) table[mask * 16 + k * 4 + b] = lane * 4 + b
      k++
    }
  }
  return table
}
