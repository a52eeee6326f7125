// Reads the files a user chose in a native Open dialog, with limits, for the window to treat like a drop.

import { basename } from 'node:path'
import { MAX_OPENED_FILE_BYTES, MAX_OPENED_FILES, type OpenedFile } from '../contract'
import { readUserFile, UserFileError } from '../files/user-file'

/**
 * Each path as its name and bytes, or as its name and why it was not read. Reads one file at a time
 * and at most MAX_OPENED_FILES of them; folders, devices, FIFOs and files above `maxBytes` are refused
 * before reading (readUserFile).
 */
export async function readOpenedFiles(
  paths: readonly string[],
  maxBytes = MAX_OPENED_FILE_BYTES
): Promise<OpenedFile[]> {
  const opened: OpenedFile[] = []
  for (const path of paths.slice(0, MAX_OPENED_FILES)) {
    const name = basename(path)
    try {
      opened.push({ name, bytes: await readUserFile(path, { what: 'a file to open', maxBytes }) })
    } catch (error) {
      if (!(error instanceof UserFileError)) throw error
      // NOTE: worded about the name, never the path: paths do not reach the window.
      opened.push({ name, error: error.about(name) })
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
