// Reads the files a user chose in a native Open dialog, with limits, for the window to treat like a drop.

import { readFile, stat } from 'node:fs/promises'
import { basename } from 'node:path'
import { MAX_OPENED_FILE_BYTES, MAX_OPENED_FILES, type OpenedFile } from '../contract'

/**
 * Each path as its name and bytes, or as its name and why it was not read. Reads one file at a time
 * and at most MAX_OPENED_FILES of them; files above `maxBytes` are refused before reading.
 */
export async function readOpenedFiles(
  paths: readonly string[],
  maxBytes = MAX_OPENED_FILE_BYTES
): Promise<OpenedFile[]> {
  const opened: OpenedFile[] = []
  for (const path of paths.slice(0, MAX_OPENED_FILES)) {
    const name = basename(path)
    try {
      const info = await stat(path)
      if (!info.isFile()) {
        opened.push({ name, error: `${name} is not a file` })
        continue
      }
      if (info.size > maxBytes) {
        opened.push({
          name,
          error: `${name} is ${formatSize(info.size)}; files above ${formatSize(maxBytes)} are not opened`
        })
        continue
      }
      const buffer = await readFile(path)
      opened.push({
        name,
        bytes: new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
      })
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      opened.push({
        name,
        error: `${name} could not be read (${code === 'EACCES' ? 'permission denied' : (code ?? String(error))})`
      })
    }
  }
  if (paths.length > MAX_OPENED_FILES) {
    opened.push({
      name: `${paths.length - MAX_OPENED_FILES} more files`,
      error: `only the first ${MAX_OPENED_FILES} files of one selection are opened`
    })
  }
  return opened
}

/** "512 bytes", "3.4 KB", "70 MB". */
function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`
  const [value, unit] = bytes < 1024 * 1024 ? [bytes / 1024, 'KB'] : [bytes / 1024 / 1024, 'MB']
  return `${value.toFixed(value < 10 ? 1 : 0)} ${unit}`
}
