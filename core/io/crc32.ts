// CRC-32 (the zip/PNG polynomial), to notice damaged or edited parameter data in model and checkpoint
// files.
// NOTE: kept in core although the .npz zip now takes its CRCs from a library (electron/files/npz.ts):
// the model file's format (serialize, parse, validate) belongs to the pure engine, which imports no
// package, so that any caller (worker, CLI, a browser) reads models the same way. A few dozen lines of
// table-driven CRC are cheaper than a dependency of core's; test/core/io/crc32.test.ts checks the
// fast version against the reference and test/electron/npz.test.ts against the library's.

/** Reflected CRC-32 polynomial (x³² + x²⁶ + … + 1, bit-reversed). */
const POLYNOMIAL = 0xedb88320

/**
 * TABLES[0][b]: the CRC register after shifting byte b through 8 zero bits (the classic table).
 * TABLES[k][b] = TABLES[0][TABLES[k−1][b] & 255] ^ (TABLES[k−1][b] >>> 8): byte b followed by k zero
 * bytes. Slice-by-8 uses all eight (8 KB). Int32Array: the register stays a signed 32-bit integer
 * throughout (what V8 computes fastest), made unsigned only when returned.
 */
const TABLES = (() => {
  const tables = Array.from({ length: 8 }, () => new Int32Array(256))
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? POLYNOMIAL ^ (c >>> 1) : c >>> 1
    tables[0][n] = c
  }
  for (let k = 1; k < 8; k++)
    for (let n = 0; n < 256; n++)
      tables[k][n] = tables[0][tables[k - 1][n] & 255] ^ (tables[k - 1][n] >>> 8)
  return tables
})()

/** Whether typed arrays store their numbers little-endian here, as the CRC reads its words. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1

/**
 * The readable reference: one byte at a time, c ← T₀[(c ⊕ byte) & 255] ⊕ (c >>> 8).
 * Running like crc32: start from 0, feed chunks in order.
 */
export function crc32Reference(bytes: Uint8Array, previous = 0): number {
  let c = ~previous
  for (let i = 0; i < bytes.length; i++) c = TABLES[0][(c ^ bytes[i]) & 255] ^ (c >>> 8)
  return ~c >>> 0
}

/**
 * Running CRC-32: start from 0, feed chunks in order; the result of the last call is the checksum.
 * Slice-by-8, the same result as crc32Reference: eight bytes a round, read as two little-endian
 * words a, b. The register is xored into a; then each of the eight bytes contributes its table entry
 * for "this byte, then as many zero bytes as follow it in the round" (a's low byte is followed by 7:
 * T₇; b's high byte by none: T₀), and the xor of the eight is the register after the round:
 *
 *   a ← c ⊕ a;  c ← T₇[a₀] ⊕ T₆[a₁] ⊕ T₅[a₂] ⊕ T₄[a₃] ⊕ T₃[b₀] ⊕ T₂[b₁] ⊕ T₁[b₂] ⊕ T₀[b₃]
 *
 * Bytes before the first 4-aligned one, and after the last whole round, go one at a time.
 * PERF: about 3× the byte-wise loop under Node (docs/performance.md): the eight look-ups of a round do
 * not wait on each other, where the byte-wise loop waits on each look-up before the next, and a word
 * read (an Int32Array over the same memory) replaces four byte reads.
 */
export function crc32(bytes: Uint8Array, previous = 0): number {
  if (!LITTLE_ENDIAN) return crc32Reference(bytes, previous)
  const [t0, t1, t2, t3, t4, t5, t6, t7] = TABLES
  let c = ~previous
  let i = 0
  const head = Math.min(bytes.length, (4 - (bytes.byteOffset & 3)) & 3)
  for (; i < head; i++) c = t0[(c ^ bytes[i]) & 255] ^ (c >>> 8)
  const rounds = (bytes.length - head) >>> 3
  // NOTE: rounds is 0 when the bytes end before their first aligned word (no view at an odd offset).
  const words = rounds ? new Int32Array(bytes.buffer, bytes.byteOffset + head, rounds * 2) : []
  for (let w = 0; w < words.length; w += 2) {
    const a = c ^ words[w]
    const b = words[w + 1]
    c =
      t7[a & 255] ^
      t6[(a >>> 8) & 255] ^
      t5[(a >>> 16) & 255] ^
      t4[a >>> 24] ^
      t3[b & 255] ^
      t2[(b >>> 8) & 255] ^
      t1[(b >>> 16) & 255] ^
      t0[b >>> 24]
  }
  for (i += rounds * 8; i < bytes.length; i++) c = t0[(c ^ bytes[i]) & 255] ^ (c >>> 8)
  return ~c >>> 0
}
