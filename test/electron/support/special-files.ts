// Test helper: files that are not regular files, made in a temporary folder (Linux and macOS).

import { execFileSync } from 'node:child_process'
import { join } from 'node:path'

/** A FIFO (named pipe) with no writer: opening it for reading the ordinary way blocks for ever. */
export function makeFifo(dir: string, name = 'pipe'): string {
  const path = join(dir, name)
  execFileSync('mkfifo', [path])
  return path
}
