// Build config for the three Electron targets plus the Node-only entries (worker, browser-mode server).
// Our folders are not electron-vite's default src/*, so every entry is named explicitly.

import { resolve } from 'node:path'
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'electron-vite'

const alias = {
  '@core': resolve(__dirname, 'core'),
  '@contract': resolve(__dirname, 'electron/contract/index.ts'),
  '@': resolve(__dirname, 'renderer/src')
}

export default defineConfig({
  main: {
    resolve: { alias },
    build: {
      outDir: 'out/main',
      rollupOptions: {
        // Stable names: StudioHost starts out/main/train-worker.js, which starts out/main/train-helper.js
        // threads (electron/parallel/); `npm run web` runs out/main/web.js.
        input: {
          index: resolve(__dirname, 'electron/main/index.ts'),
          'train-worker': resolve(__dirname, 'electron/worker/train-worker.ts'),
          'train-helper': resolve(__dirname, 'electron/parallel/helper-thread.ts'),
          web: resolve(__dirname, 'electron/web/index.ts')
        }
      }
    }
  },
  preload: {
    resolve: { alias },
    build: {
      outDir: 'out/preload',
      rollupOptions: { input: { index: resolve(__dirname, 'electron/preload/index.ts') } }
    }
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    resolve: { alias },
    plugins: [vue()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      rollupOptions: { input: { index: resolve(__dirname, 'renderer/index.html') } }
    }
  }
})
