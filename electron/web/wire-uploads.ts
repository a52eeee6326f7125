// Files in browser-mode calls: a request's file argument travels as the binary frame after it, announced
// in the request by its size (WebUpload, electron/contract/web.ts). Pure: the page's client and the
// server both use it.

import { WEB_UPLOADS, type ArgumentSpec, type WebUpload } from '../contract'

/** What the verb takes: the file's UTF-8 text (a model file) or its bytes (an ONNX file). */
export type UploadForm = 'text' | 'bytes'

/** An announced file: the argument it stands for, its size, and the form the verb takes it in. */
export interface Announced {
  readonly index: number
  readonly bytes: number
  readonly as: UploadForm
}

/** The announcement as it travels: WebUpload with the form, so the server needs no verb table. */
type WireUpload = WebUpload & { readonly $upload: { readonly as: UploadForm } }

/**
 * The request's params with each file argument (by the verb's argument kinds) replaced by its
 * announcement, and the files' bytes, in order: the frames to send after the request.
 */
export function announceUploads(
  params: readonly unknown[],
  kinds: readonly ArgumentSpec[]
): { params: unknown[]; files: Uint8Array[] } {
  const files: Uint8Array[] = []
  const announced = params.map((param, i) => {
    const kind = kinds[i]?.replace(/\?$/, '')
    const as: UploadForm | undefined = WEB_UPLOADS[kind as keyof typeof WEB_UPLOADS]
    // NOTE: a value of the wrong type stays in the JSON, for the host's validation to refuse.
    const bytes =
      as === 'text' && typeof param === 'string'
        ? new TextEncoder().encode(param)
        : as === 'bytes' && param instanceof Uint8Array
          ? param
          : null
    if (!as || !bytes) return param
    files.push(bytes)
    return { $upload: { bytes: bytes.byteLength, as } } satisfies WireUpload
  })
  return { params: announced, files }
}

/**
 * The file a parsed (untrusted) request announces: null when it announces none, 'malformed' when the
 * announcement is not one file of a whole number of bytes in a known form.
 */
export function findAnnouncement(request: unknown): Announced | null | 'malformed' {
  const params =
    typeof request === 'object' && request !== null && 'params' in request ? request.params : null
  if (!Array.isArray(params)) return null
  const found: Announced[] = []
  for (let index = 0; index < params.length; index++) {
    const param: unknown = params[index]
    if (typeof param !== 'object' || param === null || !('$upload' in param)) continue
    const upload = param.$upload as { bytes?: unknown; as?: unknown } | null
    const { bytes, as } = upload ?? {}
    if (!Number.isSafeInteger(bytes) || (bytes as number) < 0 || (as !== 'text' && as !== 'bytes'))
      return 'malformed'
    found.push({ index, bytes: bytes as number, as })
  }
  if (found.length > 1) return 'malformed'
  return found[0] ?? null
}

/** The request with the announced argument replaced by the file that arrived, in the verb's form. */
export function withUpload(request: unknown, announced: Announced, file: Uint8Array): unknown {
  const { params } = request as { params: unknown[] }
  const value = announced.as === 'text' ? new TextDecoder().decode(file) : file
  return {
    ...(request as object),
    params: params.map((p, i) => (i === announced.index ? value : p))
  }
}
