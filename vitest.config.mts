// Three test projects: the engine and Node side (benchmark machinery included), the renderer's stores and components (happy-dom),
// and end-to-end tests of the built app in browser mode, driven in Chromium by playwright-core.

import { resolve } from 'node:path'
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vitest/config'

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
          testTimeout: 120_000
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
          // One browser and one server at a time: the machine has two cores.
          fileParallelism: false
        }
      }
    ]
  }
})
