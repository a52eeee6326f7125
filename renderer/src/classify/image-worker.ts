// The image worker: decodes and preprocesses dropped files and drawings off the window's thread, so a
// 6000×4000 photo or a burst of drawing never freezes the window. Started by image-processor.ts.

import { processImageFile, processImagePixels } from './image-decode'
import { DecodeError } from './image-input'
import type { ImageWorkerReply, ImageWorkerRequest } from './image-processor'

function reply(message: ImageWorkerReply, transfer: Transferable[] = []): void {
  postMessage(message, { transfer })
}

addEventListener('message', (event: MessageEvent<ImageWorkerRequest>) => {
  const request = event.data
  const work =
    request.kind === 'file'
      ? processImageFile(request.file, request.header)
      : processImagePixels(request.image)
  work.then(
    (processed) =>
      reply(
        { id: request.id, ok: true, processed },
        processed.result.ok ? [processed.result.input.buffer] : []
      ),
    (err: unknown) =>
      reply({
        id: request.id,
        ok: false,
        decode: err instanceof DecodeError,
        message: err instanceof Error ? err.message : String(err)
      })
  )
})
