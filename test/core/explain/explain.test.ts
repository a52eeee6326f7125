import { describe, expect, it } from 'vitest'
import {
  analyticGradient,
  checkGradients,
  createRng,
  Matrix,
  sampleIndices,
  saliency,
  Sgd,
  SoftmaxCrossEntropy,
  stepThrough,
  strongestIndices,
  type ActivationKind
} from '../../../core'
import { expectGradientMatches, seededValues } from '../../helpers/gradcheck'
import { heDenseNet, ONE_HIDDEN_LAYER_STAGES } from '../../helpers/architectures'

const model = (activation?: ActivationKind, hiddenSizes?: number[]) =>
  heDenseNet(11, activation, hiddenSizes)
const image = (seed = 3) => seededValues(784, seed, 0, 1).map((v, i) => (i % 5 === 0 ? 0 : v)) // some zero pixels

describe('saliency', () => {
  it('equals the finite-difference gradient of the class logit with respect to every pixel', () => {
    const net = model('tanh')
    const x = image()
    const map = saliency(net, x, 7)
    const logit7 = () => net.forward(new Matrix(1, 784, x)).data[7]
    expectGradientMatches(logit7, x, map, {
      rtol: 2e-2,
      atol: 1e-4,
      indices: Array.from({ length: 80 }, (_, k) => k * 9)
    })
  })

  it('leaves the parameter gradients clean and rejects bad arguments', () => {
    const net = model()
    saliency(net, image(), 2)
    expect(net.parameters().every((p) => p.grad.every((g) => g === 0))).toBe(true)
    expect(() => saliency(net, new Float32Array(10), 2)).toThrow(/expected 784 input values/)
    expect(() => saliency(net, image(), 10)).toThrow(/class must be a whole number from 0 to 9/)
  })
})

describe('stepThrough', () => {
  for (const [activation, hidden] of [
    ['relu', [10]],
    ['sigmoid', [12, 8]],
    ['tanh', []]
  ] as const) {
    it(`matches the engine's forward pass and gradients exactly (${activation}, hidden ${JSON.stringify(hidden)})`, () => {
      const net = model(activation, [...hidden])
      const x = image()
      const result = stepThrough(net, x, 4, 0.03)
      const stage = (id: string) => result.stages.find((s) => s.id === id)!.value.values

      const loss = new SoftmaxCrossEntropy(10)
      const engineLoss = loss.forward(net.forward(new Matrix(1, 784, x)), Uint8Array.of(4))
      net.zeroGrad()
      net.backward(loss.backward())
      expect(result.loss).toBeCloseTo(engineLoss, 5)
      expect(Array.from(result.probabilities)).toEqual(
        Array.from(loss.probabilities.data).map((v) => expect.closeTo(v, 6))
      )
      net.denseLayers.forEach((layer, i) => {
        const dW = stage(`dW${i + 1}`)
        const worst = Math.max(...Array.from(dW, (v, k) => Math.abs(v - layer.weight.grad[k])))
        expect(worst).toBeLessThan(1e-5)
        expect(Array.from(stage(`db${i + 1}`))).toEqual(
          Array.from(layer.bias.grad).map((v) => expect.closeTo(v, 5))
        )
      })

      // The update stages are exactly one plain SGD step.
      new Sgd({ learningRate: 0.03 }).step(net.parameters())
      net.denseLayers.forEach((layer, i) => {
        const updated = stage(`W${i + 1}′`)
        expect(
          Math.max(...Array.from(updated, (v, k) => Math.abs(v - layer.weight.data[k])))
        ).toBeLessThan(1e-6)
      })
    })
  }

  it('names every stage with its formula and numpy-style shapes, like the original project', () => {
    const result = stepThrough(model(), image(), 4, 0.03)
    const byId = Object.fromEntries(result.stages.map((s) => [s.id, s]))
    expect(result.stages.map((s) => s.id)).toEqual(ONE_HIDDEN_LAYER_STAGES)
    expect(byId.z1.formula).toBe('z1 = x · W1 + b1')
    expect(byId.z1.shapes).toBe('(1, 784) · (784, 10) + (1, 10) → (1, 10)')
    expect(byId.dz2.formula).toBe('dz2 = p − y')
    expect(byId.dz1.formula).toBe('dz1 = da1 ⊙ [z1 > 0]')
    expect(byId.dW1.shapes).toBe('(784, 1) · (1, 10) → (784, 10)')
    expect(byId.dW1.value).toMatchObject({ rows: 10, cols: 784 }) // ten 28×28 gradient images
    expect(byId.dW1.storedTransposed).toBe(true)
  })

  it('includes the weights the update starts from, a copy: W′ = W − lr · dW', () => {
    const net = model('sigmoid', [12, 8])
    const result = stepThrough(net, image(), 2, 0.5)
    const stage = (id: string) => result.stages.find((s) => s.id === id)!.value.values
    expect(result.weightsBefore).toHaveLength(3)
    net.denseLayers.forEach((layer, i) => {
      const before = result.weightsBefore[i]
      expect(before).toEqual(layer.weight.data)
      expect(before).not.toBe(layer.weight.data)
      const dW = stage(`dW${i + 1}`)
      const after = stage(`W${i + 1}′`)
      for (let k = 0; k < before.length; k++)
        expect(after[k]).toBe(Math.fround(before[k] - 0.5 * dW[k]))
    })
  })

  it('does not change the model', () => {
    const net = model()
    const before = net.parameters().map((p) => Float32Array.from(p.data))
    stepThrough(net, image(), 1, 0.5)
    net.parameters().forEach((p, i) => expect(p.data).toEqual(before[i]))
  })
})

