import { describe, expect, it } from 'vitest'
import {
  countParameters,
  createRng,
  describeArchitecture,
  Matrix,
  Sequential,
  SoftmaxCrossEntropy
} from '../../../core'
import type { ActivationKind, ModelArchitecture } from '../../../core'
import { expectGradientMatches, seededValues } from '../../helpers/gradcheck'
import { denseNet } from '../../helpers/architectures'

const arch = (
  hiddenSizes: number[],
  activation: ActivationKind = 'relu',
  inputSize = 12
): ModelArchitecture => denseNet(hiddenSizes, activation, inputSize)

describe('Sequential', () => {
  it('builds dense → activation → … → dense from the architecture', () => {
    const model = new Sequential(arch([8, 6], 'tanh'), 'xavier', createRng(1))
    expect(model.layers.map((l) => l.name)).toEqual([
      'dense1',
      'tanh1',
      'dense2',
      'tanh2',
      'dense3'
    ])
    expect(model.parameters().map((p) => p.name)).toEqual([
      'dense1.weight',
      'dense1.bias',
      'dense2.weight',
      'dense2.bias',
      'dense3.weight',
      'dense3.bias'
    ])
    expect(model.parameters().map((p) => p.shape)).toEqual([
      [8, 12],
      [8],
      [6, 8],
      [6],
      [10, 6],
      [10]
    ])
  })

  it('with no hidden layer is softmax regression: one dense layer', () => {
    const model = new Sequential(arch([]), 'he', createRng(1))
    expect(model.layers.map((l) => l.name)).toEqual(['dense1'])
  })

  it('describes and counts the seed net like the original project', () => {
    const seed = denseNet([10])
    expect(describeArchitecture(seed)).toBe('784 → 10 ReLU → 10')
    expect(countParameters(seed)).toBe(784 * 10 + 10 + 10 * 10 + 10)
  })

  for (const activation of ['relu', 'sigmoid', 'tanh'] as const) {
    it(`whole model + loss: every parameter and the input gradient match finite differences (${activation})`, () => {
      const model = new Sequential(arch([7, 5], activation), 'xavier', createRng(7))
      // Inputs chosen so that no pre-activation is within 0.05 of ReLU's kink at 0: there the central
      // difference straddles two slopes and measures neither (checked below, so it cannot go stale).
      const x = new Matrix(4, 12, seededValues(48, 15))
      const preActivations = [
        model.denseLayers[0].forward(x),
        model.denseLayers[1].forward(model.layers[1].forward(model.denseLayers[0].forward(x)))
      ]
      for (const z of preActivations) expect(z.data.every((v) => Math.abs(v) > 0.05)).toBe(true)
      const labels = Uint8Array.of(1, 9, 4, 4)
      const lossLayer = new SoftmaxCrossEntropy(10)
      const loss = () => lossLayer.forward(model.forward(x), labels)
      loss()
      model.zeroGrad()
      const dx = Float32Array.from(model.backward(lossLayer.backward(), true)!.data)
      for (const p of model.parameters()) {
        expectGradientMatches(loss, p.data, Float32Array.from(p.grad), {
          rtol: 2e-2,
          atol: 2e-4,
          maxKinkFraction: 0
        })
      }
      expectGradientMatches(loss, x.data, dx, { rtol: 2e-2, atol: 2e-4, maxKinkFraction: 0 })
    })
  }

  it('initialisers have the documented scale', () => {
    const std = (values: Float32Array) =>
      Math.sqrt(values.reduce((s, v) => s + v * v, 0) / values.length)
    const big = denseNet([256])
    const he = new Sequential(big, 'he', createRng(1)).denseLayers[0].weight.data
    expect(std(he)).toBeCloseTo(Math.sqrt(2 / 784), 2)
    const xavier = new Sequential(big, 'xavier', createRng(1)).denseLayers[0].weight.data
    expect(std(xavier)).toBeCloseTo(Math.sqrt(6 / (784 + 256)) / Math.sqrt(3), 2)
    const uniform = new Sequential(big, 'uniform', createRng(1)).denseLayers[0].weight.data
    expect(std(uniform)).toBeCloseTo(1 / Math.sqrt(3), 2)
    expect(uniform.every((w) => w >= -1 && w < 1)).toBe(true)
  })

  it('the same seed gives the same weights; another seed different ones', () => {
    const a = new Sequential(arch([5]), 'he', createRng(3)).parameters()[0].data
    const b = new Sequential(arch([5]), 'he', createRng(3)).parameters()[0].data
    const c = new Sequential(arch([5]), 'he', createRng(4)).parameters()[0].data
    expect(Array.from(a)).toEqual(Array.from(b))
    expect(Array.from(a)).not.toEqual(Array.from(c))
  })
})
