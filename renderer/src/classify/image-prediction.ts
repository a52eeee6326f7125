// How a prediction is told to the learner: the ranking, the bars' labels, and a hint when the network
// is not sure. Display only: the probabilities come from the host's forward pass.

/** Below this top probability the panel says the network is not sure. */
export const LOW_CONFIDENCE = 0.5

export interface RankedClass {
  readonly digit: number
  readonly probability: number
}

/** Classes from most to least probable (ties: the smaller digit first). */
export function rankClasses(probabilities: readonly number[]): RankedClass[] {
  return probabilities
    .map((probability, digit) => ({ digit, probability }))
    .sort((a, b) => b.probability - a.probability || a.digit - b.digit)
}

/** "12%", "<1%" for a small non-zero probability, "100%" only when it rounds to it. */
export function formatProbability(probability: number): string {
  if (!Number.isFinite(probability)) return '—'
  const percent = probability * 100
  if (percent > 0 && percent < 0.5) return '<1%'
  return `${Math.round(percent)}%`
}

/** The accessible label of one bar: "3: 12%". */
export function probabilityLabel(digit: number, probability: number): string {
  return `${digit}: ${formatProbability(probability)}`
}

export interface ConfidenceHint {
  readonly sure: boolean
  /** e.g. "not sure — maybe 3 or 5"; null when the network is sure. */
  readonly text: string | null
}

/**
 * A hint when the top probability is below `threshold`: names the top two classes, or the top three
 * when the second and third are close (within a third of the second's probability).
 */
export function confidenceHint(
  probabilities: readonly number[],
  threshold = LOW_CONFIDENCE
): ConfidenceHint {
  const ranked = rankClasses(probabilities)
  const top = ranked[0]
  if (!top || top.probability >= threshold) return { sure: true, text: null }
  const candidates = [ranked[0], ranked[1]]
  if (ranked[2] && ranked[1].probability - ranked[2].probability < ranked[1].probability / 3)
    candidates.push(ranked[2])
  const names = candidates.map((c) => String(c.digit))
  const list =
    names.length === 2
      ? `${names[0]} or ${names[1]}`
      : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`
  return { sure: false, text: `not sure — maybe ${list}` }
}

/** Why a prediction failed, in words for the card. */
export function explainPredictError(message: string): string {
  return `Could not classify: ${message}`
}
