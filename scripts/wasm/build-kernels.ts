// Assembles core/wasm/kernels.wat (and the parts in core/wasm/kernels/ it includes) with wabt and writes core/wasm/kernels.wasm.ts.
// Run after editing the .wat: `npm run build:wasm`. test/core/wasm/kernels-build.test.ts fails when the
// checked-in bytes no longer match the source, so the two cannot drift apart.

import { writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { renderKernelModule, type KernelModule } from './build-conv-kernels'
import { readWatModule } from './wat-source'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const KERNELS_WAT_PATH = join(root, 'core', 'wasm', 'kernels.wat')
export const KERNELS_TS_PATH = join(root, 'core', 'wasm', 'kernels.wasm.ts')

const KERNELS_MODULE: KernelModule = {
  name: 'kernels',
  watPath: KERNELS_WAT_PATH,
  tsPath: KERNELS_TS_PATH,
  constant: 'KERNELS'
}

/**
 * The generated TypeScript module for kernels.wat: its bytes for a private memory (one thread) and for
 * a shared one (the studio and the CLI train conv nets on helper threads too: electron/parallel/).
 */
export function renderKernelsModule(watSource: string): Promise<string> {
  return renderKernelModule(KERNELS_MODULE, watSource, 'scripts/wasm/build-kernels.ts')
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]
if (isMain) {
  void renderKernelsModule(readWatModule(KERNELS_WAT_PATH)).then((module) => {
    writeFileSync(KERNELS_TS_PATH, module)
    console.log(`wrote ${KERNELS_TS_PATH}`)
  })
}
