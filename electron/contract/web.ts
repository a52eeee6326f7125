// Browser mode: the WebSocket between the page and the local server. JSON text; Float32Arrays and
// Uint8Arrays travel tagged (electron/web/wire.ts).

import type { Outcome } from './errors'
import { MAX_MODEL_FILE_BYTES } from './model'
import type { TrainingEvent } from './training'
import type { StudioMethod } from './verbs'

/** Where the page opens its WebSocket (with ?token=…). */
export const WEB_SOCKET_PATH = '/studio'

/**
 * The largest frame either side sends. Most requests are small (a config, one 784-pixel image), but
 * importModel carries a whole model file of up to MAX_MODEL_FILE_BYTES; the margin covers the JSON
 * envelope and escaping of its header. NOTE: one limit for every frame, because ws checks the size
 * before anything is parsed.
 */
export const MAX_WEB_MESSAGE_BYTES = MAX_MODEL_FILE_BYTES + 6 * 1024 * 1024

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
  /** ours: a frame of a kind the studio does not take (binary, today). */
  unsupportedData: 1003,
  /** ws: a text frame that is not valid UTF-8. */
  invalidText: 1007,
  /** ours: the page did not read what the server sent it (see the server's slow-page limit). */
  policyViolation: 1008,
  /** ws: a message over MAX_WEB_MESSAGE_BYTES. */
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
