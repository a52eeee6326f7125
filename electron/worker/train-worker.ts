// worker_threads entry: the only owner of engine state. Loads MNIST once, then serves host commands.

import { parentPort, type MessagePort } from 'node:worker_threads'
import { assertNever, type Prediction, type TrainingEvent, type WorkerCommand, type WorkerMessage } from '../contract'
import { loadMnist } from '../host/datasets'
import { WorkerSession } from './session'

function requireParentPort(): MessagePort {
  if (!parentPort) throw new Error('train-worker must run inside a worker thread')
  return parentPort
}

const port = requireParentPort()

function post(message: WorkerMessage): void {
  // PERF: weight snapshots are fresh copies, so their buffers are moved rather than cloned again.
  const transfer: ArrayBuffer[] = []
  if (message.type === 'event' && message.event.type === 'weights') {
    transfer.push(message.event.snapshot.data.buffer as ArrayBuffer)
  }
  port.postMessage(message, transfer)
}

const emit = (event: TrainingEvent): void => post({ type: 'event', event })

async function handle(session: WorkerSession, command: WorkerCommand): Promise<Prediction | null> {
  switch (command.type) {
    case 'start':
      await session.start(command.config, command.paused)
      return null
    case 'control':
      session.control(command.command)
      return null
    case 'update':
      session.update(command.update)
      return null
    case 'reset':
      await session.reset(command.config)
      return null
    case 'predict':
      return session.predict(command.pixels)
    default:
      return assertNever(command)
  }
}

const sessionReady = loadMnist().then((data) => {
  const summary = ({ name, count, rows, cols }: typeof data.train) => ({ name, count, rows, cols })
  post({ type: 'ready', train: summary(data.train), test: summary(data.test) })
  return new WorkerSession(data, emit)
})
sessionReady.catch((error: unknown) => post({ type: 'loadFailed', message: errorMessage(error) }))

// NOTE: commands run one after another: a second 'start' must wait until the first has ended the
// previous run, or two runs would train at once. Runs themselves are not in this chain.
let queue: Promise<void> = Promise.resolve()

port.on('message', (command: WorkerCommand) => {
  queue = queue.then(async () => {
    try {
      const prediction = await handle(await sessionReady, command)
      post({ type: 'reply', id: command.id, ok: true, prediction })
    } catch (error) {
      post({ type: 'reply', id: command.id, ok: false, message: errorMessage(error) })
    }
  })
})

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
