// "Nice" numbers for axis ends and tick steps: 1, 2 or 5 × 10ᵏ, the values an axis reads cleanly.

/** The smallest 1, 2 or 5 × 10ᵏ that is ≥ value (value > 0): 37 → 50, 0.13 → 0.2, 400 → 500. */
export function niceAbove(value: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(value))
  // NOTE: the tolerance keeps 0.30000000000000004 at 0.5 × … rather than one nice step further.
  return [1, 2, 5, 10].map((m) => m * magnitude).find((nice) => nice >= value * (1 - 1e-9))!
}

/** The largest 1, 2 or 5 × 10ᵏ that is ≤ value (value > 0): 37 → 20, 0.13 → 0.1. */
export function niceBelow(value: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(value))
  return [5, 2, 1].map((m) => m * magnitude).find((nice) => nice <= value * (1 + 1e-9))!
}
