// Conv2D, MaxPool2D, Flatten and Dropout: hand-computed values, finite-difference gradient checks,
// and a convolutional Sequential built from its layer list.
import { describe, expect, it } from 'vitest'
import {
  Conv2D,
  createRng,
  Dropout,
  Flatten,
  Matrix,
  MaxPool2D,
  Sequential,
  SoftmaxCrossEntropy,
  type ModelArchitecture
} from '../../../core'
import { checkLayer, expectGradientMatches, seededValues } from '../../helpers/gradcheck'

/** Distinct values 0.05 apart in a seeded order: no two in a pooling window within a finite difference's reach. */
function spacedValues(n: number, seed: number): Float32Array {
  const order = seededValues(n, seed)
  const ranks = Array.from({ length: n }, (_, i) => i).sort((a, b) => order[a] - order[b])
  const out = new Float32Array(n)
  ranks.forEach((index, rank) => (out[index] = (rank - n / 2) * 0.05))
  return out
}

describe('Conv2D', () => {
  it('computes a cross-correlation by hand: 3×3 input, 2×2 filter, valid', () => {
    const conv = new Conv2D(
      'conv1',
      { channels: 1, height: 3, width: 3 },
      1,
      2,
      1,
      'valid',
      'he',
      createRng(1)
    )
    conv.weight.data.set([1, 2, 3, 4]) // [[1, 2], [3, 4]]
    conv.bias.data.set([0.5])
    const x = new Matrix(1, 9, Float32Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9))
    // y[0,0] = 1·1 + 2·2 + 3·4 + 4·5 + ½ = 37.5, and so on one step right / down
    expect(Array.from(conv.forward(x).data)).toEqual([37.5, 47.5, 67.5, 77.5])
    expect([conv.outHeight, conv.outWidth, conv.outFeatures]).toEqual([2, 2, 4])
  })

  it("'same' padding keeps the size at stride 1; stride 2 halves it, rounding up", () => {
    const image = { channels: 1, height: 7, width: 5 }
    const same = new Conv2D('conv1', image, 4, 3, 1, 'same', 'he', createRng(1))
    expect([same.outHeight, same.outWidth]).toEqual([7, 5])
    const strided = new Conv2D('conv1', image, 4, 3, 2, 'same', 'he', createRng(1))
    expect([strided.outHeight, strided.outWidth]).toEqual([4, 3])
  })

  const geometries = [
    { name: '1 channel, 3×3 same, stride 1', C: 1, H: 5, W: 6, O: 2, k: 3, s: 1, padding: 'same' },
    {
      name: '2 channels, 3×3 valid, stride 2',
      C: 2,
      H: 7,
      W: 5,
      O: 3,
      k: 3,
      s: 2,
      padding: 'valid'
    },
    { name: '3 channels, 1×1', C: 3, H: 4, W: 4, O: 2, k: 1, s: 1, padding: 'valid' },
    { name: '2 channels, 5×5 same, stride 2', C: 2, H: 8, W: 7, O: 2, k: 5, s: 2, padding: 'same' }
  ] as const
  for (const { name, C, H, W, O, k, s, padding } of geometries) {
    it(`∂L/∂x, ∂L/∂W and ∂L/∂b match finite differences (${name})`, () => {
      const conv = new Conv2D(
        'conv1',
        { channels: C, height: H, width: W },
        O,
        k,
        s,
        padding,
        'xavier',
        createRng(3)
      )
      conv.bias.data.set(seededValues(O, 8))
      checkLayer(conv, new Matrix(2, C * H * W, seededValues(2 * C * H * W, 5)))
    })
  }

  it('stores W as [O, C, k, k] and scales He init by the fan-in C·k·k', () => {
    const conv = new Conv2D(
      'conv2',
      { channels: 16, height: 10, width: 10 },
      32,
      5,
      1,
      'same',
      'he',
      createRng(2)
    )
    expect(conv.weight.shape).toEqual([32, 16, 5, 5])
    expect(conv.bias.shape).toEqual([32])
    const w = conv.weight.data
    const std = Math.sqrt(w.reduce((sum, v) => sum + v * v, 0) / w.length)
    expect(std).toBeCloseTo(Math.sqrt(2 / (16 * 25)), 2)
  })

  it('skips the input gradient when asked, and rejects a wrong input width', () => {
    const conv = new Conv2D(
      'conv1',
      { channels: 1, height: 4, width: 4 },
      2,
      3,
      1,
      'same',
      'he',
      createRng(1)
    )
    conv.forward(new Matrix(1, 16, seededValues(16, 1)))
    expect(conv.backward(new Matrix(1, 32, seededValues(32, 2)), false)).toBeNull()
    expect(conv.weight.grad.some((g) => g !== 0)).toBe(true)
    expect(() => conv.forward(new Matrix(1, 15))).toThrow(/conv1.forward: expected 16 columns/)
  })
})

