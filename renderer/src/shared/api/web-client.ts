// Browser mode's StudioApi: calls and pushed TrainingEvents over one WebSocket to the local server.

import {
  eachVerb,
  MAX_WEB_TEXT_BYTES,
  MAX_WEB_UPLOAD_BYTES,
  STUDIO_VERBS,
  WEB_SOCKET_PATH,
  type Outcome,
  type StudioApi,
  type StudioBridge,
  type StudioEvents,
  type ArgumentSpec,
  type StudioMethod,
  type TrainingEvent,
  type WebMessage,
  type WebRequest
} from '../../../../electron/contract'
import { decodeWire, encodeWire } from '../../../../electron/web/wire'
import { announceUploads } from '../../../../electron/web/wire-uploads'
import { explainSocketClose } from './socket-close'
import { studioApiFrom } from './studio-api'

/** The parts of `window.location` the client reads (a real Location fits; so does a test's object). */
export interface PageLocation {
  readonly protocol: string
  readonly host: string
  readonly search: string
}

export interface WebStudioOptions {
  /** Opens the socket. Tests pass one from the `ws` package (Node 20 has no global WebSocket). */
  readonly createSocket?: (url: string) => WebSocket
  /** Waits between reconnection attempts; the last one repeats. */
  readonly reconnectDelaysMs?: readonly number[]
}

type Listener = (event: TrainingEvent) => void

type Pending = (outcome: Outcome<unknown>) => void

const SOCKET_OPEN = 1
const RECONNECT_DELAYS_MS = [500, 1000, 2000, 5000]

/** The StudioApi of the page this server sent: it reads the token from `?token=…` in the page URL. */
export function connectWebStudio(
  location: PageLocation,
  options: WebStudioOptions = {}
): StudioApi {
  const token = new URLSearchParams(location.search).get('token')
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:'
  // Without ?token the server may still accept the session cookie set when the tokened page loaded.
  const query = token === null ? '' : `?token=${encodeURIComponent(token)}`
  const client = new WebStudioClient(
    `${scheme}//${location.host}${WEB_SOCKET_PATH}${query}`,
    options
  )
  return studioApiFrom(webBridge(client))
}

/**
 * StudioBridge over the socket: each verb sent as its channel (a file argument as a binary frame after
 * it); only training events are pushed.
 */
function webBridge(client: WebStudioClient): StudioBridge {
  const calls = eachVerb<Omit<StudioBridge, keyof StudioEvents>>((verb) => {
    const { channel, args: kinds } = STUDIO_VERBS[verb]
    return (...args: unknown[]) => client.call(channel, withoutTrailingUndefined(args), kinds)
  })
  return {
    ...calls,
    onTrainingEvent: (listener) => client.subscribe(listener),
    // Browser mode has no application menu (and no native Open dialogs): nothing ever fires.
    onMenuCommand: () => () => undefined,
    onOpenedFiles: () => () => undefined
  }
}

/** NOTE: JSON turns an `undefined` in a list into null, which no optional argument accepts. */
function withoutTrailingUndefined(args: readonly unknown[]): readonly unknown[] {
  let end = args.length
  while (end > 0 && args[end - 1] === undefined) end--
  return args.slice(0, end)
}

/**
 * One socket, re-opened with backoff when it drops. Calls made while it is (re)connecting wait in a
 * queue; when a connection attempt fails or an open one drops, every waiting call fails with a clear
 * 'unreachable' error rather than being left hanging.
 */
class WebStudioClient {
  private socket: WebSocket | null = null
  private readonly waiting = new Map<number, Pending>()
  /** Frames waiting for the socket to open: each request, then the files it announced. */
  private queued: (string | Uint8Array)[] = []
  private readonly listeners = new Set<Listener>()
  private nextId = 1
  private failedAttempts = 0
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null

  constructor(
    private readonly url: string,
    private readonly options: WebStudioOptions
  ) {
    this.connect()
  }

