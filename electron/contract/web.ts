// Browser mode: the WebSocket between the page and the local server. JSON text; Float32Arrays and
// Uint8Arrays travel tagged (electron/web/wire.ts); a file a call carries (a model the user dropped)
// follows its call as one binary frame whose size the call announced.

import type { Outcome } from './errors'
import { MAX_MODEL_FILE_BYTES } from './model'
import type { TrainingEvent } from './training'
import type { ArgumentKind, StudioMethod } from './verbs'

/** Where the page opens its WebSocket (with ?token=…). */
export const WEB_SOCKET_PATH = '/studio'

/**
 * The verbs' file arguments, by kind, and what the verb takes: the file's text (UTF-8) or its bytes.
 * In a request such an argument is a WebUpload, and the file itself is the next frame, a binary one.
 */
export const WEB_UPLOADS = {
  modelText: 'text',
  onnxBytes: 'bytes'
} as const satisfies Partial<Record<ArgumentKind, 'text' | 'bytes'>>

/**
 * A file argument as its request announces it: the binary frame that follows is exactly `bytes` long.
 * So the size is known, and checked against MAX_WEB_UPLOAD_BYTES by the page (before sending) and by
 * the server (before the frame arrives), and the file travels as it is, not escaped into JSON text.
 */
export interface WebUpload {
  readonly $upload: { readonly bytes: number }
}

/** The most bytes of one file sent from a page: a model file (the host's limit for a window's file). */
export const MAX_WEB_UPLOAD_BYTES = MAX_MODEL_FILE_BYTES

/**
 * The largest text frame the page sends: calls without files are small (a config, 784 pixels, a
 * settings patch of at most a 1 MiB settings file, escaped), so 4 MiB leaves room and refuses the rest.
 */
export const MAX_WEB_TEXT_BYTES = 4 * 1024 * 1024

/**
 * The largest frame of any kind, which ws checks from the frame's header before buffering it: an upload.
 * NOTE: ws has one limit for every frame; text frames are held to MAX_WEB_TEXT_BYTES once received.
 */
export const MAX_WEB_MESSAGE_BYTES = Math.max(MAX_WEB_UPLOAD_BYTES, MAX_WEB_TEXT_BYTES)

/**
 * The most pages (sockets) browser mode serves at once. Each one costs the server a send buffer and a
 * copy of every event; a page beyond this is refused with WEB_CLOSE.tooManyPages and says why.
 */
export const MAX_WEB_SOCKETS = 100

/**
 * Close codes the page reads to say what happened (RFC 6455 §7.4.1). The server's own refusals come with
 * a reason text; the protocol errors are raised by the `ws` library, which sends the code alone.
 */
export const WEB_CLOSE = {
  /** ws: a frame broke the protocol (unmasked, reserved bits, bad opcode or close code). */
  protocolError: 1002,
  /** ours: a frame the studio did not ask for (a binary frame no call announced, or not its size). */
  unsupportedData: 1003,
  /** ws: a text frame that is not valid UTF-8. */
  invalidText: 1007,
  /** ours: the page did not read what the server sent it (see the server's slow-page limit). */
  policyViolation: 1008,
  /** ws: a frame over MAX_WEB_MESSAGE_BYTES; ours: a text frame or an announced upload over its limit. */
  messageTooBig: 1009,
  /** ours: MAX_WEB_SOCKETS pages are already connected. */
  tooManyPages: 1013
} as const

/** page → server: a StudioApi call named by its channel. */
export interface WebRequest {
  readonly id: number
  readonly method: StudioMethod
  readonly params: readonly unknown[]
}

/** server → page: a call's Outcome, or a pushed event. */
export type WebMessage =
  | ({ readonly type: 'reply'; readonly id: number } & Outcome<unknown>)
  | { readonly type: 'event'; readonly event: TrainingEvent }
