// The ACTIVATIONS table: each f by hand, and each backward rule (written from the output y = f(z))
// against a float64 central difference of f. The layers built on it are gradient-checked in layers.test.ts.

import { describe, expect, it } from 'vitest'
import { ACTIVATION_KINDS, ACTIVATIONS } from '../../../core'

describe('ACTIVATIONS', () => {
  it('computes each f by hand', () => {
    const { relu, sigmoid, tanh } = ACTIVATIONS
    expect([-2, 0, 3].map(relu.apply)).toEqual([0, 0, 3])
    expect(sigmoid.apply(0)).toBe(0.5)
    expect(sigmoid.apply(Math.log(3))).toBeCloseTo(0.75, 15) // 1 / (1 + 1/3)
    expect(tanh.apply(0)).toBe(0)
    expect(tanh.apply(Math.log(2))).toBeCloseTo(0.6, 15) // (2 − ½) / (2 + ½)
  })

  it('passes dy through the ReLU only where the unit was on (y > 0)', () => {
    expect(ACTIVATIONS.relu.inputGrad(3, -0.5)).toBe(-0.5)
    expect(ACTIVATIONS.relu.inputGrad(0, -0.5)).toBe(0)
  })

  it('has backward rules equal to dy · f′(z), f′ by central differences', () => {
    const h = 1e-6
    for (const kind of ACTIVATION_KINDS) {
      const f = ACTIVATIONS[kind]
      for (const z of [-3, -0.7, 0.2, 1.5, 4]) {
        const slope = (f.apply(z + h) - f.apply(z - h)) / (2 * h)
        expect(f.inputGrad(f.apply(z), 2.5), `${kind} at ${z}`).toBeCloseTo(2.5 * slope, 8)
      }
    }
  })

  it('stays finite (and saturates) far from 0', () => {
    expect(ACTIVATIONS.sigmoid.apply(-1000)).toBe(0)
    expect(ACTIVATIONS.sigmoid.apply(1000)).toBe(1)
    expect(ACTIVATIONS.tanh.apply(-1000)).toBe(-1)
    expect(ACTIVATIONS.sigmoid.inputGrad(1, 1)).toBe(0)
  })
})
