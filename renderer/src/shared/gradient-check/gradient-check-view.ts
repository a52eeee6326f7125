// A gradient-check report as the UI shows it: a verdict per check and per layer, the worst checks,
// and where each relative error falls on a logarithmic axis.

import type { GradientCheck, GradientCheckReport } from '@contract'
import { withMinus } from '@core/number-format'

/** Below this relative error backprop (float32) and the central difference agree. */
export const GOOD_RELATIVE_ERROR = 1e-2
/** The log axis runs from 10^AXIS_MIN_EXPONENT to 10^0 = 1 (the largest possible relative error). */
export const AXIS_MIN_EXPONENT = -8

/**
 * good: they agree. blank: both are exactly 0 (a pixel no image of the batch inks), so they agree
 * trivially and the check says nothing. kink: they do not agree, but a ReLU switched on or off between
 * w − h and w + h, so the finite difference averaged two slopes and says nothing about backprop.
 * bad: they disagree.
 */
export type Verdict = 'good' | 'blank' | 'kink' | 'bad'

/** Both gradients exactly 0: nothing was compared. */
export function isBlank(check: Pick<GradientCheck, 'analytic' | 'numeric'>): boolean {
  return check.analytic === 0 && check.numeric === 0
}

export function verdictOf(
  check: Pick<GradientCheck, 'relativeError' | 'kink' | 'analytic' | 'numeric'>
): Verdict {
  if (isBlank(check)) return 'blank'
  if (check.relativeError < GOOD_RELATIVE_ERROR) return 'good'
  return check.kink ? 'kink' : 'bad'
}

export interface ReportSummary {
  /** 'blank' when no sampled weight had a gradient at all: nothing was compared. */
  readonly verdict: 'good' | 'bad' | 'blank'
  /** The worst relative error among the checks that are not kinks (0 when all are). */
  readonly worst: number
  readonly count: number
  /** Checks where both gradients are exactly 0 (e.g. weights of always-blank border pixels). */
  readonly zeros: number
  /** Checks that crossed a ReLU kink, left out of `worst`. */
  readonly kinks: number
  /** Checks that are not kinks and disagree. */
  readonly failing: number
  /** The worst few checks, worst first. */
  readonly worstChecks: readonly GradientCheck[]
}

export function summarizeReport(report: GradientCheckReport, worstShown = 5): ReportSummary {
  const { checks } = report
  const sorted = [...checks].sort((a, b) => b.relativeError - a.relativeError || a.index - b.index)
  const counted = checks.filter((c) => !c.kink)
  const failing = counted.filter((c) => c.relativeError >= GOOD_RELATIVE_ERROR).length
  const zeros = checks.filter(isBlank).length
  return {
    verdict: failing > 0 ? 'bad' : zeros > 0 && zeros === counted.length ? 'blank' : 'good',
    worst: counted.reduce((worst, c) => Math.max(worst, c.relativeError), 0),
    count: checks.length,
    zeros,
    kinks: checks.length - counted.length,
    failing,
    worstChecks: sorted.slice(0, worstShown)
  }
}

/**
 * The headline for a layer's report: how many of the weights that have a gradient agree. Blank checks
 * (both gradients 0) and kinks are counted apart: neither says anything about backprop.
 */
export function verdictText(summary: ReportSummary): string {
  const compared = summary.count - summary.kinks - summary.zeros
  const apart = [
    summary.zeros > 0 ? `${summary.zeros} blank` : '',
    summary.kinks > 0 ? `${summary.kinks} on a ReLU kink` : ''
  ].filter(Boolean)
  const left = apart.length > 0 ? ` (${apart.join(', ')}: left out)` : ''
  if (summary.verdict === 'blank')
    return `no weight with a gradient among the ${summary.count}: all blank, nothing compared`
  if (summary.verdict === 'good') return `✓ all ${compared} checked weights agree${left}`
  return `✗ ${summary.failing} of ${compared} checked weights disagree${left}`
}

/** Position in [0, 1] of a relative error on the log axis; 0 and anything below the axis go to 0. */
export function logPosition(relativeError: number): number {
  if (!(relativeError > 0)) return 0
  const exponent = Math.log10(relativeError)
  return Math.max(0, Math.min(1, (exponent - AXIS_MIN_EXPONENT) / -AXIS_MIN_EXPONENT))
}

/** Exponent form as the rest of the window writes it: "3.2e−3", "1e−6", "1.5e0" (no "+"). */
const exponential = (text: string): string => withMinus(text.replace('e+', 'e'))

/** "3.2e−3", "0": always in exponent form, so errors a thousandfold apart line up by their exponent. */
export function formatRelativeError(value: number): string {
  return value === 0 ? '0' : exponential(value.toExponential(1))
}

/** h of the central difference as the notes write it: "1e−6". */
export function formatStep(step: number): string {
  return exponential(step.toExponential())
}
