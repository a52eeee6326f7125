// How a prediction is told to the learner: the ranking, the bars' labels, and a hint when the network
// is not sure. Display only: the probabilities come from the host's forward pass.

import { formatProbability } from '@/shared/probability'

/** Below this top probability the panel says the network is not sure. */
export const LOW_CONFIDENCE = 0.5
/** Nor is it sure when the runner-up is this close to the top (54% against 30% is a toss-up). */
export const LOW_MARGIN = 0.3

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

/** The accessible label of one bar: "3: 12%". */
export function probabilityLabel(digit: number, probability: number): string {
  return `${digit}: ${formatProbability(probability)}`
}

export interface ConfidenceHint {
  readonly sure: boolean
  /** e.g. "not sure — maybe 3 or 5"; null when the network is sure. */
  readonly text: string | null
  /** Why not: "the top probability is below 50%", "5 is close behind (54% against 30%)"; null when sure. */
  readonly reason: string | null
}

/**
 * A hint when the top probability is below LOW_CONFIDENCE, or the second is within LOW_MARGIN of it:
 * names the top two classes, or the top three when the second and third are close (within a third of
 * the second's probability).
 */
export function confidenceHint(probabilities: readonly number[]): ConfidenceHint {
  const ranked = rankClasses(probabilities)
  const [top, second] = ranked
  if (!top || !second) return { sure: true, text: null, reason: null }
  const low = top.probability < LOW_CONFIDENCE
  const close = top.probability - second.probability < LOW_MARGIN
  if (!low && !close) return { sure: true, text: null, reason: null }
  const candidates = [ranked[0], ranked[1]]
  if (ranked[2] && ranked[1].probability - ranked[2].probability < ranked[1].probability / 3)
    candidates.push(ranked[2])
  const names = candidates.map((c) => String(c.digit))
  const list =
    names.length === 2
      ? `${names[0]} or ${names[1]}`
      : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`
  const reason = low
    ? `the top probability is below ${formatProbability(LOW_CONFIDENCE)}`
    : `${second.digit} is close behind (${formatProbability(top.probability)} against ${formatProbability(second.probability)})`
  return { sure: false, text: `not sure — maybe ${list}`, reason }
}

/** Why a prediction failed, in words for the card. */
export function explainPredictError(message: string): string {
  return `Could not classify: ${message}`
}
