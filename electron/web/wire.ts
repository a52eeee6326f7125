// The browser-mode wire format: JSON text in which Float32Arrays travel as tagged base64.
// Pure (core only, no Node, no DOM): the server and the page's client both use it.

import { decodeBase64, encodeBase64 } from '../../core'
import type { WebMessage, WebRequest } from '../contract'

/** `{ "$float32": "<base64 of the little-endian bytes>" }` stands for a Float32Array. */
const FLOAT32_TAG = '$float32'

/** JSON text for a request or a server message; typed arrays become tagged base64 (JSON has none). */
export function encodeWire(message: WebRequest | WebMessage): string {
  return JSON.stringify(message, (_key, value: unknown) => {
    if (!(value instanceof Float32Array)) return value
    return { [FLOAT32_TAG]: encodeBase64(new Uint8Array(value.buffer, value.byteOffset, value.byteLength)) }
  })
}

/**
 * Parses wire JSON, turning tagged base64 back into Float32Arrays. Throws SyntaxError on bad JSON.
 * The result is untrusted: a malformed tag is left as it is, for validation to reject.
 * NOTE: both ends run on the same machine, so the bytes' endianness always matches.
 */
export function decodeWire(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return value
    const keys = Object.keys(value)
    const encoded = (value as Record<string, unknown>)[FLOAT32_TAG]
    if (keys.length !== 1 || typeof encoded !== 'string') return value
    const bytes = decodeBase64(encoded)
    if (!bytes || bytes.length % Float32Array.BYTES_PER_ELEMENT !== 0) return value
    return new Float32Array(new Uint8Array(bytes).buffer) // a copy: aligned, and owning its buffer
  })
}
