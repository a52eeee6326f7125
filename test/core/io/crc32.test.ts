// CRC-32 (core/io/crc32.ts): the slice-by-8 version gives the byte-wise reference's checksum for every
// length, alignment and chunking, and both agree with the zip library's.

import { zipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import { crc32, crc32Reference } from '../../../core'
import { createRng } from '../../../core/random'

/** `length` pseudo-random bytes (seeded: the same bytes every run). */
function randomBytes(length: number, seed: number): Uint8Array {
  const random = createRng(seed)
  return Uint8Array.from({ length }, () => Math.floor(random() * 256))
}

/** The CRC-32 a stored zip (fflate) writes for `bytes`: the local header's field at offset 14. */
function zipCrc(bytes: Uint8Array): number {
  const zip = zipSync({ x: bytes }, { level: 0 })
  return new DataView(zip.buffer, zip.byteOffset).getUint32(14, true)
}

describe('crc32', () => {
  it('gives the standard check values', () => {
    const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0))
    expect(crc32(new Uint8Array(0))).toBe(0)
    expect(crc32(ascii('123456789'))).toBe(0xcbf43926) // the CRC-32 catalogue's check value
    expect(crc32Reference(ascii('123456789'))).toBe(0xcbf43926)
    expect(crc32(ascii('The quick brown fox jumps over the lazy dog'))).toBe(0x414fa339)
  })

  it('agrees with the byte-wise reference for every length 0 … 80 and any alignment', () => {
    const bytes = randomBytes(100, 7)
    for (let offset = 0; offset < 8; offset++)
      for (let length = 0; length + offset <= 88; length++) {
        const slice = bytes.subarray(offset, offset + length)
        expect(crc32(slice)).toBe(crc32Reference(slice))
      }
  })

  it('runs over chunks as over the whole, whatever the chunk sizes', () => {
    const bytes = randomBytes(10_000, 11)
    const whole = crc32Reference(bytes)
    let running = 0
    for (let at = 0, size = 1; at < bytes.length; at += size, size = (size * 7 + 3) % 61)
      running = crc32(bytes.subarray(at, at + size), running)
    expect(running).toBe(whole)
    expect(crc32Reference(bytes.subarray(5000), crc32(bytes.subarray(0, 5000)))).toBe(whole)
  })

  it('agrees with the zip library’s checksum', () => {
    for (const [length, seed] of [
      [1, 1],
      [7, 2],
      [8, 3],
      [4099, 4],
      [65_537, 5]
    ]) {
      const bytes = randomBytes(length, seed)
      expect(crc32(bytes)).toBe(zipCrc(bytes))
      expect(crc32Reference(bytes)).toBe(zipCrc(bytes))
    }
    expect(crc32(new Uint8Array(1000).fill(0xff))).toBe(zipCrc(new Uint8Array(1000).fill(0xff)))
  })
})
