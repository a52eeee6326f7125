// The .npz container (electron/files/npz.ts): a stored zip of .npy entries, read back field by field.
// numpy itself reads our files in npz-numpy.test.ts.

import { describe, expect, it } from 'vitest'
import { crc32, encodeNpy, type NpyArray } from '../../core'
import { encodeNpz } from '../../electron/files/npz'

const ascii = (bytes: Uint8Array) => String.fromCharCode(...bytes)

/** The local file headers of a zip, in order: name, method, DOS date, CRC-32 and the stored bytes. */
function localEntries(zip: Uint8Array) {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength)
  const entries = []
  let at = 0
  while (view.getUint32(at, true) === 0x04034b50) {
    const size = view.getUint32(at + 18, true)
    const nameLength = view.getUint16(at + 26, true)
    const extraLength = view.getUint16(at + 28, true)
    const start = at + 30 + nameLength + extraLength
    entries.push({
      name: ascii(zip.subarray(at + 30, at + 30 + nameLength)),
      method: view.getUint16(at + 8, true),
      dosDate: view.getUint16(at + 12, true),
      crc: view.getUint32(at + 14, true),
      uncompressedSize: view.getUint32(at + 22, true),
      bytes: zip.subarray(start, start + size)
    })
    at = start + size
  }
  return entries
}

describe('.npz encoding', () => {
  const arrays: NpyArray[] = [
    { name: 'a', text: 'x' },
    { name: 'b', shape: [1], data: Float32Array.of(3) }
  ]

  it('archives entries as a stored zip with a central directory (what np.load expects)', () => {
    const zip = encodeNpz(arrays)
    const view = new DataView(zip.buffer)
    expect(view.getUint32(0, true)).toBe(0x04034b50)
    const end = zip.length - 22
    expect(view.getUint32(end, true)).toBe(0x06054b50)
    expect(view.getUint16(end + 10, true)).toBe(2) // entries
    const centralSize = view.getUint32(end + 12, true)
    const centralOffset = view.getUint32(end + 16, true)
    expect(centralOffset + centralSize).toBe(end)
    expect(view.getUint32(centralOffset, true)).toBe(0x02014b50)
    expect(encodeNpz([{ name: 'a', text: 'x' }])).toEqual(encodeNpz([{ name: 'a', text: 'x' }])) // reproducible bytes
  })

  it('stores each array’s .npy bytes unchanged, in order, with their CRC-32 and a fixed 1980-01-01 date', () => {
    const entries = localEntries(encodeNpz(arrays))
    expect(entries.map((e) => e.name)).toEqual(['a.npy', 'b.npy'])
    entries.forEach((entry, i) => {
      const npy = encodeNpy(arrays[i])
      expect(entry.method).toBe(0) // stored, as np.savez writes
      expect(entry.dosDate).toBe((0 << 9) | (1 << 5) | 1) // year 1980 + 0, January, day 1
      expect(entry.uncompressedSize).toBe(npy.length)
      expect(entry.bytes).toEqual(npy)
      expect(entry.crc).toBe(crc32(npy)) // the library's checksum agrees with core's own
    })
  })

  it('refuses unsafe and repeated names', () => {
    expect(() => encodeNpz([{ name: '../evil', text: 'x' }])).toThrow(
      /must be letters, digits or _/
    )
    expect(() =>
      encodeNpz([
        { name: 'W1', text: 'x' },
        { name: 'W1', text: 'y' }
      ])
    ).toThrow(/two arrays are named "W1"/)
  })
})