describe('MaxPool2D', () => {
  it('keeps each window’s maximum and sends its gradient to the winner alone', () => {
    const pool = new MaxPool2D('pool1', { channels: 1, height: 3, width: 4 }, 2)
    // 3×4 → 1×2: the last row does not fill a window and is dropped.
    const x = new Matrix(1, 12, Float32Array.of(1, 5, 2, 0, 3, 4, 8, 7, 9, 9, 9, 9))
    expect(Array.from(pool.forward(x).data)).toEqual([5, 8])
    const dx = pool.backward(new Matrix(1, 2, Float32Array.of(10, 20)))
    expect(Array.from(dx.data)).toEqual([0, 10, 0, 0, 0, 0, 20, 0, 0, 0, 0, 0])
  })

  it('∂L/∂x matches finite differences (2 channels, odd sizes, size 2 and 3)', () => {
    for (const size of [2, 3]) {
      const pool = new MaxPool2D('pool1', { channels: 2, height: 7, width: 6 }, size)
      checkLayer(pool, new Matrix(2, 84, spacedValues(168, size)), { maxKinkFraction: 0 })
    }
  })
})

describe('Flatten and Dropout', () => {
  it('Flatten changes nothing: a row is already the C·H·W values in CHW order', () => {
    const flatten = new Flatten('flatten1', 12)
    const x = new Matrix(2, 12, seededValues(24, 1))
    expect(flatten.forward(x)).toBe(x)
    expect(flatten.backward(x)).toBe(x)
    expect(() => flatten.forward(new Matrix(2, 10))).toThrow(
      /flatten1.forward: expected 12 columns/
    )
  })

  it('Dropout is the identity when not training', () => {
    const dropout = new Dropout('dropout1', 0.5, createRng(1))
    const x = new Matrix(3, 4, seededValues(12, 1))
    expect(dropout.forward(x)).toBe(x)
    expect(dropout.backward(x)).toBe(x)
  })

  it('while training, drops about `rate` of the values and scales the rest by 1/(1 − rate)', () => {
    const rate = 0.25
    const dropout = new Dropout('dropout1', rate, createRng(4))
    const x = new Matrix(100, 100, new Float32Array(10_000).fill(2))
    const y = dropout.forward(x, true)
    const dropped = y.data.filter((v) => v === 0).length
    expect(dropped / 10_000).toBeCloseTo(rate, 1)
    expect(y.data.every((v) => v === 0 || Math.abs(v - 2 / (1 - rate)) < 1e-6)).toBe(true)
    // E[y] = x: the mean is kept, so evaluation needs no rescaling.
    expect(y.data.reduce((a, b) => a + b, 0) / 10_000).toBeCloseTo(2, 1)
    // The gradient flows through the kept values only, with the same scale.
    const dy = new Matrix(100, 100, new Float32Array(10_000).fill(1))
    const dx = dropout.backward(dy)
    for (let i = 0; i < 10_000; i++) expect(dx.data[i]).toBe(y.data[i] / 2)
  })

  it('draws its masks from the seeded generator: the same seed, the same masks', () => {
    const masks = (seed: number) => {
      const dropout = new Dropout('dropout1', 0.5, createRng(seed))
      const x = new Matrix(2, 8, new Float32Array(16).fill(1))
      return [dropout.forward(x, true).data.slice(), dropout.forward(x, true).data.slice()]
    }
    expect(masks(3)).toEqual(masks(3))
    expect(masks(3)[0]).not.toEqual(masks(3)[1]) // a fresh mask every step
    expect(masks(3)).not.toEqual(masks(4))
  })
})

