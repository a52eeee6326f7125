// Softmax, log-sum-exp and argmax over one row of scores: the one home of this math in core. The loss,
// both evaluations, the explain views and the predictions of the worker and the CLI all call these.
//
// A row is z[offset .. offset + n) of a flat row-major array: row r of a [B, C] matrix of logits is
// offset r·C, length C. Sums are taken in float64 whatever the array's type (a JavaScript number);
// softmaxRow stores its probabilities in float32 (the engine's type), logSumExp returns a float64 number.

/**
 * Index j of the largest zⱼ in the row (the predicted class), counted from `offset`.
 * Ties go to the lower index, as numpy's argmax; a row that starts with NaN gives 0.
 */
export function argmax(values: ArrayLike<number>, offset = 0, n = values.length - offset): number {
  let best = 0
  let bestValue = values[offset]
  for (let j = 1; j < n; j++) {
    const value = values[offset + j]
    if (value > bestValue) {
      bestValue = value
      best = j
    }
  }
  return best
}

/** m = maxⱼ zⱼ over the row: the shift that keeps every e^(zⱼ − m) ≤ 1. */
function rowMax(z: ArrayLike<number>, offset: number, n: number): number {
  let max = -Infinity
  for (let j = 0; j < n; j++) if (z[offset + j] > max) max = z[offset + j]
  return max
}

/**
 * log Σⱼ e^zⱼ over the row, in float64: the normaliser of softmax, so that −log softmax(z)_y is
 * logSumExp(z) − z_y (the cross-entropy of label y, with no log 0 even where p_y underflows).
 * NOTE: computed as m + log Σⱼ e^(zⱼ − m) with m = max z. The shift cancels mathematically, but keeps
 * every exp ≤ 1 (no overflow: float32 logits above ≈ 88, float64 above ≈ 709 would give ∞), and the
 * largest term is exactly 1, so the sum is never 0 (no log 0 for very negative logits).
 */
export function logSumExp(z: ArrayLike<number>, offset = 0, n = z.length - offset): number {
  const max = rowMax(z, offset, n)
  let sum = 0
  for (let j = 0; j < n; j++) sum += Math.exp(z[offset + j] - max)
  return max + Math.log(sum)
}

/**
 * pⱼ = e^zⱼ / Σₖ e^zₖ for the row z[offset .. offset + n), written as float32 into out[outOffset ..]
 * (by default the same offset); returns log Σ e^z (the same number as `logSumExp`).
 * Shapes: z and out hold the row at their offsets; any other values are left alone.
 * NOTE: shifted by the row max before exp, as in logSumExp; the exps are summed in float64.
 */
export function softmaxRow(
  z: Float32Array,
  out: Float32Array,
  offset: number,
  n: number,
  outOffset = offset
): number {
  const max = rowMax(z, offset, n)
  let sum = 0
  for (let j = 0; j < n; j++) {
    const e = Math.exp(z[offset + j] - max)
    out[outOffset + j] = e
    sum += e
  }
  for (let j = 0; j < n; j++) out[outOffset + j] /= sum
  return max + Math.log(sum)
}
