// One page's WebSocket: runs its StudioApi calls on the host and answers each (events reach every page
// through the SocketHub). A call that carries a file announces it, and the file follows as one binary
// frame of the announced size (electron/web/wire-uploads.ts).

import type { RawData, WebSocket } from 'ws'
import {
  MAX_WEB_TEXT_BYTES,
  MAX_WEB_UPLOAD_BYTES,
  outcomeOf,
  WEB_CLOSE,
  type StudioApi
} from '../contract'
import { dispatch } from '../host/dispatch'
import type { UntrustedCalls } from '../host/untrusted-calls'
import { parseWebRequest } from '../host/validation'
import type { ServerLog, SocketHub } from './socket-hub'
import { decodeWire } from './wire'
import { findAnnouncement, withUpload, type Announced } from './wire-uploads'

export type SocketStudio = UntrustedCalls & Pick<StudioApi, 'onTrainingEvent'>

/** A call whose file is due: the next frame must be binary and exactly `announced.bytes` long. */
interface AwaitingFile {
  readonly request: unknown
  readonly announced: Announced
}

export function serveStudioSocket(
  socket: WebSocket,
  studio: SocketStudio,
  hub: SocketHub,
  log: ServerLog = (line) => console.error(line)
): void {
  let awaiting: AwaitingFile | null = null

  /** Closes this socket alone, with a reason the page shows (at most 123 bytes: RFC 6455 §5.5). */
  function refuse(code: number, reason: string): void {
    log(`browser mode: closed a page's socket: ${reason}`)
    awaiting = null
    socket.close(code, reason)
  }

  socket.on('message', (data: RawData, isBinary: boolean) => {
    if (socket.readyState !== socket.OPEN) return // refused already: the rest is not read
    const bytes = bufferOf(data)
    if (isBinary) {
      if (!awaiting) return refuse(WEB_CLOSE.unsupportedData, 'a file no call announced')
      const { request, announced } = awaiting
      awaiting = null
      if (bytes.byteLength !== announced.bytes) {
        return refuse(
          WEB_CLOSE.unsupportedData,
          `a file announced as ${announced.bytes} bytes was ${bytes.byteLength}`
        )
      }
      // NOTE: a copy that owns its memory: ws may hand out a slice of a larger buffer.
      void answer(() => withUpload(request, announced, new Uint8Array(bytes)))
      return
    }
    if (awaiting) return refuse(WEB_CLOSE.unsupportedData, 'a call where an announced file was due')
    if (bytes.byteLength > MAX_WEB_TEXT_BYTES) {
      return refuse(
        WEB_CLOSE.messageTooBig,
        `a call of ${megabytes(bytes.byteLength)} (calls are at most ${megabytes(MAX_WEB_TEXT_BYTES)})`
      )
    }
    let request: unknown
    try {
      request = decodeWire(bytes.toString('utf8'))
    } catch (error) {
      return void answer(() => {
        throw error
      })
    }
    const announced = findAnnouncement(request)
    if (announced === 'malformed')
      return refuse(WEB_CLOSE.unsupportedData, 'a call announcing a file it does not describe')
    if (announced === null) return void answer(() => request)
    // Refused before a byte of the file arrives: the page checks the same limit before sending.
    if (announced.bytes > MAX_WEB_UPLOAD_BYTES) {
      return refuse(
        WEB_CLOSE.messageTooBig,
        `a file of ${megabytes(announced.bytes)} (files are at most ${megabytes(MAX_WEB_UPLOAD_BYTES)})`
      )
    }
    awaiting = { request, announced }
  })

  /** Runs the call `request()` gives (untrusted until parsed) and replies, even to a malformed one. */
  async function answer(request: () => unknown): Promise<void> {
    let raw: unknown
    const outcome = await outcomeOf(() => {
      raw = request()
      const call = parseWebRequest(raw)
      return dispatch(studio, call.method, call.params)
    })
    // A malformed envelope still gets an answer when it has an id, so the caller is not left waiting.
    hub.reply(socket, { type: 'reply', id: idOf(raw), ...outcome })
  }
}

function idOf(raw: unknown): number {
  return typeof raw === 'object' && raw !== null && 'id' in raw && typeof raw.id === 'number'
    ? raw.id
    : -1
}

function bufferOf(data: RawData): Buffer {
  if (Array.isArray(data)) return Buffer.concat(data)
  return Buffer.isBuffer(data) ? data : Buffer.from(data)
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`
}
