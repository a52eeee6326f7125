// Writes files so that a crash or a full disk never leaves half a file: write a temporary file, then
// rename. A crash between the two leaves the temporary file, which the next start removes.

import { randomBytes } from 'node:crypto'
import { lstat, open, readdir, rename, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

/** writeFileAtomic's temporary names: "." + the file's name + "." + 12 hex digits + ".tmp". */
const TEMPORARY_NAME = /^\..+\.[0-9a-f]{12}\.tmp$/

/**
 * A temporary file younger than this may belong to a write in progress: the desktop app and browser
 * mode may share one data folder, and one starting must not delete the other's file before its rename.
 * Writes take milliseconds; a minute is generous.
 */
export const INTERRUPTED_WRITE_AGE_MS = 60_000

/**
 * Writes `data` to `path` atomically: the content goes to a hidden temporary file in the same folder
 * (same file system, so the rename is atomic), is flushed to disk, and then replaces `path`.
 * Either the old file or the complete new one exists at every moment.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`)
  const handle = await open(temporary, 'w', 0o644)
  try {
    await handle.writeFile(data)
    await handle.sync()
  } catch (error) {
    await handle.close()
    await rm(temporary, { force: true })
    throw error
  }
  await handle.close()
  try {
    await rename(temporary, path)
  } catch (error) {
    await rm(temporary, { force: true })
    throw error
  }
}

/**
 * Removes the temporary files that writes interrupted by a crash or a kill left in `dir` (not in its
 * subfolders), and returns their names. Only regular files named as writeFileAtomic names them and
 * older than INTERRUPTED_WRITE_AGE_MS: a user's own file never matches ".name.<12 hex>.tmp".
 * A folder that does not exist has nothing to clean.
 */
export async function removeInterruptedWrites(dir: string, now = Date.now()): Promise<string[]> {
  let names: string[]
  try {
    names = await readdir(dir)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
  const removed: string[] = []
  for (const name of names.filter((n) => TEMPORARY_NAME.test(n))) {
    const path = join(dir, name)
    // lstat: a symbolic link with our pattern is not our file, whatever it points at.
    const info = await lstat(path).catch(() => null)
    if (!info?.isFile() || now - info.mtimeMs < INTERRUPTED_WRITE_AGE_MS) continue
    await rm(path, { force: true })
    removed.push(name)
  }
  return removed
}
