// How much memory jpeg-js will take for a JPEG, known from its frame header before anything is
// decoded, so that a JPEG too large for the budget is refused at once, not after gigabytes.

import { findJpegFrame } from '../../core'

/**
 * What jpeg-js may allocate for one JPEG, by its own count (which it also enforces, as a backstop).
 * NOTE: jpeg-js keeps every 8×8 block as its own Int32Array: 256 bytes plus ~50% of object overhead
 * in resident memory (measured: 558 MB resident for 369 MB counted). 640 MB counted keeps a whole
 * `npm run predict` under ~1.5 GB (README, "Image limits").
 */
export const JPEG_DECODER_BUDGET_MB = 640

/**
 * jpeg-js's count for this JPEG, as it computes it: per component, its coefficient blocks (whole MCUs,
 * 64 Int32 each) and its decoded lines (one byte per sample), then the interleaved samples and the
 * RGBA output. About 22 bytes per pixel without chroma subsampling (4:4:4), 14.5 with 4:2:0.
 */
export function jpegDecoderBytes(bytes: Uint8Array): number {
  const p = findJpegFrame(bytes)
  const height = (bytes[p + 5] << 8) | bytes[p + 6]
  const width = (bytes[p + 7] << 8) | bytes[p + 8]
  const count = bytes[p + 9]
  const sampling = Array.from({ length: count }, (_, i) => {
    const factors = bytes[p + 11 + 3 * i]
    return { h: Math.max(1, factors >> 4), v: Math.max(1, factors & 15) }
  })
  const maxH = Math.max(1, ...sampling.map((s) => s.h))
  const maxV = Math.max(1, ...sampling.map((s) => s.v))
  const mcusPerLine = Math.ceil(width / 8 / maxH)
  const mcusPerColumn = Math.ceil(height / 8 / maxV)
  let total = width * height * (count + 4)
  for (const { h, v } of sampling) {
    const blocksPerLine = Math.ceil((Math.ceil(width / 8) * h) / maxH)
    const blocksPerColumn = Math.ceil((Math.ceil(height / 8) * v) / maxV)
    total += mcusPerColumn * v * mcusPerLine * h * 256
    total += blocksPerLine * 8 * blocksPerColumn * 8
  }
  return total
}

/** Why this JPEG is refused, or null when it fits the budget. */
export function jpegOverBudget(bytes: Uint8Array, width: number, height: number): string | null {
  const needed = jpegDecoderBytes(bytes) / 2 ** 20
  if (needed <= JPEG_DECODER_BUDGET_MB) return null
  return (
    `the JPEG is ${width}×${height} pixels: decoding it would take ${Math.ceil(needed)} MB, more than ` +
    `the ${JPEG_DECODER_BUDGET_MB} MB a JPEG may use (about ${Math.floor(JPEG_DECODER_BUDGET_MB / 22)} ` +
    `megapixels, ${Math.floor(JPEG_DECODER_BUDGET_MB / 14.5)} with the usual colour subsampling); scale it down first`
  )
}
