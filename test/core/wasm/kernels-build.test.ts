import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { assembleWat } from '../../../scripts/wasm/assemble'
import {
  KERNELS_TS_PATH,
  KERNELS_WAT_PATH,
  renderKernelsModule
} from '../../../scripts/wasm/build-kernels'
import { readWatModule } from '../../../scripts/wasm/wat-source'
import { webAssembly } from '../../../core/wasm/runtime'

const { Memory, Module, Instance } = webAssembly()

const SAMPLE = `(module
  (import "env" "memory" (memory 1 4))
  ;; a comment with the characters our kernels' comments use: ⌊x⌋ · − ← Σ
  (func (export "sum4") (param $p i32) (result f32)
    (f32x4.extract_lane 0 (f32x4.add (v128.load (local.get $p)) (v128.load offset=16 (local.get $p))))))
`

describe('assembling WAT with wabt', () => {
  it('makes a module WebAssembly accepts and runs, non-ASCII comments included', async () => {
    const memory = new Memory({ initial: 1, maximum: 4 })
    const bytes = await assembleWat(SAMPLE, 'sample.wat')
    const { exports } = new Instance(new Module(bytes), { env: { memory } })
    new Float32Array(memory.buffer).set([1.5, 0, 0, 0, 40, 0, 0, 0])
    expect((exports as { sum4(p: number): number }).sum4(0)).toBe(41.5)
  })

  it('declares the memory import shared, or not, from one source', async () => {
    const shared = await assembleWat(SAMPLE, 'sample.wat', { sharedMemory: true })
    const plain = await assembleWat(SAMPLE, 'sample.wat', { sharedMemory: false })
    const sharedMemory = new Memory({ initial: 1, maximum: 4, shared: true })
    const plainMemory = new Memory({ initial: 1, maximum: 4 })
    expect(() => new Instance(new Module(shared), { env: { memory: sharedMemory } })).not.toThrow()
    expect(() => new Instance(new Module(plain), { env: { memory: plainMemory } })).not.toThrow()
    expect(() => new Instance(new Module(shared), { env: { memory: plainMemory } })).toThrow()
  })

  it("reports wabt's message, with the file and line, for bad text", async () => {
    await expect(assembleWat('(module (func (i32.frobnicate)))', 'bad.wat')).rejects.toThrow(
      /bad\.wat:1:.*i32\.frobnicate/s
    )
    await expect(assembleWat('(module)', 'bad.wat', { sharedMemory: true })).rejects.toThrow(
      /no \(import "env" "memory"/
    )
  })
})

describe('the checked-in kernels', () => {
  it('core/wasm/kernels.wasm.ts is what wabt makes of core/wasm/kernels.wat (run `npm run build:wasm`)', async () => {
    const expected = await renderKernelsModule(readWatModule(KERNELS_WAT_PATH))
    expect(readFileSync(KERNELS_TS_PATH, 'utf8')).toBe(expected)
  })
})
