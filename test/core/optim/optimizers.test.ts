import { describe, expect, it } from 'vitest'
import { Adam, createParameter, Sgd, type Parameter } from '../../../core'

function param(values: number[], grads: number[], decays = true): Parameter {
  const p = createParameter('p', [values.length], decays)
  p.data.set(values)
  p.grad.set(grads)
  return p
}

describe('SGD', () => {
  it('plain: w ← w − lr·g', () => {
    const p = param([1, -2], [0.5, -1])
    new Sgd({ learningRate: 0.1 }).step([p])
    expect(Array.from(p.data)).toEqual([expect.closeTo(0.95, 6), expect.closeTo(-1.9, 6)])
  })

  it('momentum: v ← μv + g, w ← w − lr·v, over two steps', () => {
    const p = param([1], [1])
    const sgd = new Sgd({ learningRate: 0.1, momentum: 0.9 })
    sgd.step([p]) // v = 1, w = 0.9
    expect(p.data[0]).toBeCloseTo(0.9, 6)
    sgd.step([p]) // v = 0.9 + 1 = 1.9, w = 0.9 − 0.19 = 0.71
    expect(p.data[0]).toBeCloseTo(0.71, 6)
  })

  it('weight decay adds λ·w to the gradient of weights only', () => {
    const weight = param([2], [0], true)
    const bias = param([2], [0], false)
    new Sgd({ learningRate: 0.5, weightDecay: 0.1 }).step([weight, bias])
    expect(weight.data[0]).toBeCloseTo(2 - 0.5 * 0.1 * 2, 6)
    expect(bias.data[0]).toBe(2)
  })

  it('a learning rate changed between steps applies at once', () => {
    const p = param([0], [1])
    const sgd = new Sgd({ learningRate: 0.1 })
    sgd.step([p])
    sgd.learningRate = 1
    sgd.step([p])
    expect(p.data[0]).toBeCloseTo(-1.1, 6)
  })
})

describe('Adam', () => {
  it('first step moves every weight by lr·sign(g) (bias correction makes m̂/√v̂ = ±1)', () => {
    const p = param([1, 1, 1], [0.5, -3, 1e-3])
    new Adam({ learningRate: 0.01 }).step([p])
    expect(p.data[0]).toBeCloseTo(0.99, 5)
    expect(p.data[1]).toBeCloseTo(1.01, 5)
    expect(p.data[2]).toBeCloseTo(0.99, 4)
  })

  it('matches the update rule computed by hand for two steps', () => {
    const p = param([0.5], [0.2])
    const adam = new Adam({ learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 })
    adam.step([p])
    p.grad[0] = -0.4
    adam.step([p])
    // step 1: m = 0.02, v = 4e-5, m̂ = 0.2, v̂ = 0.04 → w = 0.5 − 0.1·0.2/0.2 = 0.4
    // step 2: m = 0.018 − 0.04 = −0.022, v = 3.996e-5 + 1.6e-4 = 1.9996e-4
    const m = 0.9 * 0.02 + 0.1 * -0.4
    const v = 0.999 * 4e-5 + 0.001 * 0.16
    const expected = 0.4 - (0.1 * (m / (1 - 0.81))) / (Math.sqrt(v / (1 - 0.999 ** 2)) + 1e-8)
    expect(p.data[0]).toBeCloseTo(expected, 5)
  })

  it('minimises a quadratic bowl', () => {
    const p = param([3, -4], [0, 0])
    const adam = new Adam({ learningRate: 0.1 })
    for (let i = 0; i < 500; i++) {
      p.grad[0] = 2 * p.data[0] // ∂(x² + y²)/∂x
      p.grad[1] = 2 * p.data[1]
      adam.step([p])
    }
    expect(Math.abs(p.data[0])).toBeLessThan(1e-2)
    expect(Math.abs(p.data[1])).toBeLessThan(1e-2)
  })
})
