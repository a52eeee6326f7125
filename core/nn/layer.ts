// The contract every layer shares, and the trainable Parameter: a tensor with its gradient.

import { assertCols, type Matrix } from '../tensor/matrix'

/**
 * A trainable tensor and ∂L/∂(tensor), side by side: the same idea as the scalar Value's data and grad.
 * `shape` is [out, in] for a dense weight, [out, in, k, k] for a conv weight and [out] for a bias;
 * `data` is row-major.
 */
export interface Parameter {
  /** Stable, unique name, e.g. 'dense1.weight'. Model files and the UI identify parameters by it. */
  readonly name: string
  readonly shape: readonly number[]
  readonly data: Float32Array
  readonly grad: Float32Array
  /** Whether L2 weight decay applies (weights: yes; biases: no, by convention). */
  readonly decays: boolean
}

/**
 * A layer maps a batch of rows to a batch of rows, and maps ∂L/∂output back to ∂L/∂input while adding
 * its parameters' gradients (cs231n style: forward caches what backward needs).
 */
export interface Layer {
  /** Unique within a model, e.g. 'dense1', 'relu1', 'conv1'. */
  readonly name: string
  /**
   * x: [batch, inFeatures] → [batch, outFeatures]. The result stays valid until the next forward.
   * An image is one row of C·H·W values in CHW order. `training` is true for a training step; only
   * dropout reads it (every other layer computes the same either way).
   */
  forward(x: Matrix, training?: boolean): Matrix
  /**
   * dOut = ∂L/∂output [batch, outFeatures] → ∂L/∂input [batch, inFeatures]; parameter gradients are
   * accumulated (+=). With `needInputGrad` false a layer may skip computing ∂L/∂input and return null.
   */
  backward(dOut: Matrix, needInputGrad: boolean): Matrix | null
  /** Trainable parameters in a stable order (model files rely on it). */
  parameters(): Parameter[]
}

/** Creates a parameter of the given shape, filled with zeros, with a zeroed gradient. */
export function createParameter(
  name: string,
  shape: readonly number[],
  decays: boolean
): Parameter {
  const size = shape.reduce((a, b) => a * b, 1)
  return {
    name,
    shape: [...shape],
    data: new Float32Array(size),
    grad: new Float32Array(size),
    decays
  }
}

/**
 * The start of a layer's backward pass: the input its forward pass cached (a backward before any
 * forward is a bug in the caller), once dy is checked to be as wide as the layer's output.
 */
export function inputForBackward(
  layer: { readonly name: string; readonly outFeatures: number },
  input: Matrix | null,
  dy: Matrix
): Matrix {
  if (!input) throw new Error(`${layer.name}.backward called before forward`)
  assertCols(`${layer.name}.backward`, dy, layer.outFeatures)
  return input
}
