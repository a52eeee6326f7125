// The browser-mode wire format: JSON text in which Float32Arrays and Uint8Arrays travel as tagged base64.
// Pure (core only, no Node, no DOM): the server and the page's client both use it.

import { decodeBase64, encodeBase64 } from '../../core'
import type { WebMessage, WebRequest } from '../contract'

/** `{ "$float32": "<base64 of the little-endian bytes>" }` stands for a Float32Array. */
const FLOAT32_TAG = '$float32'
/** `{ "$uint8": "<base64>" }` stands for a Uint8Array (test-image pixels, .npz file bytes). */
const UINT8_TAG = '$uint8'

/** Bytes → base64 text. */
export type Base64Encoder = (bytes: Uint8Array) => string

/**
 * JSON text for a request or a server message; typed arrays become tagged base64 (JSON has none).
 * `base64`: core's portable encoder by default; the server passes Node's native one (socket-hub.ts).
 */
export function encodeWire(
  message: WebRequest | WebMessage,
  base64: Base64Encoder = encodeBase64
): string {
  return JSON.stringify(
    message,
    function (this: Record<string, unknown>, key: string, value: unknown) {
      // NOTE: the holder's own value, not `value`: JSON.stringify has already applied toJSON (Node's
      // Buffer, a Uint8Array, turns itself into {type, data} that way).
      const raw = key === '' ? value : this[key]
      if (raw instanceof Float32Array) return { [FLOAT32_TAG]: base64(bytesOf(raw)) }
      if (raw instanceof Uint8Array) return { [UINT8_TAG]: base64(raw) }
      return value
    }
  )
}

/**
 * Parses wire JSON, turning tagged base64 back into typed arrays. Throws SyntaxError on bad JSON.
 * The result is untrusted: a malformed tag is left as it is, for validation to reject.
 * NOTE: both ends run on the same machine, so the bytes' endianness always matches.
 */
export function decodeWire(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return value
    const keys = Object.keys(value)
    if (keys.length !== 1) return value
    const encoded = (value as Record<string, unknown>)[keys[0]]
    if (typeof encoded !== 'string' || (keys[0] !== FLOAT32_TAG && keys[0] !== UINT8_TAG))
      return value
    const bytes = decodeBase64(encoded)
    if (!bytes) return value
    if (keys[0] === UINT8_TAG) return new Uint8Array(bytes) // a copy that owns its buffer
    if (bytes.length % Float32Array.BYTES_PER_ELEMENT !== 0) return value
    return new Float32Array(new Uint8Array(bytes).buffer) // a copy: aligned, and owning its buffer
  })
}

function bytesOf(array: Float32Array): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength)
}
