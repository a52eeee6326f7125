// A WebAssembly kernel memory for tests (Arena: a bump allocator over createMemory's buffer) and the plain
// definitions the kernel tests compare against: CSR rows, padded transposes, a relative closeness check.
// Shared by test/core/fast/kernels.test.ts and kernels-loss-optim.test.ts.

import { expect } from 'vitest'
import { createMemory, instantiateKernels, type Kernels } from '../../core'
import { seededValues } from './gradcheck'

/** A memory with a bump allocator: typed views at 64-byte-aligned byte addresses. */
export class Arena {
  readonly kernels: Kernels
  readonly f32: Float32Array
  readonly i32: Int32Array
  readonly u8: Uint8Array
  private next = 64

  constructor(bytes = 1 << 24) {
    const memory = createMemory(bytes, false)
    this.kernels = instantiateKernels(memory)
    this.f32 = new Float32Array(memory.buffer)
    this.i32 = new Int32Array(memory.buffer)
    this.u8 = new Uint8Array(memory.buffer)
  }

  /** Reserves `bytes` (plus 64 spare) and returns the address. */
  take(bytes: number): number {
    const at = this.next
    this.next = Math.ceil((this.next + bytes + 64) / 64) * 64
    return at
  }

  floats(values: ArrayLike<number>): number {
    const at = this.take(values.length * 4)
    this.f32.set(values, at >> 2)
    return at
  }

  readFloats(at: number, count: number): Float32Array {
    return this.f32.slice(at >> 2, (at >> 2) + count)
  }
}

export function expectClose(
  actual: Float32Array,
  expected: ArrayLike<number>,
  tolerance = 1e-5
): void {
  expect(actual.length).toBe(expected.length)
  let worst = 0
  for (let i = 0; i < actual.length; i++)
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / (1 + Math.abs(expected[i])))
  expect(worst).toBeLessThanOrEqual(tolerance)
}

/** Values with about `zeroFraction` of them exactly 0. */
export function sparseValues(n: number, seed: number, zeroFraction: number): Float32Array {
  const values = seededValues(n, seed)
  const mask = seededValues(n, seed + 99, 0, 1)
  for (let i = 0; i < n; i++) if (mask[i] < zeroFraction) values[i] = 0
  return values
}

/** CSR rows of a dense [rows, n] matrix (the plain definition: every nonzero, ascending). */
export function csrOf(a: Arena, dense: Float32Array, rows: number, n: number) {
  const stride = Math.ceil((n + 8) / 4) * 4
  const idx = a.take(rows * stride * 4)
  const val = a.take(rows * stride * 4)
  const cnt = a.take(rows * 4)
  for (let r = 0; r < rows; r++) {
    let k = 0
    for (let p = 0; p < n; p++) {
      const x = dense[r * n + p]
      if (x === 0) continue
      a.i32[(idx >> 2) + r * stride + k] = p
      a.f32[(val >> 2) + r * stride + k] = x
      k++
    }
    a.i32[(cnt >> 2) + r] = k
  }
  return { idx, val, cnt, stride }
}

/** Wᵀ [n, m] (m = out rounded up to 4, padding 0) from W [out, n]. */
export function transposedPadded(
  w: Float32Array,
  out: number,
  n: number
): { wt: Float32Array; m: number } {
  const m = Math.ceil(out / 4) * 4
  const wt = new Float32Array(n * m)
  for (let o = 0; o < out; o++) for (let p = 0; p < n; p++) wt[p * m + o] = w[o * n + p]
  return { wt, m }
}

/** Rows [rows, out] of a padded [rows, m] matrix. */
export function unpad(padded: Float32Array, rows: number, m: number, out: number): Float32Array {
  const result = new Float32Array(rows * out)
  for (let r = 0; r < rows; r++)
    for (let o = 0; o < out; o++) result[r * out + o] = padded[r * m + o]
  return result
}
