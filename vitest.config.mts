// Three test projects: the engine and Node side (benchmark machinery included), the renderer's stores and components (happy-dom),
// and end-to-end tests of the built app in browser mode, driven in Chromium by playwright-core.

import { resolve } from 'node:path'
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vitest/config'

/**
 * `expect.poll`'s default timeout in the node and e2e projects, whose polls wait on the worker, a
 * child process or the browser: PATIENT_WAIT_MS of test/helpers/waits.ts, which says why.
 * NOTE: written out, not imported: Vite warns on every run about a config importing a TypeScript
 * file without its extension.
 */
const PATIENT_WAIT_MS = 60_000

const alias = {
  '@core': resolve(import.meta.dirname, 'core'),
  '@contract': resolve(import.meta.dirname, 'electron/contract/index.ts'),
  '@': resolve(import.meta.dirname, 'renderer/src')
}

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'node',
          include: [
            'test/core/**/*.test.ts',
            'test/electron/**/*.test.ts',
            'test/bench/**/*.test.ts'
          ],
          environment: 'node',
          testTimeout: 120_000,
          // NOTE: a beforeAll that trains in the worker (test/electron/model-api.test.ts: 1875 steps)
          // takes seconds on a quiet machine and more than vitest's default 10 s on a loaded one.
          hookTimeout: 120_000,
          expect: { poll: { timeout: PATIENT_WAIT_MS } }
        }
      },
      {
        resolve: { alias },
        plugins: [vue()],
        test: {
          name: 'renderer',
          include: ['test/renderer/**/*.test.ts'],
          environment: 'happy-dom'
        }
      },
      {
        resolve: { alias },
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 180_000,
          hookTimeout: 120_000,
          expect: { poll: { timeout: PATIENT_WAIT_MS } },
          // One browser and one server at a time: the machine has two cores.
          fileParallelism: false
        }
      }
    ]
  }
})
