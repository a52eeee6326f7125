// One training worker thread and the request/reply bookkeeping over its message port.

import { Worker } from 'node:worker_threads'
import {
  assertNever,
  StudioError,
  type DatasetSummary,
  type TrainingEvent,
  type VerbArgs,
  type VerbResult,
  type WorkerCommand,
  type WorkerMessage,
  type WorkerVerb,
  WORKER_HEARTBEAT_MS
} from '../contract'
import { HUNG_AFTER_MS } from './worker-deadline'

export interface WorkerDatasets {
  readonly train: DatasetSummary
  readonly test: DatasetSummary
}

export interface WorkerLinkHandlers {
  onEvent(event: TrainingEvent): void
  /** The thread died without being asked to (uncaught error, out of memory, killed). */
  onCrash(reason: string, wasReady: boolean): void
}

export interface WorkerLinkOptions {
  /**
   * The most ms the worker may go without a message (a reply, an event, its heartbeat) once ready,
   * read at each check: it grows with the work the current model does (worker-deadline.ts).
   */
  readonly silenceAllowedMs?: () => number
}

interface Pending {
  resolve(result: unknown): void
  reject(error: Error): void
}

export class WorkerLink {
  /** Resolves once the worker has loaded the datasets; rejects if it cannot. */
  readonly ready: Promise<WorkerDatasets>
  private readonly worker: Worker
  private readonly pending = new Map<number, Pending>()
  private nextId = 1
  private isReady = false
  private closing = false
  private lastError: Error | null = null
  /** Set once the thread has exited: later requests fail at once instead of waiting forever. */
  private exitError: StudioError | null = null
  /** performance.now() of the worker's last message, and of the watchdog's last look. */
  private lastHeard = performance.now()
  private lastCheck = performance.now()
  private watchdog: ReturnType<typeof setInterval> | null = null

  constructor(
    workerPath: string,
    handlers: WorkerLinkHandlers,
    private readonly options: WorkerLinkOptions = {}
  ) {
    this.worker = new Worker(workerPath)
    let settleReady!: { resolve(value: WorkerDatasets): void; reject(error: Error): void }
    this.ready = new Promise<WorkerDatasets>(
      (resolve, reject) => (settleReady = { resolve, reject })
    )
    this.ready.catch(() => undefined) // NOTE: callers await it when they need it; no unhandled rejection meanwhile

    this.worker.on('message', (message: WorkerMessage) => {
      this.lastHeard = performance.now()
      switch (message.type) {
        case 'ready':
          this.isReady = true
          this.watch()
          settleReady.resolve({ train: message.train, test: message.test })
          break
        case 'alive':
          break
        case 'loadFailed':
          settleReady.reject(
            new StudioError({
              code: 'dataset',
              message: `could not load the MNIST dataset: ${message.message}`
            })
          )
          break
        case 'event':
          handlers.onEvent(message.event)
          break
        case 'reply':
          this.settle(message)
          break
        default:
          assertNever(message)
      }
    })
    this.worker.on('error', (error) => {
      this.lastError = error
    })
    this.worker.on('exit', (code) => {
      if (this.watchdog) clearInterval(this.watchdog)
      const reason = this.lastError?.message ?? `it exited with code ${code}`
      const error = new StudioError({
        code: 'worker-crashed',
        message: `the training worker stopped (${reason})`
      })
      this.exitError = error
      settleReady.reject(error)
      for (const request of this.pending.values()) request.reject(error)
      this.pending.clear()
      if (!this.closing) handlers.onCrash(reason, this.isReady)
    })
  }

  /**
   * Posts a worker verb with its parsed arguments; resolves with the worker's value, or rejects with
   * the StudioError it answered.
   */
  request<V extends WorkerVerb>(verb: V, args: VerbArgs<V>): Promise<VerbResult<V>> {
    if (this.exitError) return Promise.reject(this.exitError)
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      // NOTE: the worker answers `verb` with its VerbResult (train-worker.ts runs the session's method).
      this.pending.set(id, { resolve: (value) => resolve(value as VerbResult<V>), reject })
      this.worker.postMessage({ id, verb, args } as WorkerCommand)
    })
  }

  /** Ends the thread on purpose (no crash report). */
  async close(): Promise<void> {
    this.closing = true
    if (this.watchdog) clearInterval(this.watchdog)
    await this.worker.terminate()
  }

  /** Ends the thread the way a crash would, so the crash path can be tested. */
  async kill(): Promise<void> {
    await this.worker.terminate()
  }

  /**
   * Ends a worker that has been silent for longer than its work allows (a busy loop, a kernel that never
   * returns): the exit then reports it as a crash, with that reason, and the host starts a fresh one.
   * NOTE: only once ready: loading MNIST is bounded by its files, and a worker that never gets ready is
   * reported as such.
   */
  private watch(): void {
    this.lastCheck = performance.now()
    this.watchdog = setInterval(() => {
      const now = performance.now()
      // NOTE: the host's own thread may have been busy; the worker's messages then wait in the queue
      // behind this timer. A late look restarts the clock rather than blame the worker for it.
      const hostWasLate = now - this.lastCheck > 2 * WORKER_HEARTBEAT_MS
      this.lastCheck = now
      if (hostWasLate) this.lastHeard = Math.max(this.lastHeard, now - WORKER_HEARTBEAT_MS)
      const allowed = this.options.silenceAllowedMs?.() ?? HUNG_AFTER_MS
      const silent = now - this.lastHeard
      if (silent <= allowed || this.closing || this.exitError) return
      this.lastError = new Error(`it did not answer for ${(silent / 1000).toFixed(0)} s`)
      clearInterval(this.watchdog!)
      void this.worker.terminate()
    }, WORKER_HEARTBEAT_MS)
    this.watchdog.unref()
  }

  private settle(reply: Extract<WorkerMessage, { type: 'reply' }>): void {
    const request = this.pending.get(reply.id)
    if (!request) return
    this.pending.delete(reply.id)
    if (reply.ok) request.resolve(reply.result)
    else request.reject(new StudioError(reply))
  }
}