describe('checkGradients', () => {
  it('reports tiny relative errors on the real network and restores the weights', () => {
    const net = model('tanh', [16])
    const x = new Matrix(8, 784, seededValues(8 * 784, 5, 0, 1))
    const labels = Uint8Array.of(0, 1, 2, 3, 4, 5, 6, 7)
    const before = Float32Array.from(net.denseLayers[0].weight.data)
    const indices = sampleIndices(784 * 16, 40, createRng(2))
    const checks = checkGradients(net, x, labels, 'dense1.weight', indices)
    expect(checks).toHaveLength(40)
    // float64 numeric side vs float32 backprop: agreement to float32 precision, no kinks without ReLU.
    for (const check of checks) {
      expect(check.kink).toBe(false)
      expect(check.relativeError < 1e-3 || Math.abs(check.analytic - check.numeric) < 1e-7).toBe(
        true
      )
    }
    expect(net.denseLayers[0].weight.data).toEqual(before)
  })

  it('on a ReLU net, every check either agrees or is flagged as sitting on a kink', () => {
    const net = model('relu', [16])
    const x = new Matrix(16, 784, seededValues(16 * 784, 9, 0, 1))
    const labels = Uint8Array.from({ length: 16 }, (_, i) => i % 10)
    const checks = checkGradients(
      net,
      x,
      labels,
      'dense1.weight',
      sampleIndices(784 * 16, 200, createRng(4))
    )
    for (const check of checks.filter((c) => !c.kink)) {
      expect(check.relativeError < 1e-3 || Math.abs(check.analytic - check.numeric) < 1e-7).toBe(
        true
      )
    }
    expect(checks.filter((c) => c.kink).length).toBeLessThan(checks.length * 0.05)
  })

  it('flags a kink when a ReLU switches between w − h and w + h', () => {
    const net = model('relu', [4])
    const x = new Matrix(1, 784, seededValues(784, 3, 0, 1))
    // Put unit 0 of dense1 exactly at its kink: z = w·x + b = 0 for this one image.
    const dense1 = net.denseLayers[0]
    let z = 0
    for (let i = 0; i < 784; i++) z += dense1.weight.data[i] * x.data[i]
    dense1.bias.data[0] = -z
    const [check] = checkGradients(net, x, Uint8Array.of(3), 'dense1.weight', [7])
    expect(check.kink).toBe(true)
  })

  it('catches a wrong backward pass (the check can fail), and rejects unknown parameters', () => {
    const net = model('tanh', [16])
    const x = new Matrix(4, 784, seededValues(4 * 784, 6, 0, 1))
    const labels = Uint8Array.of(1, 2, 3, 4)
    const dense2 = net.denseLayers[1]
    const correctBackward = dense2.backward.bind(dense2)
    // A bug that doubles dense2's weight gradient: numeric stays right, analytic is 2× → error ≈ 1/3.
    dense2.backward = (dy, needInputGrad) => {
      const dx = correctBackward(dy, needInputGrad)
      for (let i = 0; i < dense2.weight.grad.length; i++) dense2.weight.grad[i] *= 2
      return dx
    }
    const [broken] = checkGradients(net, x, labels, 'dense2.weight', [3])
    expect(broken.relativeError).toBeCloseTo(1 / 3, 1)
    expect(() => checkGradients(net, x, labels, 'dense9.weight', [0])).toThrow(
      /no parameter named dense9.weight/
    )
    expect(() => checkGradients(net, x, labels, 'dense1.weight', [784 * 16])).toThrow(
      /out of range/
    )
  })
})

describe('analyticGradient and strongestIndices: where a gradient check is worth starting', () => {
  it('is the gradient the check compares, and leaves the weights and gradients as they were', () => {
    const net = model('tanh', [16])
    const x = new Matrix(4, 784, seededValues(4 * 784, 8, 0, 1))
    const labels = Uint8Array.of(1, 2, 3, 4)
    const before = Float32Array.from(net.denseLayers[0].weight.data)
    const gradient = analyticGradient(net, x, labels, 'dense1.weight')
    expect(gradient).toHaveLength(784 * 16)
    const [check] = checkGradients(net, x, labels, 'dense1.weight', [123])
    expect(gradient[123]).toBe(check.analytic)
    expect(net.denseLayers[0].weight.data).toEqual(before)
    expect(net.parameters().every((p) => p.grad.every((g) => g === 0))).toBe(true)
    expect(() => analyticGradient(net, x, labels, 'dense9.weight')).toThrow(/no parameter named/)
  })

  it('orders weights by |gradient|, largest first, ties by index; an unused pixel (g = 0) comes last', () => {
    const g = Float32Array.of(0, -3, 1, 3, 0.5)
    expect(strongestIndices(g, 3)).toEqual([1, 3, 2])
    expect(strongestIndices(g, 10)).toEqual([1, 3, 2, 4, 0])
    // On the real net, the strongest dense1 weight sits on a pixel the batch inks, so it is never blank.
    const net = model('relu', [16])
    const x = new Matrix(1, 784, image(5))
    const [strongest] = strongestIndices(
      analyticGradient(net, x, Uint8Array.of(2), 'dense1.weight'),
      1
    )
    expect(x.data[strongest % 784]).toBeGreaterThan(0)
    const [check] = checkGradients(net, x, Uint8Array.of(2), 'dense1.weight', [strongest])
    expect(Math.abs(check.analytic)).toBeGreaterThan(0)
  })
})
