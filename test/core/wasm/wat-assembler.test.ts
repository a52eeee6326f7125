import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  KERNELS_TS_PATH,
  KERNELS_WAT_PATH,
  renderKernelsModule
} from '../../../scripts/wasm/build-kernels'
import { webAssembly } from '../../../core/wasm/runtime'
import { assembleWat, WatError } from '../../../scripts/wasm/wat-assembler'

const { Memory, Module, Instance } = webAssembly()

// A module touching every kind of immediate the assembler handles: flat and folded instructions, block
// labels, if/else with a result, i64/f64 constants, memarg offset and align, memory.fill, v128
// constants, lanes, calls, unnamed parameters and functions.
const SAMPLE = `(module
  (import "env" "memory" (memory 1 4))
  (func $add (export "add") (param $a i32) (param $b i32) (result i32)
    (i32.add (local.get $a) (local.get $b)))
  (func $sum (export "sum") (param $p i32) (param $n i32) (result f32)
    (local $acc v128) (local $i i32)
    block $done
      loop $next
        local.get $i
        local.get $n
        i32.ge_u
        br_if $done
        (local.set $acc (f32x4.add (local.get $acc) (v128.load offset=16 align=16 (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 4))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        br $next
      end
    end
    (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32x4.extract_lane 3 (local.get $acc))))
  (func (export "misc") (param f64) (result i64)
    (if (result i64) (f64.gt (local.get 0) (f64.const -1.5))
      (then (i64.const -129))
      (else (i64.const 0xffffffffff))))
  (func $fill (export "fill") (param $p i32) (param $n i32)
    (memory.fill (local.get $p) (i32.const 0) (local.get $n))
    (v128.store (local.get $p) (i8x16.swizzle (v128.const i8x16 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 255) (v128.const f32x4 1.5 -2 0.25 3e-3)))
    (drop (call $add (i32.const -1) (i32.const 2147483647))))
)
`

// The same source assembled by wabt 1.0.32 (`wat2wasm golden.wat`), byte for byte.
const WABT_BYTES =
  '0061736d0100000001170460027f7f017f60027f7f017d60017c017e60027f7f0002100103656e76066d656d6f7279020101' +
  '0403050400010203071b040361646400000373756d0001046d69736300020466696c6c00030aa401040700200020016a0b3a' +
  '02017b017f02400340200320014f0d012002200020034104746afd000410fde4012102200341016a21030c000b0b2002fd1f' +
  '002002fd1f03920b1c00200044000000000000f8bf64047e42ff7e0542ffffffffff1f0b0b4200200041002001fc0b002000' +
  'fd0c0102030405060708090a0b0c0d0e0ffffd0c0000c03f000000c00000803ea69b443bfd0efd0b0400417f41ffffffff07' +
  '10001a0b'

const hex = (bytes: Uint8Array): string =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')

describe('our WAT assembler', () => {
  it('produces the same bytes as wabt for a module with every kind of immediate', () => {
    expect(hex(assembleWat(SAMPLE))).toBe(WABT_BYTES)
  })

  it('produces modules WebAssembly accepts and runs', () => {
    const memory = new Memory({ initial: 1, maximum: 4 })
    const { exports } = new Instance(new Module(assembleWat(SAMPLE)), { env: { memory } })
    const api = exports as {
      add(a: number, b: number): number
      misc(x: number): bigint
      sum(p: number, n: number): number
    }
    expect(api.add(2, 40)).toBe(42)
    expect(api.misc(0)).toBe(-129n)
    expect(api.misc(-2)).toBe(0xffffffffffn)
    const f32 = new Float32Array(memory.buffer)
    f32.set([1, 2, 3, 4, 10, 20, 30, 40], 4) // two vectors at byte 16 (offset=16 in the kernel)
    expect(api.sum(0, 2)).toBe(1 + 10 + (4 + 40))
  })

  it('can declare the memory import shared', () => {
    const shared = assembleWat(SAMPLE, { sharedMemory: true })
    const memory = new Memory({ initial: 1, maximum: 4, shared: true })
    expect(() => new Instance(new Module(shared), { env: { memory } })).not.toThrow()
  })

  it('names the offending token in its errors', () => {
    expect(() => assembleWat('(module (func (i32.frobnicate)))')).toThrow(WatError)
    expect(() => assembleWat('(module (func (i32.frobnicate)))')).toThrow(
      /unknown instruction "i32.frobnicate"/
    )
    expect(() => assembleWat('(module (func br $nowhere))')).toThrow(/unknown label \$nowhere/)
    expect(() => assembleWat('(module (func (local.get $x)))')).toThrow(/unknown local \$x/)
    expect(() => assembleWat('(module (func (i32.const 4294967296)))')).toThrow(
      /does not fit in i32/
    )
    expect(() => assembleWat('(module (func)')).toThrow(/missing "\)"/)
  })
})

describe('the checked-in kernels', () => {
  it('core/wasm/kernels.wasm.ts is the assembly of core/wasm/kernels.wat (run `npm run build:wasm`)', () => {
    const expected = renderKernelsModule(readFileSync(KERNELS_WAT_PATH, 'utf8'))
    expect(readFileSync(KERNELS_TS_PATH, 'utf8')).toBe(expected)
  })
})
