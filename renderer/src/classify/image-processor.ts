// The window's ImageProcessor: requests to the image worker (image-worker.ts), one at a time in
// order of arrival. Should the worker be unavailable (it cannot start, or fails before its first
// answer), the same code runs in the window instead, so images are still classified.

import type { ImageHeader, RgbaImage } from '@core/vision/index'
import { processImageFile, processImagePixels } from './image-decode'
import { DecodeError, type ImageProcessor, type ProcessedImage } from './image-input'

/** What to do with one image: decode a file, or take pixels (the draw pad). */
type Job =
  | { readonly kind: 'file'; readonly file: Blob; readonly header: ImageHeader }
  | { readonly kind: 'pixels'; readonly image: RgbaImage }

export type ImageWorkerRequest = Job & { readonly id: number }

export type ImageWorkerReply =
  | { readonly id: number; readonly ok: true; readonly processed: ProcessedImage }
  | { readonly id: number; readonly ok: false; readonly decode: boolean; readonly message: string }

interface Pending {
  readonly job: Job
  resolve(processed: ProcessedImage): void
  reject(error: Error): void
}

const runInWindow = (job: Job): Promise<ProcessedImage> =>
  job.kind === 'file' ? processImageFile(job.file, job.header) : processImagePixels(job.image)

let worker: Worker | null = null
/** Set once the worker has answered: a later failure is that request's, not the worker's as a whole. */
let workerAnswered = false
let useWindow = typeof Worker === 'undefined'
let nextId = 1
const pending = new Map<number, Pending>()

function startWorker(): Worker | null {
  if (worker) return worker
  try {
    worker = new Worker(new URL('./image-worker.ts', import.meta.url), {
      type: 'module',
      name: 'image-worker'
    })
  } catch {
    useWindow = true
    return null
  }
  worker.onmessage = (event: MessageEvent<ImageWorkerReply>) => {
    workerAnswered = true
    const reply = event.data
    const request = pending.get(reply.id)
    if (!request) return
    pending.delete(reply.id)
    if (reply.ok) request.resolve(reply.processed)
    else request.reject(reply.decode ? new DecodeError(reply.message) : new Error(reply.message))
  }
  worker.onerror = (event: ErrorEvent) => {
    event.preventDefault()
    worker?.terminate()
    worker = null
    const waiting = [...pending.values()]
    pending.clear()
    if (!workerAnswered) {
      // It never worked here (e.g. a policy forbids workers): do everything in the window from now on.
      useWindow = true
      for (const request of waiting) runInWindow(request.job).then(request.resolve, request.reject)
      return
    }
    // It crashed on one of these (out of memory on a huge image?): fail them; the next request starts a new worker.
    for (const request of waiting)
      request.reject(new Error('the image could not be processed (the decoder stopped)'))
  }
  return worker
}

function run(job: Job): Promise<ProcessedImage> {
  const target = useWindow ? null : startWorker()
  if (!target) return runInWindow(job)
  return new Promise((resolve, reject) => {
    const id = nextId++
    pending.set(id, { job, resolve, reject })
    const request: ImageWorkerRequest = { ...job, id }
    target.postMessage(request) // copied, not transferred: the window may still need the pixels if the worker fails
  })
}

export const imageProcessor: ImageProcessor = {
  processFile: (file, header) => run({ kind: 'file', file, header }),
  processPixels: (image) => run({ kind: 'pixels', image })
}
