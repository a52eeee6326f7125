// Gradient checking on the real network: the analytic dL/dw from backprop next to a finite difference.

import type { Rng } from '../random'
import { SoftmaxCrossEntropy } from '../nn/softmax-cross-entropy'
import type { Sequential } from '../nn/sequential'
import type { Matrix } from '../tensor/matrix'

export interface GradientCheck {
  readonly parameter: string
  readonly index: number
  /** ∂L/∂w from the backward pass. */
  readonly analytic: number
  /** (L(w + h) − L(w − h)) / 2h. */
  readonly numeric: number
  /** |analytic − numeric| / max(|analytic| + |numeric|, 1e-8). */
  readonly relativeError: number
}

/** Step for the central difference. NOTE: weights are float32 (~7 digits), so h cannot be tiny. */
export const GRADIENT_CHECK_STEP = 1e-2

/**
 * Compares backprop's ∂L/∂w with a central difference for the given weights of one parameter,
 * on the batch (x, labels). The model's weights are restored exactly afterwards.
 */
export function checkGradients(model: Sequential, x: Matrix, labels: Uint8Array, parameterName: string, indices: readonly number[]): GradientCheck[] {
  const parameter = model.parameters().find((p) => p.name === parameterName)
  if (!parameter) throw new RangeError(`no parameter named ${parameterName}`)
  for (const i of indices) {
    if (!Number.isInteger(i) || i < 0 || i >= parameter.data.length) {
      throw new RangeError(`${parameterName} has ${parameter.data.length} values; index ${i} is out of range`)
    }
  }
  const lossLayer = new SoftmaxCrossEntropy(model.architecture.outputSize)
  const loss = () => lossLayer.forward(model.forward(x), labels)
  loss()
  model.zeroGrad()
  model.backward(lossLayer.backward())
  const analytic = Float32Array.from(parameter.grad)
  model.zeroGrad()

  return indices.map((index) => {
    const original = parameter.data[index]
    parameter.data[index] = original + GRADIENT_CHECK_STEP
    const up = loss()
    parameter.data[index] = original - GRADIENT_CHECK_STEP
    const down = loss()
    parameter.data[index] = original
    const numeric = (up - down) / (2 * GRADIENT_CHECK_STEP)
    const relativeError = Math.abs(analytic[index] - numeric) / Math.max(Math.abs(analytic[index]) + Math.abs(numeric), 1e-8)
    return { parameter: parameterName, index, analytic: analytic[index], numeric, relativeError }
  })
}

/** `count` distinct random indices below `size` (all of them when count ≥ size). */
export function sampleIndices(size: number, count: number, rng: Rng): number[] {
  if (count >= size) return Array.from({ length: size }, (_, i) => i)
  const chosen = new Set<number>()
  while (chosen.size < count) chosen.add(Math.floor(rng() * size))
  return [...chosen]
}
