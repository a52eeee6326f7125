// Base64 for float32 parameters in model files. Written out because core/ has no Buffer and no btoa.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const DECODE = new Int16Array(128).fill(-1)
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i

/** Standard base64 (RFC 4648, with '=' padding). */
export function encodeBase64(bytes: Uint8Array): string {
  const chunks: string[] = []
  let line = ''
  for (let i = 0; i < bytes.length; i += 3) {
    const b0 = bytes[i]
    const b1 = i + 1 < bytes.length ? bytes[i + 1] : 0
    const b2 = i + 2 < bytes.length ? bytes[i + 2] : 0
    line += ALPHABET[b0 >> 2] + ALPHABET[((b0 & 3) << 4) | (b1 >> 4)]
    line += i + 1 < bytes.length ? ALPHABET[((b1 & 15) << 2) | (b2 >> 6)] : '='
    line += i + 2 < bytes.length ? ALPHABET[b2 & 63] : '='
    // PERF: flush every ~48 KB so the string is built from medium pieces, not 10⁵ tiny concatenations.
    if (line.length >= 65_536) {
      chunks.push(line)
      line = ''
    }
  }
  chunks.push(line)
  return chunks.join('')
}

/** Decodes standard base64; returns null if `text` is not valid base64. */
export function decodeBase64(text: string): Uint8Array | null {
  if (text.length % 4 !== 0) return null
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0
  const out = new Uint8Array((text.length / 4) * 3 - padding)
  let o = 0
  for (let i = 0; i < text.length; i += 4) {
    const isLast = i + 4 === text.length
    const c0 = sextet(text, i)
    const c1 = sextet(text, i + 1)
    const c2 = isLast && padding === 2 ? 0 : sextet(text, i + 2)
    const c3 = isLast && padding >= 1 ? 0 : sextet(text, i + 3)
    if (c0 < 0 || c1 < 0 || c2 < 0 || c3 < 0) return null
    const triple = (c0 << 18) | (c1 << 12) | (c2 << 6) | c3
    out[o++] = triple >> 16
    if (o < out.length) out[o++] = (triple >> 8) & 255
    if (o < out.length) out[o++] = triple & 255
  }
  return out
}

function sextet(text: string, i: number): number {
  const code = text.charCodeAt(i)
  return code < 128 ? DECODE[code] : -1
}

/** float32 values as little-endian bytes, whatever the machine's byte order. */
export function float32ToBytes(values: Float32Array): Uint8Array {
  const out = new Uint8Array(values.length * 4)
  const view = new DataView(out.buffer)
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true)
  return out
}

/** Little-endian bytes back to float32 values. `bytes.length` must be a multiple of 4. */
export function bytesToFloat32(bytes: Uint8Array): Float32Array {
  const out = new Float32Array(bytes.length / 4)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true)
  return out
}