describe('a convolutional Sequential', () => {
  const lenet: ModelArchitecture = {
    inputShape: [1, 28, 28],
    layers: [
      { kind: 'conv', filters: 6, kernel: 5, stride: 1, padding: 'same', activation: 'relu' },
      { kind: 'maxpool', size: 2 },
      { kind: 'conv', filters: 16, kernel: 5, stride: 1, padding: 'valid', activation: 'relu' },
      { kind: 'maxpool', size: 2 },
      { kind: 'flatten' },
      { kind: 'dense', units: 120, activation: 'relu' },
      { kind: 'dropout', rate: 0.5 },
      { kind: 'dense', units: 84, activation: 'tanh' }
    ],
    outputSize: 10
  }

  it('builds LeNet from its list: names counted per kind, parameters in order', () => {
    const model = new Sequential(lenet, 'he', createRng(1))
    expect(model.layers.map((l) => l.name)).toEqual([
      'conv1',
      'relu1',
      'pool1',
      'conv2',
      'relu2',
      'pool2',
      'flatten1',
      'dense1',
      'relu3',
      'dropout1',
      'dense2',
      'tanh1',
      'dense3'
    ])
    expect(model.parameters().map((p) => [p.name, p.shape])).toEqual([
      ['conv1.weight', [6, 1, 5, 5]],
      ['conv1.bias', [6]],
      ['conv2.weight', [16, 6, 5, 5]],
      ['conv2.bias', [16]],
      ['dense1.weight', [120, 400]],
      ['dense1.bias', [120]],
      ['dense2.weight', [84, 120]],
      ['dense2.bias', [84]],
      ['dense3.weight', [10, 84]],
      ['dense3.bias', [10]]
    ])
    const logits = model.forward(new Matrix(3, 784, seededValues(3 * 784, 2, 0, 1)))
    expect(logits.shape).toEqual([3, 10])
  })

  it('evaluates without dropout unless training, so predictions are repeatable', () => {
    const model = new Sequential(lenet, 'he', createRng(1), createRng(9))
    const x = new Matrix(2, 784, seededValues(2 * 784, 3, 0, 1))
    const first = model.forward(x).data.slice()
    expect(model.forward(x).data).toEqual(first)
    expect(model.forward(x, true).data).not.toEqual(first)
  })

  it('whole model + loss: every parameter and the input gradient match finite differences', () => {
    const small: ModelArchitecture = {
      inputShape: [2, 6, 5],
      layers: [
        { kind: 'conv', filters: 3, kernel: 3, stride: 1, padding: 'same', activation: 'tanh' },
        { kind: 'maxpool', size: 2 },
        { kind: 'conv', filters: 2, kernel: 2, stride: 1, padding: 'valid', activation: 'sigmoid' },
        { kind: 'flatten' },
        { kind: 'dense', units: 5, activation: 'tanh' }
      ],
      outputSize: 4
    }
    const model = new Sequential(small, 'xavier', createRng(7))
    const x = new Matrix(3, 60, seededValues(180, 15))
    const labels = Uint8Array.of(1, 3, 0)
    const lossLayer = new SoftmaxCrossEntropy(4)
    const loss = () => lossLayer.forward(model.forward(x), labels)
    loss()
    model.zeroGrad()
    const dx = Float32Array.from(model.backward(lossLayer.backward(), true)!.data)
    for (const p of model.parameters())
      expectGradientMatches(loss, p.data, Float32Array.from(p.grad), { rtol: 2e-2, atol: 2e-4 })
    expectGradientMatches(loss, x.data, dx, { rtol: 2e-2, atol: 2e-4 })
  })
})
