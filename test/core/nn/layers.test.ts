import { describe, expect, it } from 'vitest'
import { Activation, createRng, Dense, Matrix, SoftmaxCrossEntropy } from '../../../core'
import { checkLayer, expectGradientMatches, seededValues } from '../../helpers/gradcheck'

/** Values in ±[0.1, 1]: away from ReLU's kink at 0, where the derivative is undefined. */
function awayFromZero(n: number, seed: number): Float32Array {
  return seededValues(n, seed).map((v) => (v >= 0 ? 0.1 + 0.9 * v : -0.1 + 0.9 * v))
}

describe('layers against central finite differences', () => {
  it('Dense: ∂L/∂x, ∂L/∂W and ∂L/∂b', () => {
    const dense = new Dense('dense1', 6, 4, 'xavier', createRng(1))
    dense.bias.data.set([0.1, -0.2, 0.3, 0.05])
    checkLayer(dense, new Matrix(3, 6, seededValues(18, 2)))
  })

  it('Dense with zeros in its input (the sparse path) still has exact gradients', () => {
    const dense = new Dense('dense1', 8, 3, 'he', createRng(3))
    const x = new Matrix(
      4,
      8,
      seededValues(32, 4).map((v, i) => (i % 3 === 0 ? 0 : v))
    )
    checkLayer(dense, x)
  })

  it('ReLU', () =>
    checkLayer(new Activation('relu', 'relu1'), new Matrix(4, 5, awayFromZero(20, 5))))
  it('Sigmoid', () =>
    checkLayer(new Activation('sigmoid', 'sigmoid1'), new Matrix(4, 5, seededValues(20, 6, -3, 3))))
  it('Tanh', () =>
    checkLayer(new Activation('tanh', 'tanh1'), new Matrix(4, 5, seededValues(20, 7, -2, 2))))

  it('Dense stores W as [out, in], so row o holds unit o’s input weights', () => {
    const dense = new Dense('dense1', 784, 10, 'he', createRng(1))
    expect(dense.weight.shape).toEqual([10, 784])
    expect(dense.bias.shape).toEqual([10])
    const x = new Matrix(1, 784)
    x.data[5] = 1
    const y = dense.forward(x)
    for (let o = 0; o < 10; o++) expect(y.data[o]).toBeCloseTo(dense.weight.data[o * 784 + 5], 6)
  })

  it('Dense skips the input gradient when asked (the first layer in training)', () => {
    const dense = new Dense('dense1', 4, 2, 'he', createRng(1))
    dense.forward(new Matrix(1, 4, Float32Array.of(1, 2, 3, 4)))
    expect(dense.backward(new Matrix(1, 2, Float32Array.of(1, 1)), false)).toBeNull()
    expect(dense.weight.grad.some((g) => g !== 0)).toBe(true)
  })

  it('Dense rejects an input of the wrong width with the shapes in the message', () => {
    const dense = new Dense('dense1', 784, 10, 'he', createRng(1))
    expect(() => dense.forward(new Matrix(2, 100))).toThrow(
      /dense1.forward: expected 784 columns, got a 2×100 matrix/
    )
  })
})

describe('fused softmax + cross-entropy', () => {
  it('matches hand-computed values', () => {
    // logits [0, 0] → p = [½, ½], L = ln 2; logits [ln 3, 0] → p = [¾, ¼]
    const loss = new SoftmaxCrossEntropy(2)
    const logits = new Matrix(2, 2, Float32Array.of(0, 0, Math.log(3), 0))
    const L = loss.forward(logits, Uint8Array.of(0, 1))
    expect(L).toBeCloseTo((Math.log(2) - Math.log(0.25)) / 2, 6)
    expect(Array.from(loss.probabilities.data)).toEqual([
      0.5,
      0.5,
      expect.closeTo(0.75, 6),
      expect.closeTo(0.25, 6)
    ])
    // ∂L/∂z = (p − onehot(y)) / B
    const dz = loss.backward()
    expect(Array.from(dz.data)).toEqual([
      expect.closeTo(-0.25, 6),
      expect.closeTo(0.25, 6),
      expect.closeTo(0.375, 6),
      expect.closeTo(-0.375, 6)
    ])
  })

  it('gradient matches finite differences', () => {
    const loss = new SoftmaxCrossEntropy(10)
    const logits = new Matrix(5, 10, seededValues(50, 9, -3, 3))
    const labels = Uint8Array.of(3, 0, 9, 3, 7)
    loss.forward(logits, labels)
    const analytic = Float32Array.from(loss.backward().data)
    expectGradientMatches(() => loss.forward(logits, labels), logits.data, analytic, {
      rtol: 1e-2,
      atol: 1e-4
    })
  })

  it('is stable for huge logits (no overflow to Infinity or NaN)', () => {
    const loss = new SoftmaxCrossEntropy(3)
    const L = loss.forward(new Matrix(1, 3, Float32Array.of(1000, 0, -1000)), Uint8Array.of(1))
    expect(L).toBeCloseTo(1000, 3)
    expect(Array.from(loss.probabilities.data).every(Number.isFinite)).toBe(true)
  })

  it('rejects a label count that does not match the batch', () => {
    const loss = new SoftmaxCrossEntropy(10)
    expect(() => loss.forward(new Matrix(2, 10), Uint8Array.of(1))).toThrow(
      /2 rows of logits but 1 labels/
    )
  })
})
