// How a model's probability is written for a learner, in Classify and Evaluate alike: whole percents,
// with a decimal near the ends, and never "100%" unless it is exactly 1 (a softmax output almost never
// is: 0.99864 is not certainty). The rounding itself is formatPercent's (shared/format.ts).

import { formatPercent } from './format'

/** "71%", "99.9%", ">99.9%", "0.4%", "<0.1%": one decimal within 1% of either end, else none. */
export function formatProbability(probability: number): string {
  if (!Number.isFinite(probability)) return '—'
  // NOTE: with one decimal 0.9996 would round to "100.0%" and 0.0004 to "0.0%": neither is what it says.
  if (probability > 0.999 && probability < 1) return '>99.9%'
  if (probability > 0 && probability < 0.001) return '<0.1%'
  const nearAnEnd = probability >= 0.99 || probability < 0.01
  return formatPercent(probability, nearAnEnd && probability !== 0 && probability !== 1 ? 1 : 0)
}