  /**
   * Sends one call (its file arguments, by the verb's argument `kinds`, as binary frames after it);
   * resolves with its Outcome, whatever happens to the connection.
   */
  call(
    method: StudioMethod,
    params: readonly unknown[],
    kinds: readonly ArgumentSpec[] = []
  ): Promise<Outcome<unknown>> {
    return new Promise((resolve) => {
      const { params: announced, files } = announceUploads(params, kinds)
      const request: WebRequest = { id: this.nextId++, method, params: announced }
      const text = encodeWire(request)
      const tooLarge = sizeProblem(text, files)
      // Refused here: the server closes a socket whose frame is over its limit, which reads as a lost connection.
      if (tooLarge) return resolve({ ok: false, code: 'invalid-request', message: tooLarge })
      this.waiting.set(request.id, resolve)
      // NOTE: one socket keeps frames in order, so a file always follows the call that announced it.
      if (this.socket?.readyState === SOCKET_OPEN)
        for (const frame of [text, ...files]) this.socket.send(frame)
      else {
        this.queued.push(text, ...files)
        this.connectNow()
      }
    })
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener)
    return () => {
      this.listeners.delete(listener)
    }
  }

  private connect(): void {
    this.reconnectTimer = null
    const socket = (this.options.createSocket ?? ((url: string) => new WebSocket(url)))(this.url)
    this.socket = socket
    let opened = false
    socket.onopen = () => {
      opened = true
      this.failedAttempts = 0
      for (const frame of this.queued.splice(0)) socket.send(frame)
    }
    socket.onmessage = (event: MessageEvent) => this.receive(String(event.data))
    // An 'error' is always followed by 'close', which does the work.
    socket.onerror = () => undefined
    socket.onclose = (event: CloseEvent) => {
      if (this.socket !== socket) return
      this.socket = null
      this.dropped(opened, explainSocketClose(event.code, event.reason))
    }
  }

  /** A call arrived while disconnected and waiting to retry: retry now instead of after the backoff. */
  private connectNow(): void {
    if (this.socket || this.reconnectTimer === null) return
    clearTimeout(this.reconnectTimer)
    this.connect()
  }

  /** `why`: the server's reason for closing, when it closed on purpose (socket-close.ts). */
  private dropped(wasOpen: boolean, why: string | null): void {
    const message =
      why ??
      (wasOpen
        ? 'Lost the connection to Backprop Studio. Is `npm run web` still running? Reconnecting…'
        : 'Cannot connect to Backprop Studio. Is `npm run web` still running, and was this page opened ' +
          'from the link it printed (with ?token=…)?')
    this.queued = []
    for (const settle of this.waiting.values()) settle({ ok: false, code: 'unreachable', message })
    this.waiting.clear()
    // A run's events stop arriving: say so where the learner is looking, not only in the console.
    if (wasOpen) this.deliver({ type: 'failed', message, step: null })
    const delays = this.options.reconnectDelaysMs ?? RECONNECT_DELAYS_MS
    const delay = delays[Math.min(this.failedAttempts, delays.length - 1)]
    this.failedAttempts++
    this.reconnectTimer = setTimeout(() => this.connect(), delay)
  }

  private receive(text: string): void {
    const message = decodeWire(text) as WebMessage
    if (message.type === 'event') {
      this.deliver(message.event)
      return
    }
    const settle = this.waiting.get(message.id)
    if (!settle) return
    this.waiting.delete(message.id)
    const { type: _type, id: _id, ...outcome } = message
    settle(outcome)
  }

  private deliver(event: TrainingEvent): void {
    for (const listener of this.listeners) listener(event)
  }
}

/** Why a request cannot be sent (its text or a file over the server's limits), or null. */
function sizeProblem(text: string, files: readonly Uint8Array[]): string | null {
  const megabytes = (n: number): string => `${(n / (1024 * 1024)).toFixed(1)} MB`
  for (const file of files) {
    if (file.byteLength > MAX_WEB_UPLOAD_BYTES)
      return `the file is ${megabytes(file.byteLength)}; browser mode takes files of at most ${megabytes(MAX_WEB_UPLOAD_BYTES)}`
  }
  // PERF: a UTF-8 byte is at most 3 per UTF-16 unit here, so only a long text needs measuring.
  if (text.length * 3 <= MAX_WEB_TEXT_BYTES) return null
  const bytes = new TextEncoder().encode(text).length
  if (bytes <= MAX_WEB_TEXT_BYTES) return null
  return `this request is ${megabytes(bytes)}; browser mode sends at most ${megabytes(MAX_WEB_TEXT_BYTES)} at once`
}
