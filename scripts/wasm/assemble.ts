// WAT text → WebAssembly bytes, by wabt (the WebAssembly Binary Toolkit's own wat2wasm, compiled to
// JavaScript). The kernels in core/wasm/*.wat are ours; assembling text into bytes is a tool's job.

import initWabt from 'wabt'

/** The post-MVP features our kernels use: 128-bit SIMD, memory.fill, and (for shared memory) threads. */
const FEATURES = { simd: true, bulk_memory: true, threads: true } as const

/** The memory import every kernel module starts with: `(import "env" "memory" (memory MIN MAX))`. */
const MEMORY_IMPORT = /\(import\s+"env"\s+"memory"\s+\(memory\s+(\d+)\s+(\d+)(\s+shared)?\s*\)\)/

export interface AssembleOptions {
  /** Declare the memory import shared (a SharedArrayBuffer, for several threads), or not; one source,
   *  two builds. Leaves the source's own declaration when undefined. */
  readonly sharedMemory?: boolean
}

let wabt: ReturnType<typeof initWabt> | undefined

/** Assembles one module (`name` appears in wabt's error messages). Throws wabt's message on bad text. */
export async function assembleWat(
  source: string,
  name: string,
  { sharedMemory }: AssembleOptions = {}
): Promise<Uint8Array> {
  let text = source
  if (sharedMemory !== undefined) {
    if (!MEMORY_IMPORT.test(source))
      throw new Error(
        `${name}: no (import "env" "memory" (memory MIN MAX)) to declare shared or not`
      )
    text = source.replace(
      MEMORY_IMPORT,
      (_, min: string, max: string) =>
        `(import "env" "memory" (memory ${min} ${max}${sharedMemory ? ' shared' : ''}))`
    )
  }
  // NOTE: given as UTF-8 bytes: wabt.js reads a JavaScript string one byte per character, which garbles
  // the comments' non-ASCII characters (⌊, −, ·) into tokens.
  const bytes = new TextEncoder().encode(text)
  const module = (await (wabt ??= initWabt())).parseWat(name, bytes, FEATURES)
  try {
    // NOTE: validate takes the features too (index.d.ts omits the argument); without them it rejects
    // the shared memory import.
    const validate = module.validate as (this: typeof module, features: typeof FEATURES) => void
    validate.call(module, FEATURES)
    return module.toBinary({ canonicalize_lebs: true }).buffer
  } finally {
    module.destroy()
  }
}

/**
 * Assembled bytes as the TypeScript expression a generated *.wasm.ts module exports: base64, cut into
 * quoted 100-character pieces joined with +, one per line, so the generated file stays readable.
 */
export function base64Literal(base64: string): string {
  return base64
    .match(/.{1,100}/g)!
    .map((line) => `  '${line}'`)
    .join(' +\n')
}
