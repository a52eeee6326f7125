// The shape of a model as plain data: what the UI edits, model files store, and `Sequential` is built from.

import type { ActivationKind } from './activations'

/** 784 inputs → hidden layers (possibly none) → 10 outputs, one activation after each hidden layer. */
export interface ModelArchitecture {
  readonly inputSize: number
  /** Widths of the hidden layers in order: [] is softmax regression, [128, 64] is 784-128-64-10. */
  readonly hiddenSizes: readonly number[]
  readonly activation: ActivationKind
  readonly outputSize: number
}

/** Pixels in one MNIST image (28 × 28). */
export const MNIST_PIXELS = 28 * 28
/** Digit classes 0..9. */
export const MNIST_CLASSES = 10

/** Every layer width in order, e.g. [784, 128, 10]. */
export function layerSizes(architecture: ModelArchitecture): number[] {
  return [architecture.inputSize, ...architecture.hiddenSizes, architecture.outputSize]
}

/** The architecture in the usual notation, e.g. "784 → 128 ReLU → 10". */
export function describeArchitecture(architecture: ModelArchitecture): string {
  const activation = { relu: 'ReLU', sigmoid: 'sigmoid', tanh: 'tanh' }[architecture.activation]
  const hidden = architecture.hiddenSizes.map((size) => `${size} ${activation}`)
  return [String(architecture.inputSize), ...hidden, String(architecture.outputSize)].join(' → ')
}

/** Number of trainable values: Σ (in·out + out) over the dense layers. */
export function countParameters(architecture: ModelArchitecture): number {
  const sizes = layerSizes(architecture)
  let total = 0
  for (let i = 0; i + 1 < sizes.length; i++) total += sizes[i] * sizes[i + 1] + sizes[i + 1]
  return total
}
