// classify: one input through the model gives the probabilities and prediction the loss layer computes.

import { describe, expect, it } from 'vitest'
import { classify, createRng, Matrix, Sequential, SoftmaxCrossEntropy } from '../../../core'
import { denseNet } from '../../helpers/architectures'
import { seededValues } from '../../helpers/gradcheck'

describe('classify', () => {
  it('gives softmax(model(x)) and its argmax, as the loss layer does for the same row', () => {
    const model = new Sequential(denseNet([6], 'tanh', 12, 4), 'xavier', createRng(5))
    const x = seededValues(12, 8, 0, 1)
    const { probabilities, predicted } = classify(model, x)
    const loss = new SoftmaxCrossEntropy(4)
    loss.forward(model.forward(new Matrix(1, 12, x)), Uint8Array.of(0))
    expect(probabilities).toEqual(loss.probabilities.data)
    expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6)
    expect(probabilities[predicted]).toBe(Math.max(...probabilities))
  })
})
