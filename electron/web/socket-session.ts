// One page's WebSocket: runs its StudioApi calls on the host and pushes every TrainingEvent to it.

import type { RawData, WebSocket } from 'ws'
import { outcomeOf, type StudioApi, type WebMessage } from '../contract'
import { dispatch } from '../host/dispatch'
import type { UntrustedCalls } from '../host/untrusted-calls'
import { parseWebRequest } from '../host/validation'
import { decodeWire, encodeWire } from './wire'

export type SocketStudio = UntrustedCalls & Pick<StudioApi, 'onTrainingEvent'>

/**
 * Above this much unsent data the page is not keeping up; weight snapshots are then skipped (the next
 * one supersedes them), while metrics and lifecycle events are always sent.
 */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024

export function serveStudioSocket(socket: WebSocket, studio: SocketStudio): void {
  const send = (message: WebMessage): void => {
    if (socket.readyState === socket.OPEN) socket.send(encodeWire(message))
  }
  const unsubscribe = studio.onTrainingEvent((event) => {
    if (event.type === 'weights' && socket.bufferedAmount > MAX_BUFFERED_BYTES) return
    send({ type: 'event', event })
  })
  socket.on('close', unsubscribe)
  socket.on('message', (data: RawData, isBinary: boolean) => {
    if (isBinary) {
      socket.close(1003, 'text frames only')
      return
    }
    void answer(rawText(data))
  })

  async function answer(text: string): Promise<void> {
    let raw: unknown
    const outcome = await outcomeOf(() => {
      raw = decodeWire(text)
      const request = parseWebRequest(raw)
      return dispatch(studio, request.method, request.params)
    })
    // A malformed envelope still gets an answer when it has an id, so the caller is not left waiting.
    send({ type: 'reply', id: idOf(raw), ...outcome })
  }
}

function idOf(raw: unknown): number {
  return typeof raw === 'object' && raw !== null && 'id' in raw && typeof raw.id === 'number'
    ? raw.id
    : -1
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8')
  return Buffer.from(data as ArrayBuffer).toString('utf8')
}
