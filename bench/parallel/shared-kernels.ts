// The kernels for a SHARED memory (a SharedArrayBuffer several threads work in): core/wasm/kernels.wat
// assembled by wabt with its memory import declared shared. Only threaded training needs this build,
// and only the benchmark trains on threads, so it is made here, from the .wat, and not shipped.

import { compileModule, type WasmModule } from '../../core'
import { assembleWat } from '../../scripts/wasm/assemble'
import { KERNELS_WAT_PATH } from '../../scripts/wasm/build-kernels'
import { readWatModule } from '../../scripts/wasm/wat-source'

let compiled: Promise<WasmModule> | undefined

/** kernels.wat compiled for a shared memory, once per process (wabt takes about 0.1 s). */
export function sharedKernelsModule(): Promise<WasmModule> {
  compiled ??= assembleWat(readWatModule(KERNELS_WAT_PATH), 'kernels.wat', {
    sharedMemory: true
  }).then(compileModule)
  return compiled
}
