// Saving what the host hands over (a model file, run metrics, .npz weights) as a file the user keeps:
// a Blob, an object URL and a temporary <a download>. Electron answers it with its save dialog; a
// browser downloads it. The only place the renderer creates files.

import type { BinaryFile, TextFile } from '@contract'

/** How long the object URL outlives the click. NOTE: revoking at once can cancel a slow download. */
export const REVOKE_AFTER_MS = 60_000

export const MIME_TYPES = {
  csv: 'text/csv;charset=utf-8',
  json: 'application/json',
  npz: 'application/octet-stream'
} as const

/** Offers `contents` as a download called `fileName`. */
export function saveFile(contents: Blob, fileName: string, doc: Document = document): void {
  const url = URL.createObjectURL(contents)
  const link = doc.createElement('a')
  link.href = url
  link.download = fileName
  link.rel = 'noopener'
  link.style.display = 'none'
  doc.body.append(link)
  try {
    link.click()
  } finally {
    link.remove()
    setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS)
  }
}

/** A text file from the host (a model file, a run's CSV). */
export function saveTextFile(file: TextFile, type: string = mimeTypeOf(file.fileName)): void {
  saveFile(new Blob([file.text], { type }), file.fileName)
}

/** A binary file from the host (weights as .npz). */
export function saveBinaryFile(file: BinaryFile, type: string = mimeTypeOf(file.fileName)): void {
  // NOTE: copy into a fresh ArrayBuffer: the bytes may be a view into a larger (or shared) buffer.
  const bytes = new Uint8Array(file.bytes.byteLength)
  bytes.set(file.bytes)
  saveFile(new Blob([bytes.buffer], { type }), file.fileName)
}

/** The MIME type for a file name's extension (octet-stream for anything unknown). */
export function mimeTypeOf(fileName: string): string {
  const extension = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase()
  if (extension === 'csv') return MIME_TYPES.csv
  if (extension === 'json') return MIME_TYPES.json
  return 'application/octet-stream'
}
