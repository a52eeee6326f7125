// Saliency: which input pixels push a class's score up or down, from the network's own backward pass.

import { inputSize } from '../nn/architecture'
import { Matrix } from '../tensor/matrix'
import type { Sequential } from '../nn/sequential'

/**
 * ∂zᶜ/∂x for one input x [C·H·W] and class c, where zᶜ is the class's logit (pre-softmax score).
 * Positive pixels would raise the class's score if they were brighter; negative ones would lower it.
 * Computed by seeding the backward pass with onehot(c) instead of a loss gradient.
 * NOTE: the logit rather than the probability, because softmax saturates: a confident prediction has
 * ∂p/∂x ≈ 0 everywhere and would show an empty map.
 */
export function saliency(model: Sequential, input: Float32Array, classIndex: number): Float32Array {
  const { outputSize } = model.architecture
  const size = inputSize(model.architecture)
  if (input.length !== size)
    throw new RangeError(`saliency: expected ${size} input values, got ${input.length}`)
  if (!Number.isInteger(classIndex) || classIndex < 0 || classIndex >= outputSize) {
    throw new RangeError(
      `saliency: class must be a whole number from 0 to ${outputSize - 1}, got ${classIndex}`
    )
  }
  model.forward(new Matrix(1, size, Float32Array.from(input)))
  const seed = new Matrix(1, outputSize)
  seed.data[classIndex] = 1
  model.zeroGrad()
  const gradient = Float32Array.from(model.backward(seed, true)!.data)
  model.zeroGrad() // leave no trace in the parameter gradients
  return gradient
}
