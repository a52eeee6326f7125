// Test helper: fresh temporary folders (data folders for hosts), removed when the test file is done.
// Tests never write into the real home folder.

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll } from 'vitest'

const made: string[] = []

// NOTE: registered when a test file imports this module (during collection), so it runs after that
// file's tests; tempDir itself may then be called anywhere, inside tests too.
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** A new empty folder under the OS's temp folder, deleted after the importing test file's tests. */
export function tempDir(prefix = 'studio-data-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  made.push(dir)
  return dir
}
