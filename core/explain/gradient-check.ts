// Gradient checking on the real network: the analytic dL/dw from backprop next to a finite difference.

import { ACTIVATIONS, type ActivationFunction, type ActivationKind } from '../nn/activations'
import type { Sequential } from '../nn/sequential'
import { logSumExp } from '../nn/softmax'
import type { Rng } from '../random'
import type { Matrix } from '../tensor/matrix'
import { analyticGradient } from './analytic-gradient'

export interface GradientCheck {
  readonly parameter: string
  readonly index: number
  /** ∂L/∂w from the engine's backward pass (float32). */
  readonly analytic: number
  /** (L(w + h) − L(w − h)) / 2h, with L computed in float64. */
  readonly numeric: number
  /** |analytic − numeric| / max(|analytic| + |numeric|, 1e-8). */
  readonly relativeError: number
  /**
   * True when some ReLU switched on or off between w − h and w + h: the loss has a corner there, the
   * finite difference averages two slopes, and a large relative error says nothing about backprop.
   */
  readonly kink: boolean
}

/**
 * Step for the central difference.
 * NOTE: the numeric side runs its own float64 forward pass, so h can be small: its truncation error is
 * O(h²) ≈ 1e-12, and float64 rounding of L (~1e-16 · L) divided by 2h stays near 1e-10. Through the
 * engine's float32 pass (~1e-7 · L of rounding) the same check would need h ≈ 1e-2, which crosses
 * ReLU kinks for several percent of first-layer weights.
 */
export const GRADIENT_CHECK_STEP = 1e-6

/**
 * Compares backprop's ∂L/∂w with a central difference for the given weights of one parameter, on the
 * batch (x, labels). L is the mean cross-entropy of the batch. The model is left unchanged.
 */
export function checkGradients(
  model: Sequential,
  x: Matrix,
  labels: Uint8Array,
  parameterName: string,
  indices: readonly number[]
): GradientCheck[] {
  const parameter = model.parameters().find((p) => p.name === parameterName)
  if (!parameter) throw new RangeError(`no parameter named ${parameterName}`)
  for (const i of indices) {
    if (!Number.isInteger(i) || i < 0 || i >= parameter.data.length) {
      throw new RangeError(
        `${parameterName} has ${parameter.data.length} values; index ${i} is out of range`
      )
    }
  }
  const analytic = analyticGradient(model, x, labels, parameterName)

  const reference = new Float64Network(model, x)
  const layer = reference.layerOf(parameterName)
  return indices.map((index) => {
    const up = reference.lossWithNudge(layer, parameterName, index, +GRADIENT_CHECK_STEP, labels)
    const down = reference.lossWithNudge(layer, parameterName, index, -GRADIENT_CHECK_STEP, labels)
    const numeric = (up.loss - down.loss) / (2 * GRADIENT_CHECK_STEP)
    const relativeError =
      Math.abs(analytic[index] - numeric) /
      Math.max(Math.abs(analytic[index]) + Math.abs(numeric), 1e-8)
    const kink = up.activePattern !== down.activePattern
    return {
      parameter: parameterName,
      index,
      analytic: analytic[index],
      numeric,
      relativeError,
      kink
    }
  })
}

/** `count` distinct random indices below `size` (all of them when count ≥ size). */
export function sampleIndices(size: number, count: number, rng: Rng): number[] {
  if (count >= size) return Array.from({ length: size }, (_, i) => i)
  const chosen = new Set<number>()
  while (chosen.size < count) chosen.add(Math.floor(rng() * size))
  return [...chosen]
}

/**
 * The model's forward pass and loss in float64, written as plain loops: the independent reference
 * for the numeric side of a gradient check.
 * PERF: nudging one weight W[o, i] of layer l changes only z_l[o] (by δ·a_{l−1}[i]; a bias, by δ), so
 * the unnudged pass is computed once and each nudged loss recomputes from that one unit onward. For
 * dense1 of a 784-128-10 net that is ~1 400 operations per image instead of ~100 000.
 */
class Float64Network {
  private readonly weights: Float64Array[] = []
  private readonly biases: Float64Array[] = []
  private readonly names: string[][] = []
  private readonly sizes: { in: number; out: number }[] = []
  private readonly activation: ActivationKind
  private readonly f: ActivationFunction
  /** inputs[l][r]: the input of layer l for image r (a_{l−1}; x for l = 0), unnudged. */
  private readonly inputs: Float64Array[][] = []
  /** preActivations[l][r]: z_l for image r, unnudged. */
  private readonly preActivations: Float64Array[][] = []

  constructor(model: Sequential, x: Matrix) {
    this.activation = model.architecture.activation
    this.f = ACTIVATIONS[this.activation]
    for (const layer of model.denseLayers) {
      this.weights.push(Float64Array.from(layer.weight.data))
      this.biases.push(Float64Array.from(layer.bias.data))
      this.names.push([layer.weight.name, layer.bias.name])
      this.sizes.push({ in: layer.inFeatures, out: layer.outFeatures })
    }
    for (let l = 0; l < this.weights.length; l++) {
      this.inputs.push([])
      this.preActivations.push([])
    }
    for (let r = 0; r < x.rows; r++) {
      let a: Float64Array = Float64Array.from(x.row(r))
      for (let l = 0; l < this.weights.length; l++) {
        this.inputs[l].push(a)
        const z = this.affine(l, a)
        this.preActivations[l].push(z)
        a = z.map((v) => this.f.apply(v))
      }
    }
  }

  /** Which dense layer (0-based) holds the named parameter. */
  layerOf(name: string): number {
    return this.names.findIndex((pair) => pair.includes(name))
  }

  /**
   * Mean cross-entropy with one value of the named parameter nudged by δ, and a fingerprint of which
   * ReLUs were on from that layer onward (always '' for activations without kinks).
   */
  lossWithNudge(
    l: number,
    name: string,
    index: number,
    delta: number,
    labels: Uint8Array
  ): { loss: number; activePattern: string } {
    const isWeight = name === this.names[l][0]
    const unit = isWeight ? Math.floor(index / this.sizes[l].in) : index
    const input = isWeight ? index % this.sizes[l].in : -1
    let total = 0
    const pattern: number[] = []
    for (let r = 0; r < labels.length; r++) {
      const z = Float64Array.from(this.preActivations[l][r])
      z[unit] += isWeight ? delta * this.inputs[l][r][input] : delta
      let current: Float64Array = z
      for (let k = l; k < this.weights.length; k++) {
        if (k > l) current = this.affine(k, current)
        if (k === this.weights.length - 1) break
        if (this.activation === 'relu')
          for (let o = 0; o < current.length; o++)
            if (current[o] > 0) pattern.push(r * 65536 + k * 4096 + o)
        current = current.map((v) => this.f.apply(v))
      }
      total += logSumExp(current) - current[labels[r]] // −log softmax(z)[y]
    }
    return { loss: total / labels.length, activePattern: pattern.join(',') }
  }

  /** z = a · Wᵀ + b for layer l. */
  private affine(l: number, a: Float64Array): Float64Array {
    const { in: inputs, out: outputs } = this.sizes[l]
    const w = this.weights[l]
    const z = new Float64Array(outputs)
    for (let o = 0; o < outputs; o++) {
      let sum = this.biases[l][o]
      for (let i = 0; i < inputs; i++) sum += w[o * inputs + i] * a[i]
      z[o] = sum
    }
    return z
  }
}
