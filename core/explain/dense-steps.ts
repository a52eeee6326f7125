// One dense layer's forward and backward and the loss head for a single sample, as plain loops: the
// arithmetic both step-throughs write out (a dense net's in step-through.ts, a conv net's in
// conv-step-through.ts).

import type { Dense } from '../nn/dense'
import { softmaxRow } from '../nn/softmax'

/**
 * z = a · Wᵀ + b for one sample: z[o] = b[o] + Σ_i a[i] · W[o, i].
 * Shapes: a (1, in), W stored [out, in], b (1, out) → z (1, out).
 */
export function denseForwardRow(layer: Dense, a: Float32Array): Float32Array {
  const { inFeatures, outFeatures, weight, bias } = layer
  const z = new Float32Array(outFeatures)
  for (let o = 0; o < outFeatures; o++) {
    let sum = bias.data[o]
    for (let i = 0; i < inFeatures; i++) sum += a[i] * weight.data[o * inFeatures + i]
    z[o] = sum
  }
  return z
}

/**
 * dW = aᵀ · dz, stored like W: dW[o, i] = dz[o] · a[i].
 * Shapes: a (1, in), dz (1, out) → dW [out, in].
 */
export function denseWeightGradRow(dz: Float32Array, a: Float32Array): Float32Array {
  const dW = new Float32Array(dz.length * a.length)
  for (let o = 0; o < dz.length; o++)
    for (let i = 0; i < a.length; i++) dW[o * a.length + i] = dz[o] * a[i]
  return dW
}

/**
 * da = dz · W: da[i] = Σ_o dz[o] · W[o, i].
 * Shapes: dz (1, out), W stored [out, in] → da (1, in).
 */
export function denseInputGradRow(layer: Dense, dz: Float32Array): Float32Array {
  const { inFeatures, outFeatures, weight } = layer
  const da = new Float32Array(inFeatures)
  for (let i = 0; i < inFeatures; i++) {
    let sum = 0
    for (let o = 0; o < outFeatures; o++) sum += dz[o] * weight.data[o * inFeatures + i]
    da[i] = sum
  }
  return da
}

/** The loss head for one sample: softmax, cross-entropy and the gradient at the logits. */
export interface SoftmaxLoss {
  /** p = softmax(z) */
  readonly probabilities: Float32Array
  /** L = −log p[y] */
  readonly loss: number
  /** dz = p − onehot(y) */
  readonly dLogits: Float32Array
}

/** p = softmax(z), L = −log p[y], dz = p − onehot(y) (softmax and cross-entropy fused). */
export function softmaxLossRow(logits: Float32Array, label: number): SoftmaxLoss {
  const probabilities = new Float32Array(logits.length)
  const logSumExp = softmaxRow(logits, probabilities, 0, logits.length)
  // −log p_y as the loss layer computes it: log Σ e^z − z_y, finite even where p_y rounds to 0.
  const loss = logSumExp - logits[label]
  const dLogits = Float32Array.from(probabilities)
  dLogits[label] -= 1
  return { probabilities, loss, dLogits }
}
