// core/explain on convolutional nets: saliency through conv and pool layers, gradient checks of conv
// parameters against the float64 reference, and the step-through on nets that are not plain dense.
import { describe, expect, it } from 'vitest'
import {
  checkGradients,
  type Conv2D,
  createRng,
  Matrix,
  sampleIndices,
  saliency,
  Sequential,
  stepThrough,
  type LayerActivation,
  type ModelArchitecture
} from '../../../core'
import { expectGradientMatches, seededValues } from '../../helpers/gradcheck'

/** 1×12×12 → conv 3×3×4 → pool 2 → conv 3×3×3 valid → flatten → 6 → 10. */
const smallCnn = (activation: LayerActivation): ModelArchitecture => ({
  inputShape: [1, 12, 12],
  layers: [
    { kind: 'conv', filters: 4, kernel: 3, stride: 1, padding: 'same', activation },
    { kind: 'maxpool', size: 2 },
    { kind: 'conv', filters: 3, kernel: 3, stride: 1, padding: 'valid', activation },
    { kind: 'flatten' },
    { kind: 'dense', units: 6, activation },
    { kind: 'dropout', rate: 0.5 }
  ],
  outputSize: 10
})
const batch = (rows: number, seed: number) =>
  new Matrix(rows, 144, seededValues(rows * 144, seed, 0, 1))
const labels = (rows: number) => Uint8Array.from({ length: rows }, (_, i) => (i * 3) % 10)
const agrees = (check: { relativeError: number; analytic: number; numeric: number }) =>
  check.relativeError < 1e-3 || Math.abs(check.analytic - check.numeric) < 1e-7

describe('saliency through conv and pool layers', () => {
  it('equals the finite-difference gradient of the class logit', () => {
    const net = new Sequential(smallCnn('tanh'), 'xavier', createRng(3))
    const x = seededValues(144, 4, 0, 1)
    const map = saliency(net, x, 5)
    const logit5 = () => net.forward(new Matrix(1, 144, x)).data[5]
    expectGradientMatches(logit5, x, map, { rtol: 2e-2, atol: 1e-4 })
    expect(net.parameters().every((p) => p.grad.every((g) => g === 0))).toBe(true)
  })
})

describe('checkGradients on conv nets', () => {
  for (const parameter of [
    'conv1.weight',
    'conv1.bias',
    'conv2.weight',
    'conv2.bias',
    'dense1.weight'
  ]) {
    it(`agrees with the float64 finite difference on ${parameter} (tanh: no kinks)`, () => {
      const net = new Sequential(smallCnn('tanh'), 'xavier', createRng(5))
      const size = net.parameters().find((p) => p.name === parameter)!.data.length
      const checks = checkGradients(
        net,
        batch(6, 7),
        labels(6),
        parameter,
        sampleIndices(size, 20, createRng(1))
      )
      for (const check of checks) {
        // Pooling can still have a kink: a window whose two best values trade places.
        if (!check.kink) expect(agrees(check), JSON.stringify(check)).toBe(true)
      }
      expect(checks.filter((c) => c.kink).length).toBeLessThanOrEqual(1)
    })
  }

  it('on a ReLU conv net, every check agrees or is flagged as a kink, and the weights are restored', () => {
    const net = new Sequential(smallCnn('relu'), 'he', createRng(8))
    const before = net.parameters().map((p) => Float32Array.from(p.data))
    const checks = checkGradients(
      net,
      batch(8, 2),
      labels(8),
      'conv1.weight',
      sampleIndices(36, 36, createRng(1))
    )
    expect(checks).toHaveLength(36)
    for (const check of checks.filter((c) => !c.kink)) expect(agrees(check)).toBe(true)
    net.parameters().forEach((p, i) => expect(p.data).toEqual(before[i]))
  })

  it('flags a kink when a pooling window changes its winner between w − h and w + h', () => {
    // conv 1×1 over 2 channels, z = w0·x0 + w1·x1 with w0 = w1: pixel 0 (x0 = 1) and pixel 1 (x1 = 1)
    // tie in the first 2×2 window; nudging w0 up makes pixel 0 win, down makes pixel 1 win.
    const net = new Sequential(
      {
        inputShape: [2, 2, 2],
        layers: [
          { kind: 'conv', filters: 1, kernel: 1, stride: 1, padding: 'valid', activation: 'none' },
          { kind: 'maxpool', size: 2 },
          { kind: 'flatten' }
        ],
        outputSize: 2
      },
      'he',
      createRng(1)
    )
    const conv1 = net.layers[0] as Conv2D
    conv1.weight.data.set([0.5, 0.5])
    conv1.bias.data.set([0])
    const x = new Matrix(1, 8, Float32Array.of(1, 0, 0, 0, 0, 1, 0, 0)) // channel 0, then channel 1
    const [check] = checkGradients(net, x, Uint8Array.of(1), 'conv1.weight', [0])
    expect(check.kink).toBe(true)
  })

  it('catches a wrong conv backward pass (the check can fail)', () => {
    const net = new Sequential(smallCnn('tanh'), 'xavier', createRng(5))
    const conv2 = net.layers[3] as Conv2D
    expect(conv2.name).toBe('conv2')
    const correctBackward = conv2.backward.bind(conv2)
    // A bug that doubles conv2's bias gradient: numeric stays right, analytic is 2× → error ≈ 1/3.
    conv2.backward = (dy, needInputGrad) => {
      const dx = correctBackward(dy, needInputGrad)
      for (let i = 0; i < conv2.bias.grad.length; i++) conv2.bias.grad[i] *= 2
      return dx
    }
    const [broken] = checkGradients(net, batch(4, 3), labels(4), 'conv2.bias', [1])
    expect(broken.relativeError).toBeCloseTo(1 / 3, 1)
  })
})

describe('stepThrough', () => {
  // It used to refuse every net but a plain dense one; conv-step-through.test.ts checks its numbers.
  it('steps through a conv net on 12×12 images, and a dense net with mixed activations', () => {
    const net = new Sequential(smallCnn('relu'), 'he', createRng(1))
    const result = stepThrough(net, seededValues(144, 1, 0, 1), 3, 0.1)
    expect(result.stages.find((s) => s.id === 'z1')!.dims).toEqual([4, 12, 12])
    const mixed = new Sequential(
      {
        inputShape: [1, 1, 6],
        layers: [
          { kind: 'dense', units: 4, activation: 'tanh' },
          { kind: 'dense', units: 3, activation: 'none' }
        ],
        outputSize: 2
      },
      'he',
      createRng(2)
    )
    const step = stepThrough(mixed, seededValues(6, 2, 0, 1), 1, 0.1)
    expect(step.stages.filter((s) => s.phase === 'forward').map((s) => s.id)).toEqual([
      'x',
      'z1',
      'a1',
      'z2',
      'z3',
      'p',
      'loss'
    ])
  })
})
