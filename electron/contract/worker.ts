// Host ↔ training worker (Node only; worker_threads structured clone). Commands are the table's worker
// verbs with arguments the host has already parsed; the worker answers each with one Outcome.

import type { DatasetSummary } from './app'
import type { Outcome } from './errors'
import type { TrainingEvent } from './training'
import type { VerbArgs, VerbResult, WorkerVerb } from './verbs'

/** host → worker. Every command carries an id, and the worker answers each with one `reply`. */
export type WorkerCommand = {
  [V in WorkerVerb]: { readonly id: number; readonly verb: V; readonly args: VerbArgs<V> }
}[WorkerVerb]

/** What the worker implements: one method per worker verb, taking the parsed arguments (WorkerSession). */
export type WorkerVerbs = {
  readonly [V in WorkerVerb]: (...args: VerbArgs<V>) => VerbResult<V> | Promise<VerbResult<V>>
}

/**
 * How often the worker says `alive` while its event loop turns. The host counts a worker silent for much
 * longer than its work can explain as hung (electron/host/worker-deadline.ts).
 */
export const WORKER_HEARTBEAT_MS = 1_000

/** worker → host. */
export type WorkerMessage =
  | { readonly type: 'ready'; readonly train: DatasetSummary; readonly test: DatasetSummary }
  | { readonly type: 'alive' }
  | { readonly type: 'loadFailed'; readonly message: string }
  | { readonly type: 'event'; readonly event: TrainingEvent }
  | ({ readonly type: 'reply'; readonly id: number } & Outcome<unknown>)
