// Every open page's socket as one audience: each event is encoded once and the same bytes go to all of
// them; a page that stops reading is dropped; beyond MAX_WEB_SOCKETS a new page is refused; a socket
// that breaks the protocol is closed and logged, and never takes the server down.

import type { WebSocket } from 'ws'
import { MAX_WEB_SOCKETS, WEB_CLOSE, type StudioApi, type WebMessage } from '../contract'
import { encodeWire } from './wire'

export interface SocketHubLimits {
  /** Pages served at once; the next is refused. */
  readonly maxSockets: number
  /**
   * Unsent bytes above which a page is behind: weight snapshots are skipped for it (the next one
   * supersedes them), while metrics, lifecycle events and replies are still queued.
   */
  readonly behindBytes: number
  /** A page still behind after this long is not reading at all: it is dropped. */
  readonly stalledMs: number
}

/**
 * NOTE: 8 MB is ~15 snapshots of a 128×784 layer (535 KB of base64 each). On 127.0.0.1 even the largest
 * reply (a 64 MB model file) drains in well under a second, so 10 s behind means the page has stopped
 * reading (a frozen tab, a script that never reads), not that it is slow.
 */
export const DEFAULT_SOCKET_LIMITS: SocketHubLimits = {
  maxSockets: MAX_WEB_SOCKETS,
  behindBytes: 8 * 1024 * 1024,
  stalledMs: 10_000
}

/** Where the hub says why it closed a socket (the server's stderr). */
export type ServerLog = (line: string) => void

type Standing = 'keeping-up' | 'behind' | 'dropped'

export class SocketHub {
  /** Each page's socket → since when (performance.now()) it has been behind, or null. */
  private readonly members = new Map<WebSocket, number | null>()
  private readonly unsubscribe: () => void

  constructor(
    studio: Pick<StudioApi, 'onTrainingEvent'>,
    private readonly limits: SocketHubLimits = DEFAULT_SOCKET_LIMITS,
    private readonly log: ServerLog = (line) => console.error(line)
  ) {
    // PERF: one subscription for all pages: a 128×784 snapshot is encoded once, not once per socket.
    this.unsubscribe = studio.onTrainingEvent((event) => {
      const members = [...this.members.keys()]
      if (members.length === 0) return
      const bytes = encoded({ type: 'event', event })
      for (const socket of members) {
        const standing = this.standingOf(socket)
        if (standing === 'keeping-up' || (standing === 'behind' && event.type !== 'weights'))
          sendText(socket, bytes)
      }
    })
  }

  get size(): number {
    return this.members.size
  }

  /** Takes a new page's socket, or refuses it (closed with WEB_CLOSE.tooManyPages). */
  admit(socket: WebSocket): boolean {
    // NOTE: without a listener, ws's 'error' (a frame that breaks the protocol, a message over
    // maxPayload) is an uncaught exception that ends the process. ws has already sent the close
    // frame with the code the page reads (WEB_CLOSE); this only says why, and carries on.
    socket.on('error', (error) =>
      this.log(`browser mode: closed a page's socket: ${error.message}`)
    )
    if (this.members.size >= this.limits.maxSockets) {
      this.log(`browser mode: refused a page: ${this.limits.maxSockets} pages are already open`)
      socket.close(WEB_CLOSE.tooManyPages, tooManyPagesReason(this.limits.maxSockets))
      return false
    }
    this.members.set(socket, null)
    socket.on('close', () => this.members.delete(socket))
    return true
  }

  /** Sends a reply to one page, unless it has stopped reading (then it is dropped instead). */
  reply(socket: WebSocket, message: WebMessage): void {
    if (this.members.has(socket) && this.standingOf(socket) !== 'dropped')
      sendText(socket, encoded(message))
  }

  /** Stops listening for events and forgets every socket (the server closes them). */
  close(): void {
    this.unsubscribe()
    this.members.clear()
  }

  private standingOf(socket: WebSocket): Standing {
    if (socket.readyState !== socket.OPEN) return 'dropped'
    const buffered = socket.bufferedAmount
    if (buffered <= this.limits.behindBytes) {
      this.members.set(socket, null)
      return 'keeping-up'
    }
    const now = performance.now()
    const behindSince = this.members.get(socket) ?? now
    this.members.set(socket, behindSince)
    if (now - behindSince < this.limits.stalledMs) return 'behind'
    const megabytes = (buffered / (1024 * 1024)).toFixed(1)
    const seconds = this.limits.stalledMs / 1000
    this.log(
      `browser mode: dropped a page that read nothing for ${seconds} s (${megabytes} MB waiting to be sent)`
    )
    this.members.delete(socket)
    // NOTE: terminate, not close: a close frame would only join the queue the page is not reading.
    socket.terminate()
    return 'dropped'
  }
}

export function tooManyPagesReason(maxSockets: number): string {
  return `Backprop Studio already serves ${maxSockets} pages; close some tabs and reload this one`
}

/**
 * The wire text as UTF-8 bytes, once: ws then sends the same buffer to every socket without copying.
 * PERF: Node's native base64, not core's portable one: with core's, encoding the MLP's 128×784
 * snapshots kept the host's main thread busy enough (measured with --prof: encodeBase64 on top) that
 * page loads and calls went unanswered for over 10 s during a full-speed run on a loaded machine.
 */
function encoded(message: WebMessage): Buffer {
  return Buffer.from(encodeWire(message, nativeBase64), 'utf8')
}

const nativeBase64 = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')

function sendText(socket: WebSocket, bytes: Buffer): void {
  socket.send(bytes, { binary: false })
}
