// Tick labels for every chart axis, linear or logarithmic: losses, accuracies (in percent) and steps,
// epochs or samples. One rule, so "10" never reads "1" and a log axis never reads "2, 6, 1, 3".

import { formatCount, trimZeros } from '@/shared/format'
import { withMinus } from '@core/number-format'

export type TickKind = 'value' | 'percent' | 'count'

/**
 * A tick's value in as few characters as say it exactly: "0.25", "10", "15 000", "1e−4", "2.5e5".
 * NOTE: chart.js hands over values like 0.30000000000000004; 6 significant digits hide that noise
 * while keeping every digit a nice tick step has. Zeros are trimmed only after a decimal point.
 */
function tickNumber(value: number): string {
  if (value === 0) return '0'
  const a = Math.abs(value)
  if (a < 1e-3 || a >= 1e5) {
    const [mantissa, exponent] = value.toExponential(5).split('e')
    return withMinus(`${trimZeros(mantissa)}e${exponent.replace('+', '')}`)
  }
  if (a >= 1000 && Number.isInteger(Number(value.toPrecision(6)))) return formatCount(value)
  return withMinus(trimZeros(value.toPrecision(6)))
}

/**
 * A log axis gets a tick at every 1…9 × 10ᵏ (and chart.js adds some in between, e.g. 15); labelling
 * each of them crowds the axis, so only the ticks that are exactly 1, 2 or 5 × 10ᵏ are labelled (the
 * others stay as grid lines). NOTE: "exactly": rounding 15 to its leading digit read it as a 2.
 */
function labelledOnLog(value: number): boolean {
  if (value <= 0) return false
  const mantissa = value / 10 ** Math.floor(Math.log10(value) + 1e-9)
  const leading = Math.round(mantissa)
  return Math.abs(mantissa - leading) < 1e-6 && (leading === 1 || leading === 2 || leading === 5)
}

/** The label of one tick: '' hides it (a crowded log axis). */
export function formatTick(value: number, kind: TickKind, log = false): string {
  if (!Number.isFinite(value)) return ''
  if (log && !labelledOnLog(value)) return ''
  if (kind === 'percent') return `${tickNumber(value)}%`
  if (kind === 'count' && Number.isInteger(value)) return formatCount(value)
  return tickNumber(value)
}

/**
 * The ticks of a linear axis from `min` to `max` at one even step, at most `maxCount` of them: the
 * smallest 1, 2, 2.5 or 5 × 10ᵏ step that fits. NOTE: chart.js picks its step for up to 6 ticks and
 * then, on a short axis, skips every other label, so an accuracy axis read 0/40/80 % with 100 %
 * unlabelled at 900×600. Each of these steps up to 100 divides 100, so a percentage axis (0–100 %, or
 * a zoom that ends on clean ticks) always labels both of its ends: 0/25/50/75/100 %, or 0/50/100 %.
 */
export function evenTicks(min: number, max: number, maxCount: number): number[] {
  const span = max - min
  if (!(span > 0)) return Number.isFinite(min) ? [min] : []
  if (maxCount < 2) return [min, max]
  const rough = span / (maxCount - 1)
  const magnitude = 10 ** Math.floor(Math.log10(rough))
  // NOTE: the tolerance keeps 100 / 4 = 25 at 25 rather than one nice step further.
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= rough * (1 - 1e-9))!
  const first = Math.ceil(min / step - 1e-9)
  const last = Math.floor(max / step + 1e-9)
  // toPrecision(12) hides float noise (3 × 0.1): the labels read the values exactly.
  return Array.from({ length: last - first + 1 }, (_, i) =>
    Number(((first + i) * step).toPrecision(12))
  )
}

/** At most this many labels on any axis. */
export const MAX_TICKS = 6
/** The least height one y label takes with air around it, in px: 11 px text is a 13 px line. */
const Y_LABEL_ROOM = 20

/**
 * A percentage axis's ticks at one even step that fits its height, so that both ends are labelled
 * (`evenTicks`); chart.js's afterBuildTicks hook. NOTE: replaces chart.js's ticks and its label
 * skipping, which dropped 100 %.
 */
export function fitPercentTicks(axis: {
  readonly height: number
  readonly min: number
  readonly max: number
  ticks: { value: number }[]
}): void {
  const fit = Math.floor(axis.height / Y_LABEL_ROOM) + 1
  axis.ticks = evenTicks(axis.min, axis.max, Math.min(MAX_TICKS, fit)).map((value) => ({
    value
  }))
}
