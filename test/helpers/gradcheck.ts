// Finite-difference gradient checks: the oracle for every backward pass in the engine.

import { expect } from 'vitest'
import { Matrix, type Layer } from '../../core'

/**
 * Central difference (f(x+h) − f(x−h)) / 2h at index i of x. Its error is O(h²); with float32
 * storage, h = 1e-2 balances truncation error against rounding of the stored values.
 */
export function numericGradient(f: () => number, x: Float32Array, i: number, h = 1e-2): number {
  const original = x[i]
  x[i] = original + h
  const up = f()
  x[i] = original - h
  const down = f()
  x[i] = original
  return (up - down) / (2 * h)
}

/** |a − n| / max(|a| + |n|, floor): the usual gradcheck relative error, safe near zero. */
export function relativeError(analytic: number, numeric: number, floor = 1e-6): number {
  return Math.abs(analytic - numeric) / Math.max(Math.abs(analytic) + Math.abs(numeric), floor)
}

const close = (a: number, b: number, rtol: number, atol: number): boolean =>
  Math.abs(a - b) <= atol || relativeError(a, b) <= rtol

/**
 * Asserts that `analytic[i]` ≈ ∂f/∂x[i] for every i (or the given sample of indices).
 * Passes when the absolute difference is below atol or the relative error below rtol.
 * NOTE: where a perturbation of ±h crosses a kink (ReLU at 0), the finite difference is not the
 * derivative. Such points show up as two step sizes (h, h/2) disagreeing with each other; they are
 * skipped, and at most `maxKinkFraction` of the indices may be skipped, so the check cannot go blind.
 */
export function expectGradientMatches(
  f: () => number,
  x: Float32Array,
  analytic: Float32Array,
  {
    rtol = 1e-2,
    atol = 1e-4,
    indices,
    maxKinkFraction = 0.1
  }: { rtol?: number; atol?: number; indices?: number[]; maxKinkFraction?: number } = {}
): void {
  const checked = indices ?? Array.from({ length: x.length }, (_, i) => i)
  let kinks = 0
  for (const i of checked) {
    const numeric = numericGradient(f, x, i)
    if (close(analytic[i], numeric, rtol, atol)) continue
    const finer = numericGradient(f, x, i, 5e-3)
    if (!close(numeric, finer, rtol, atol)) {
      kinks++
      continue
    }
    expect.fail(`gradient mismatch at index ${i}: analytic ${analytic[i]}, numeric ${numeric}`)
  }
  if (kinks > maxKinkFraction * checked.length) {
    expect.fail(
      `${kinks} of ${checked.length} indices sit on kinks; the check would not be meaningful`
    )
  }
}

/** n random values in [low, high) from a small seeded generator (tests must be reproducible). */
export function seededValues(n: number, seed: number, low = -1, high = 1): Float32Array {
  let state = seed >>> 0
  const out = new Float32Array(n)
  for (let i = 0; i < n; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    out[i] = low + (high - low) * (state / 4294967296)
  }
  return out
}

/**
 * Checks a layer's whole backward pass: with the scalar loss L = Σ r ⊙ layer(x) for a fixed random r,
 * ∂L/∂output = r, so ∂L/∂x and every ∂L/∂parameter are compared with finite differences.
 */
export function checkLayer(
  layer: Layer,
  x: Matrix,
  { rtol = 1e-2, atol = 1e-3, maxKinkFraction = 0.1 } = {}
): void {
  const out = layer.forward(x)
  const r = new Matrix(out.rows, out.cols, seededValues(out.data.length, 42))
  const loss = (): number => {
    const y = layer.forward(x)
    let sum = 0
    for (let i = 0; i < y.data.length; i++) sum += r.data[i] * y.data[i]
    return sum
  }
  for (const p of layer.parameters()) p.grad.fill(0)
  layer.forward(x)
  const dx = layer.backward(r, true)!
  const analyticInput = Float32Array.from(dx.data)
  expectGradientMatches(loss, x.data, analyticInput, { rtol, atol, maxKinkFraction })
  for (const p of layer.parameters()) {
    expectGradientMatches(loss, p.data, Float32Array.from(p.grad), { rtol, atol, maxKinkFraction })
  }
}
