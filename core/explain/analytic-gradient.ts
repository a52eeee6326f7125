// Backprop's dL/dw for one parameter on a batch, and which of its weights matter most there: the
// analytic side of a gradient check, and where a check is worth starting.

import type { Sequential } from '../nn/sequential'
import { SoftmaxCrossEntropy } from '../nn/softmax-cross-entropy'
import type { Matrix } from '../tensor/matrix'

/**
 * ∂L/∂w for every value of `parameterName`, from the engine's own backward pass (float32), where L is
 * the mean cross-entropy of the batch (x: [n, inputs], labels: [n]). The model's weights are left as
 * they were, and its gradients zeroed.
 */
export function analyticGradient(
  model: Sequential,
  x: Matrix,
  labels: Uint8Array,
  parameterName: string
): Float32Array {
  const parameter = model.parameters().find((p) => p.name === parameterName)
  if (!parameter) throw new RangeError(`no parameter named ${parameterName}`)
  const lossLayer = new SoftmaxCrossEntropy(model.architecture.outputSize)
  lossLayer.forward(model.forward(x), labels)
  model.zeroGrad()
  model.backward(lossLayer.backward())
  const gradient = Float32Array.from(parameter.grad)
  model.zeroGrad()
  return gradient
}

/**
 * The indices of the `count` largest |g| (largest first; ties by index). A check there compares two
 * numbers that are far from 0, where a wrong backprop would show, unlike a pixel no image inks (g = 0).
 */
export function strongestIndices(gradient: Float32Array, count: number): number[] {
  return Array.from(gradient.keys())
    .sort((a, b) => Math.abs(gradient[b]) - Math.abs(gradient[a]) || a - b)
    .slice(0, count)
}
