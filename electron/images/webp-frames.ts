// Animated WebP: cut the first frame out as a still WebP that a plain decoder accepts.

/** The first frame of an animated WebP, as a standalone still image, and where it sits on the canvas. */
export interface WebpFrame {
  readonly still: Uint8Array
  readonly x: number
  readonly y: number
  readonly canvasWidth: number
  readonly canvasHeight: number
}

/**
 * For an animated WebP (VP8X with the animation flag), the first ANMF frame repackaged as a still
 * WebP; null for a still image. ANMF payload: X/2, Y/2, width−1, height−1, duration (24 bits each),
 * a flags byte, then the frame's own chunks (optional ALPH, then VP8 or VP8L).
 * NOTE: libwebp's simple decoder refuses animations; browsers show the first frame, and so do we.
 */
export function firstWebpFrame(bytes: Uint8Array): WebpFrame | null {
  const text = (at: number): string => String.fromCharCode(...bytes.subarray(at, at + 4))
  const uint24 = (at: number): number => bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16)
  const uint32 = (at: number): number => (uint24(at) | (bytes[at + 3] << 24)) >>> 0
  if (bytes.length < 30 || text(12) !== 'VP8X' || (bytes[20] & 0x02) === 0) return null
  const canvasWidth = uint24(24) + 1
  const canvasHeight = uint24(27) + 1
  for (let p = 12; p + 8 <= bytes.length;) {
    const size = uint32(p + 4)
    if (text(p) === 'ANMF') {
      const body = p + 8
      const end = Math.min(bytes.length, body + size)
      const frameWidth = uint24(body + 6) + 1
      const frameHeight = uint24(body + 9) + 1
      const chunks: Uint8Array[] = []
      let hasAlpha = false
      for (let q = body + 16; q + 8 <= end;) {
        const chunkSize = uint32(q + 4)
        const name = text(q)
        if (name === 'ALPH' || name === 'VP8 ' || name === 'VP8L')
          chunks.push(bytes.subarray(q, Math.min(end, q + 8 + chunkSize + (chunkSize & 1))))
        if (name === 'ALPH') hasAlpha = true
        q += 8 + chunkSize + (chunkSize & 1)
      }
      if (hasAlpha) chunks.unshift(vp8xChunk(frameWidth, frameHeight))
      return {
        still: riff(chunks),
        x: uint24(body) * 2,
        y: uint24(body + 3) * 2,
        canvasWidth,
        canvasHeight
      }
    }
    p += 8 + size + (size & 1)
  }
  return null
}

/** A VP8X chunk declaring alpha (flag 0x10) and the given canvas size. */
function vp8xChunk(width: number, height: number): Uint8Array {
  const chunk = new Uint8Array(18)
  chunk.set([0x56, 0x50, 0x38, 0x58, 10, 0, 0, 0, 0x10])
  const w = width - 1
  const h = height - 1
  chunk.set(
    [w & 255, (w >> 8) & 255, (w >> 16) & 255, h & 255, (h >> 8) & 255, (h >> 16) & 255],
    12
  )
  return chunk
}

/** RIFF "WEBP" container around the given (already padded) chunks. */
function riff(chunks: Uint8Array[]): Uint8Array {
  const size = 4 + chunks.reduce((sum, c) => sum + c.length, 0)
  const out = new Uint8Array(8 + size)
  out.set([
    0x52,
    0x49,
    0x46,
    0x46,
    size & 255,
    (size >> 8) & 255,
    (size >> 16) & 255,
    (size >>> 24) & 255,
    0x57,
    0x45,
    0x42,
    0x50
  ])
  let p = 12
  for (const c of chunks) {
    out.set(c, p)
    p += c.length
  }
  return out
}
