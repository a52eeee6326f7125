// Test helper: where the build puts the worker and the renderer (`npm test` builds first).

import { existsSync } from 'node:fs'
import { resolve } from 'node:path'

export const REPO_ROOT = resolve(import.meta.dirname, '../../..')
export const WORKER_PATH = resolve(REPO_ROOT, 'out/main/train-worker.js')

/** Fails with instructions rather than with a worker's cryptic "cannot find module". */
export function requireBuiltWorker(): string {
  if (!existsSync(WORKER_PATH))
    throw new Error(`${WORKER_PATH} is missing: run \`npm run build\` first`)
  return WORKER_PATH
}
