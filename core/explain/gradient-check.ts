// Gradient checking on the real network: the analytic dL/dw from backprop next to a finite difference.

import type { Sequential } from '../nn/sequential'
import type { Rng } from '../random'
import type { Matrix } from '../tensor/matrix'
import { analyticGradient } from './analytic-gradient'
import { Float64Network } from './float64-network'

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
   * True when some ReLU switched on or off, or a pooling window changed its winner, between w − h and
   * w + h: the loss has a corner there, the finite difference averages two slopes, and a large
   * relative error says nothing about backprop.
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
  const layer = reference.stageOf(parameterName)
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
