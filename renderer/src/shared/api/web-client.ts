// Browser mode's StudioApi: calls and pushed TrainingEvents over one WebSocket to the local server.

import {
  Channel,
  MAX_MODEL_FILE_BYTES,
  WEB_SOCKET_PATH,
  type BinaryFile,
  type CurrentRun,
  type EvaluationSummary,
  type GradientCheckReport,
  type ModelSummary,
  type Prediction,
  type RunRecord,
  type RunSummary,
  type SaliencyResult,
  type Settings,
  type StepThrough,
  type StudioApi,
  type StudioInfo,
  type StudioMethod,
  type TestImagePage,
  type TextFile,
  type TrainingEvent,
  type WeightSnapshot,
  type WebMessage,
  type WebRequest
} from '../../../../electron/contract'
import { decodeWire, encodeWire } from '../../../../electron/web/wire'

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

interface Pending {
  resolve(result: unknown): void
  reject(error: Error): void
}

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
  const call = <T>(method: StudioMethod, ...params: unknown[]): Promise<T> =>
    client.call(method, params) as Promise<T>
  const done = (): undefined => undefined
  return {
    getInfo: () => call<StudioInfo>(Channel.GetInfo),
    startTraining: (config, options) =>
      (options === undefined
        ? call(Channel.StartTraining, config)
        : call(Channel.StartTraining, config, options)
      ).then(done),
    controlTraining: (command) => call(Channel.ControlTraining, command).then(done),
    updateTraining: (update) => call(Channel.UpdateTraining, update).then(done),
    resetTraining: (config) => call(Channel.ResetTraining, config).then(done),
    predict: (pixels) => call<Prediction>(Channel.Predict, pixels),
    evaluateModel: () => call<EvaluationSummary>(Channel.EvaluateModel),
    queryTestImages: (query) => call<TestImagePage>(Channel.QueryTestImages, query),
    saliency: (request) => call<SaliencyResult>(Channel.Saliency, request),
    explainStep: (request) => call<StepThrough>(Channel.ExplainStep, request),
    checkGradients: (request) => call<GradientCheckReport>(Channel.CheckGradients, request),
    getModel: () => call<ModelSummary | null>(Channel.GetModel),
    getWeights: () => call<WeightSnapshot>(Channel.GetWeights),
    getCurrentRun: () => call<CurrentRun | null>(Channel.GetCurrentRun),
    exportModel: () => call<TextFile>(Channel.ExportModel),
    importModel: (text, fileName) =>
      // Refused here too: the server closes a socket whose frame is over its limit, which reads as a lost connection.
      text.length > MAX_MODEL_FILE_BYTES
        ? Promise.reject(new Error(`${fileName} is too large to be a model file`))
        : call<ModelSummary>(Channel.ImportModel, text, fileName),
    exportNpz: () => call<BinaryFile>(Channel.ExportNpz),
    listRuns: () => call<RunSummary[]>(Channel.ListRuns),
    getRun: (id) => call<RunRecord>(Channel.GetRun, id),
    renameRun: (id, name) => call(Channel.RenameRun, id, name).then(done),
    deleteRun: (id) => call(Channel.DeleteRun, id).then(done),
    exportRunCsv: (id) => call<TextFile>(Channel.ExportRunCsv, id),
    getSettings: () => call<Settings>(Channel.GetSettings),
    updateSettings: (patch) => call<Settings>(Channel.UpdateSettings, patch),
    onTrainingEvent: (listener) => client.subscribe(listener),
    // Browser mode has no application menu (and no native Open dialogs): nothing ever fires.
    onMenuCommand: () => () => undefined,
    onOpenedFiles: () => () => undefined
  } satisfies StudioApi
}

/**
 * One socket, re-opened with backoff when it drops. Calls made while it is (re)connecting wait in a
 * queue; when a connection attempt fails or an open one drops, every waiting call is rejected with a
 * clear error rather than left hanging.
 */
class WebStudioClient {
  private socket: WebSocket | null = null
  private readonly waiting = new Map<number, Pending>()
  private queued: WebRequest[] = []
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

  call(method: StudioMethod, params: readonly unknown[]): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const request: WebRequest = { id: this.nextId++, method, params }
      this.waiting.set(request.id, { resolve, reject })
      if (this.socket?.readyState === SOCKET_OPEN) this.socket.send(encodeWire(request))
      else {
        this.queued.push(request)
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
      for (const request of this.queued.splice(0)) socket.send(encodeWire(request))
    }
    socket.onmessage = (event: MessageEvent) => this.receive(String(event.data))
    // An 'error' is always followed by 'close', which does the work.
    socket.onerror = () => undefined
    socket.onclose = () => {
      if (this.socket !== socket) return
      this.socket = null
      this.dropped(opened)
    }
  }

  /** A call arrived while disconnected and waiting to retry: retry now instead of after the backoff. */
  private connectNow(): void {
    if (this.socket || this.reconnectTimer === null) return
    clearTimeout(this.reconnectTimer)
    this.connect()
  }

  private dropped(wasOpen: boolean): void {
    const error = new Error(
      wasOpen
        ? 'Lost the connection to Backprop Studio. Is `npm run web` still running? Reconnecting…'
        : 'Cannot connect to Backprop Studio. Is `npm run web` still running, and was this page opened ' +
            'from the link it printed (with ?token=…)?'
    )
    this.queued = []
    for (const pending of this.waiting.values()) pending.reject(error)
    this.waiting.clear()
    // A run's events stop arriving: say so where the learner is looking, not only in the console.
    if (wasOpen) this.deliver({ type: 'failed', message: error.message, step: null })
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
    const pending = this.waiting.get(message.id)
    if (!pending) return
    this.waiting.delete(message.id)
    if (message.ok) pending.resolve(message.result)
    else pending.reject(new Error(message.message))
  }

  private deliver(event: TrainingEvent): void {
    for (const listener of this.listeners) listener(event)
  }
}
