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
