// The network's health, as numbers: per weighted layer, the distributions of its weights, gradients and
// outputs, their norms, the update-to-weight ratio and the share of dead ReLU units. Pure math on
// arrays; health-probe.ts measures a model with it, health-watch.ts decides when to pause.

/**
 * Bins of every histogram. Fixed, so a sample's size depends on the number of layers only, never on
 * their widths: a 4096-unit layer is summarised in as many numbers as a 10-unit one.
 */
export const HEALTH_BINS = 16

/** How many values fell in each of HEALTH_BINS equal bins spanning [min, max] (finite values only). */
export interface Histogram {
  readonly min: number
  readonly max: number
  readonly counts: readonly number[]
}

/** One weighted layer (dense or conv) at one step. Norms are Frobenius: ‖A‖ = √(Σ aᵢ²). */
export interface LayerHealth {
  /** As the model names it: 'dense1', 'conv1', … */
  readonly layer: string
  /** A dense layer's units, or a conv layer's filters. */
  readonly kind: 'dense' | 'conv'
  /** The weight W (biases left out: they start at 0, so a ratio to them means nothing). */
  readonly weights: Histogram
  /** ∂L/∂W on the step's batch. */
  readonly gradients: Histogram
  /** The layer's output after its activation (after relu1 for dense1; logits for the last layer). */
  readonly activations: Histogram
  readonly weightNorm: number
  readonly gradientNorm: number
  /** ‖ΔW‖ / ‖W‖ over the step's update; null when no update was made (the step diverged). */
  readonly updateRatio: number | null
  /** Fraction of units (conv: filters) whose ReLU output is 0 for every image of the batch; null
   *  when the layer has no ReLU. */
  readonly deadFraction: number | null
  /**
   * Whether its weights and outputs were all finite (no NaN, no ±∞). NOTE: gradients are left out: a
   * NaN born in a later layer flows back into every gradient before it (gradientNorm shows it).
   */
  readonly finite: boolean
}

/** Every weighted layer's health at one step, first layer first. */
export interface HealthSample {
  /** The step (1-based) whose batch was measured: its weights before the update, its gradients. */
  readonly step: number
  readonly layers: readonly LayerHealth[]
}

/**
 * The histogram of `values`' finite entries over [min, max], HEALTH_BINS wide:
 *   bin(v) = min(⌊(v − min) / (max − min) · bins⌋, bins − 1)      (max falls in the last bin)
 * When every value is the same (min = max), all fall in bin 0. Non-finite values are left out.
 */
export function histogram(values: ArrayLike<number>, bins = HEALTH_BINS): Histogram {
  let min = Infinity
  let max = -Infinity
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    if (!Number.isFinite(v)) continue
    if (v < min) min = v
    if (v > max) max = v
  }
  const counts = new Array<number>(bins).fill(0)
  if (min > max) return { min: 0, max: 0, counts } // no finite value
  const scale = max > min ? bins / (max - min) : 0
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    if (!Number.isFinite(v)) continue
    counts[Math.min(Math.floor((v - min) * scale), bins - 1)]++
  }
  return { min, max, counts }
}

/** ‖v‖ = √(Σ vᵢ²), summed in float64. NaN or ∞ when a value is. */
export function l2Norm(values: ArrayLike<number>): number {
  let sum = 0
  for (let i = 0; i < values.length; i++) sum += values[i] * values[i]
  return Math.sqrt(sum)
}

/**
 * The update-to-weight ratio ‖W′ − W‖ / ‖W‖ of one step, W before and W′ after it.
 * NOTE: the rule of thumb (Karpathy, cs231n) wants about 1e-3 for a deep net over a long run: much
 * larger and the learning rate is too high (each step rewrites a good part of the weights), much
 * smaller and the layer hardly learns. A small net in a short run learns well near 1e-2: the window's
 * band (renderer/src/train/health/health-strip.ts, ratioVerdict) says why.
 * Null when ‖W‖ = 0 (no scale to compare with).
 */
export function updateRatio(before: Float32Array, after: Float32Array): number | null {
  let change = 0
  for (let i = 0; i < before.length; i++) {
    const d = after[i] - before[i]
    change += d * d
  }
  const norm = l2Norm(before)
  return norm > 0 ? Math.sqrt(change) / norm : null
}

/**
 * The fraction of dead units in a ReLU layer's output y [rows, units · positions] (a dense layer: one
 * position per unit; a conv layer: a filter's H′·W′ feature map, in CHW order):
 *   unit u is dead  ⇔  y[b, u·P + p] = 0 for every row b and position p
 * A dead unit passes no gradient back (ReLU′ = 0 wherever its output is 0), so it cannot learn to
 * come back on this batch: with most units dead, the layer has stopped learning.
 */
export function deadUnitFraction(
  output: Float32Array,
  rows: number,
  units: number,
  positions = 1
): number {
  const width = units * positions
  let dead = 0
  for (let u = 0; u < units; u++) {
    let alive = false
    for (let b = 0; b < rows && !alive; b++) {
      const from = b * width + u * positions
      for (let p = 0; p < positions; p++) {
        if (output[from + p] !== 0) {
          alive = true
          break
        }
      }
    }
    if (!alive) dead++
  }
  return units > 0 ? dead / units : 0
}

/** Whether every value is finite. */
export function allFinite(values: ArrayLike<number>): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return false
  return true
}
