// One training worker thread and the request/reply bookkeeping over its message port.

import { Worker } from 'node:worker_threads'
import {
  assertNever,
  type DatasetSummary,
  type TrainingEvent,
  type WorkerCommand,
  type WorkerMessage,
  type WorkerResults
} from '../contract'

/** A WorkerCommand before the link gives it an id (distributes over the union). */
export type WorkerRequest = WorkerCommand extends infer C
  ? C extends WorkerCommand
    ? Omit<C, 'id'>
    : never
  : never

export interface WorkerDatasets {
  readonly train: DatasetSummary
  readonly test: DatasetSummary
}

export interface WorkerLinkHandlers {
  onEvent(event: TrainingEvent): void
  /** The thread died without being asked to (uncaught error, out of memory, killed). */
  onCrash(reason: string, wasReady: boolean): void
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
  private exitError: Error | null = null

  constructor(workerPath: string, handlers: WorkerLinkHandlers) {
    this.worker = new Worker(workerPath)
    let settleReady!: { resolve(value: WorkerDatasets): void; reject(error: Error): void }
    this.ready = new Promise<WorkerDatasets>(
      (resolve, reject) => (settleReady = { resolve, reject })
    )
    this.ready.catch(() => undefined) // NOTE: callers await it when they need it; no unhandled rejection meanwhile

    this.worker.on('message', (message: WorkerMessage) => {
      switch (message.type) {
        case 'ready':
          this.isReady = true
          settleReady.resolve({ train: message.train, test: message.test })
          break
        case 'loadFailed':
          settleReady.reject(new Error(`could not load the MNIST dataset: ${message.message}`))
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
      const reason = this.lastError?.message ?? `it exited with code ${code}`
      const error = new Error(`the training worker stopped (${reason})`)
      this.exitError = error
      settleReady.reject(error)
      for (const request of this.pending.values()) request.reject(error)
      this.pending.clear()
      if (!this.closing) handlers.onCrash(reason, this.isReady)
    })
  }

  /** Posts a command and resolves with the worker's reply, typed by the command (see WorkerResults). */
  request<R extends WorkerRequest>(request: R): Promise<WorkerResults[R['type']]> {
    if (this.exitError) return Promise.reject(this.exitError)
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      // NOTE: the worker answers command `type` with WorkerResults[type] (train-worker.ts's handle).
      this.pending.set(id, {
        resolve: (result) => resolve(result as WorkerResults[R['type']]),
        reject
      })
      this.worker.postMessage({ ...request, id })
    })
  }

  /** Ends the thread on purpose (no crash report). */
  async close(): Promise<void> {
    this.closing = true
    await this.worker.terminate()
  }

  /** Ends the thread the way a crash would, so the crash path can be tested. */
  async kill(): Promise<void> {
    await this.worker.terminate()
  }

  private settle(reply: Extract<WorkerMessage, { type: 'reply' }>): void {
    const request = this.pending.get(reply.id)
    if (!request) return
    this.pending.delete(reply.id)
    if (reply.ok) request.resolve(reply.result)
    else request.reject(new Error(reply.message))
  }
}
