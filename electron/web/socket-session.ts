// One page's WebSocket: runs its StudioApi calls on the host and answers each (events reach every page
// through the SocketHub).

import type { RawData, WebSocket } from 'ws'
import { outcomeOf, WEB_CLOSE, type StudioApi } from '../contract'
import { dispatch } from '../host/dispatch'
import type { UntrustedCalls } from '../host/untrusted-calls'
import { parseWebRequest } from '../host/validation'
import type { SocketHub } from './socket-hub'
import { decodeWire } from './wire'

export type SocketStudio = UntrustedCalls & Pick<StudioApi, 'onTrainingEvent'>

export function serveStudioSocket(socket: WebSocket, studio: SocketStudio, hub: SocketHub): void {
  socket.on('message', (data: RawData, isBinary: boolean) => {
    if (isBinary) {
      socket.close(WEB_CLOSE.unsupportedData, 'text frames only')
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
    hub.reply(socket, { type: 'reply', id: idOf(raw), ...outcome })
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
