// worker_threads entry: the only owner of engine state. Loads MNIST once, then serves host commands.

import { parentPort, type MessagePort } from 'node:worker_threads'
import {
  assertNever,
  type TrainingEvent,
  type WorkerCommand,
  type WorkerMessage,
  type WorkerResults
} from '../contract'
import { loadMnist } from '../files/datasets'
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
  if (
    message.type === 'reply' &&
    message.ok &&
    message.result !== null &&
    'bytes' in message.result
  ) {
    return [message.result.bytes.buffer as ArrayBuffer]
  }
  return []
}

const emit = (event: TrainingEvent): void => post({ type: 'event', event })

type Result = WorkerResults[WorkerCommand['type']]

async function handle(session: WorkerSession, command: WorkerCommand): Promise<Result> {
  switch (command.type) {
    case 'start':
      await session.start(command.config, command.paused, command.pace)
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
    case 'evaluate':
      return session.evaluateModel()
    case 'queryTestImages':
      return session.queryTestImages(command.query)
    case 'saliency':
      return session.saliency(command.request)
    case 'explainStep':
      return session.explainStep(command.request)
    case 'checkGradients':
      return session.checkGradients(command.request)
    case 'getModel':
      return session.getModel()
    case 'getWeights':
      return session.getWeights()
    case 'exportModel':
      return session.exportModel()
    case 'importModel':
      return session.importModel(command.text, command.fileName)
    case 'exportNpz':
      return session.exportNpz()
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
      const result = await handle(await sessionReady, command)
      post({ type: 'reply', id: command.id, ok: true, result })
    } catch (error) {
      post({ type: 'reply', id: command.id, ok: false, message: errorMessage(error) })
    }
  })
})

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
