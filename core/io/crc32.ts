// CRC-32 (the zip/PNG polynomial), to notice damaged or edited parameter data in model files.
// NOTE: kept in core although the .npz zip now takes its CRCs from a library (electron/files/npz.ts):
// the model file's format (serialize, parse, validate) belongs to the pure engine, which imports no
// package, so that any caller (worker, CLI, a browser) reads models the same way. A dozen lines of
// table-driven CRC are cheaper than a dependency of core's; test/electron/npz.test.ts checks them
// against the library's.

const TABLE = (() => {
  const table = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    table[n] = c >>> 0
  }
  return table
})()

/** Running CRC-32: start from 0, feed chunks in order; the result of the last call is the checksum. */
export function crc32(bytes: Uint8Array, previous = 0): number {
  let c = (previous ^ 0xffffffff) >>> 0
  for (let i = 0; i < bytes.length; i++) c = TABLE[(c ^ bytes[i]) & 255] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}
