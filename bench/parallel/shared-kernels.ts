// The kernels for a SHARED memory (a SharedArrayBuffer several threads work in): core/wasm/kernels.wat
// assembled by wabt with its memory import declared shared. Only threaded training needs this build,
// and only the benchmark trains on threads, so it is made here, from the .wat, and not shipped.

import { readFileSync } from 'node:fs'
import { compileModule, type WasmModule } from '../../core'
import { assembleWat } from '../../scripts/wasm/assemble'
import { KERNELS_WAT_PATH } from '../../scripts/wasm/build-kernels'

let compiled: Promise<WasmModule> | undefined

/** kernels.wat compiled for a shared memory, once per process (wabt takes about 0.1 s). */
export function sharedKernelsModule(): Promise<WasmModule> {
  compiled ??= assembleWat(readFileSync(KERNELS_WAT_PATH, 'utf8'), 'kernels.wat', {
    sharedMemory: true
  }).then(compileModule)
  return compiled
}
