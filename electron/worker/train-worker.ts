// worker_threads entry: the only owner of engine state. Loads MNIST once, then serves host commands.

import { join } from 'node:path'
import { parentPort, workerData, type MessagePort } from 'node:worker_threads'
import { classCount } from '../../core'
import {
  outcomeOf,
  type TrainingEvent,
  type WorkerCommand,
  type WorkerMessage,
  type WorkerOptions,
  type WorkerVerbs,
  WORKER_HEARTBEAT_MS
} from '../contract'
import { CheckpointFiles } from '../files/checkpoint-files'
import { loadMnist } from '../files/datasets'
import { threadsFromEnv } from '../parallel/threaded-trainer'
import { WorkerSession } from './session'

function requireParentPort(): MessagePort {
  if (!parentPort) throw new Error('train-worker must run inside a worker thread')
  return parentPort
}

const port = requireParentPort()

function post(message: WorkerMessage): void {
  port.postMessage(message, transferables(message))
}

/** PERF: buffers made for this message alone (snapshots, exported bytes) are moved rather than copied. */
function transferables(message: WorkerMessage): ArrayBuffer[] {
  if (message.type === 'event' && message.event.type === 'weights')
    return [message.event.snapshot.data.buffer as ArrayBuffer]
  if (message.type === 'reply' && message.ok && isBinaryFile(message.result)) {
    return [message.result.bytes.buffer as ArrayBuffer]
  }
  return []
}

function isBinaryFile(value: unknown): value is { bytes: Uint8Array } {
  return typeof value === 'object' && value !== null && 'bytes' in value
}

// NOTE: a timer runs only when the event loop turns: a worker stuck in a loop falls silent, and the host
// ends it (worker-link.ts). unref: the heartbeat alone does not keep the thread alive.
setInterval(() => post({ type: 'alive' }), WORKER_HEARTBEAT_MS).unref()

const emit = (event: TrainingEvent): void => post({ type: 'event', event })

/** Where runs' checkpoints go: the folder the host named (WorkerOptions), or nowhere (memory only). */
function checkpointFiles(): CheckpointFiles | null {
  const options = workerData as Partial<WorkerOptions> | null
  return typeof options?.checkpointDir === 'string'
    ? new CheckpointFiles(options.checkpointDir)
    : null
}

/** Runs a command: the session's method named by its verb, with the arguments the host parsed. */
function run(session: WorkerVerbs, { verb, args }: WorkerCommand): unknown {
  // NOTE: `args` belong to this very `verb` (WorkerCommand pairs them); TypeScript cannot correlate
  // the method looked up by `verb` with them, hence the widening.
  const method = session[verb] as (...parsed: unknown[]) => unknown
  return method.apply(session, args)
}

const sessionReady = loadMnist().then((data) => {
  const summary = ({ name, count, rows, cols, labels }: typeof data.train) => ({
    name,
    count,
    rows,
    cols,
    classes: classCount(labels)
  })
  post({ type: 'ready', train: summary(data.train), test: summary(data.test) })
  // The built helper thread beside this built worker (electron.vite.config.ts names both entries).
  return new WorkerSession(data, emit, checkpointFiles(), {
    helperScript: join(__dirname, 'train-helper.js'),
    threads: threadsFromEnv()
  })
})
sessionReady.catch((error: unknown) =>
  post({ type: 'loadFailed', message: error instanceof Error ? error.message : String(error) })
)

// NOTE: commands run one after another: a second 'startTraining' must wait until the first has ended
// the previous run, or two runs would train at once. Runs themselves are not in this chain.
let queue: Promise<void> = Promise.resolve()

port.on('message', (command: WorkerCommand) => {
  queue = queue.then(async () => {
    const outcome = await outcomeOf(async () => run(await sessionReady, command))
    post({ type: 'reply', id: command.id, ...outcome })
  })
})
