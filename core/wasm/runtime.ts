// Loading our SIMD kernels (core/wasm/kernels.wat) into a WebAssembly instance over a given memory.
//
// NOTE: core/ compiles against lib ES2022 with no ambient types, and that library does not describe the
// WebAssembly JS API. So the few members we use are typed here, and the global is looked up at run time:
// core/ stays free of DOM and Node typings, and environments without WebAssembly get a clear error.

import { ConfigError } from '../errors'
import { decodeBase64 } from '../io/base64'
import { KERNELS_SHARED_WASM_BASE64, KERNELS_WASM_BASE64 } from './kernels.wasm'

/** A WebAssembly.Memory: `buffer` is an ArrayBuffer, or a SharedArrayBuffer when created shared. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer
}

export interface WasmModule {
  readonly __wasmModule?: never
}

/** The few members of the WebAssembly JS API the engine uses. */
export interface WebAssemblyApi {
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory
  Module: new (bytes: Uint8Array) => WasmModule
  Instance: new (
    module: WasmModule,
    imports: Record<string, Record<string, unknown>>
  ) => { exports: Record<string, unknown> }
}

/** Bytes per WebAssembly memory page. */
export const WASM_PAGE_BYTES = 65_536

/** The global WebAssembly object, typed; throws a ConfigError where there is none. */
export function webAssembly(): WebAssemblyApi {
  const api = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly
  if (!api)
    throw new ConfigError(
      'engine',
      'this JavaScript environment has no WebAssembly; use the reference Trainer'
    )
  return api
}

/**
 * The exports of kernels.wat. Every argument named like a buffer is a byte address in the memory;
 * r0..r1 are batch rows, n / m widths in floats. See kernels.wat for what each computes.
 */
export interface Kernels {
  encode_u8(
    pixels: number,
    samples: number,
    r0: number,
    r1: number,
    n: number,
    compact: number,
    idx: number,
    val: number,
    cnt: number,
    stride: number
  ): void
  gather_sparse(
    offsets: number,
    indices: number,
    bytes: number,
    samples: number,
    r0: number,
    r1: number,
    idx: number,
    val: number,
    cnt: number,
    stride: number
  ): void
  touch_sparse(
    offsets: number,
    indices: number,
    bytes: number,
    samples: number,
    r0: number,
    r1: number
  ): number
  touch_rows(pixels: number, samples: number, r0: number, r1: number, n: number): number
  encode_f32(
    src: number,
    r0: number,
    r1: number,
    n: number,
    compact: number,
    idx: number,
    val: number,
    cnt: number,
    stride: number
  ): void
  sparse_forward(
    r0: number,
    r1: number,
    stride: number,
    idx: number,
    val: number,
    cnt: number,
    w: number,
    m: number,
    b: number,
    out: number,
    relu: number
  ): void
  sparse_weight_grad(
    r0: number,
    r1: number,
    n: number,
    stride: number,
    idx: number,
    val: number,
    cnt: number,
    dy: number,
    m: number,
    dw: number,
    p0: number,
    p1: number,
    scale: number
  ): void
  column_sums(r0: number, r1: number, dy: number, m: number, db: number): void
  input_grad_relu(
    r0: number,
    r1: number,
    n: number,
    stride: number,
    idx: number,
    cnt: number,
    dy: number,
    m: number,
    w: number,
    dx: number
  ): void
  input_grad_dense(
    r0: number,
    r1: number,
    n: number,
    dy: number,
    m: number,
    w: number,
    dx: number
  ): void
  softmax_cross_entropy(
    r0: number,
    r1: number,
    logits: number,
    m: number,
    classes: number,
    labels: number,
    samples: number,
    grad: number,
    scale: number,
    shift: number,
    sum: number,
    correct: number
  ): void
  sgd(w: number, g: number, n: number, lr: number, decay: number): void
  sgd_momentum(
    w: number,
    g: number,
    v: number,
    n: number,
    lr: number,
    mu: number,
    decay: number
  ): void
  adam(
    w: number,
    g: number,
    m: number,
    v: number,
    n: number,
    lr: number,
    beta1: number,
    oneMinusBeta1: number,
    beta2: number,
    oneMinusBeta2: number,
    eps: number,
    decay: number,
    c1: number,
    c2: number
  ): void
}

const compiled = new Map<string, WasmModule>()

/** Compiles WebAssembly bytes (synchronous; about a millisecond for our kernels). */
export function compileModule(bytes: Uint8Array): WasmModule {
  return new (webAssembly().Module)(bytes)
}

/** Compiles a module from its base64 bytes once per process. */
function compileOnce(base64: string, source: string): WasmModule {
  let module = compiled.get(base64)
  if (!module) {
    const bytes = decodeBase64(base64)
    if (!bytes) throw new Error(`${source} holds invalid base64; run \`npm run build:wasm\``)
    module = compileModule(bytes)
    compiled.set(base64, module)
  }
  return module
}

/**
 * The dense kernels (kernels.wat), compiled once per process: for a private memory (one thread), or
 * with `shared`, for a shared one (threads training in one SharedArrayBuffer: electron/parallel/).
 */
export function kernelsModule(shared = false): WasmModule {
  return compileOnce(
    shared ? KERNELS_SHARED_WASM_BASE64 : KERNELS_WASM_BASE64,
    'core/wasm/kernels.wasm.ts'
  )
}

/** A memory of at least `bytes`, fixed in size (it never grows, so typed-array views stay valid). */
export function createMemory(bytes: number, shared: boolean): WasmMemory {
  const pages = Math.max(1, Math.ceil(bytes / WASM_PAGE_BYTES))
  return new (webAssembly().Memory)({ initial: pages, maximum: pages, shared })
}

/** Whether `memory` is shared (a SharedArrayBuffer): a module must declare its import to match. */
export function isShared(memory: WasmMemory): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer
}

/**
 * Instantiates one of our kernel modules over `memory`, in the flavour (private or shared memory
 * import) that matches it. `source` names the generated file, for the error message.
 */
export function instantiateWasm(
  memory: WasmMemory,
  build: { readonly plain: string; readonly shared: string; readonly source: string }
): Record<string, unknown> {
  const module = compileOnce(isShared(memory) ? build.shared : build.plain, build.source)
  return new (webAssembly().Instance)(module, { env: { memory } }).exports
}

/**
 * Instantiates the kernels over `memory` (several instances, e.g. one per thread, may share one memory).
 * NOTE: a shared memory (SharedArrayBuffer) needs a build of kernels.wat that declares its memory
 * shared; by default the build that matches `memory` is used.
 */
export function instantiateKernels(
  memory: WasmMemory,
  module: WasmModule = kernelsModule(isShared(memory))
): Kernels {
  const instance = new (webAssembly().Instance)(module, { env: { memory } })
  return instance.exports as unknown as Kernels
}
