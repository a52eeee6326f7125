// Numbers and durations as the UI shows them: one formatter per kind of number, used by every view, so
// the same number reads the same everywhere. Display only: never used to compute anything.
//
//   loss, weight, gradient, norm     formatValue     "1.460", "−0.04213", "4.23e−5"
//   worked example, ratio in a table formatScalar    "2.54", "0.0065", "4.22e−5"
//   probability, share of a batch    formatPercent   "97.3%", ">99.9%", "<0.1%"
//   test-set accuracy                formatAccuracy  "61.46%"
//   count                            formatCount     "12 345"
//   duration                         formatDuration, formatRunDuration   "0:42", "0.24 s"
//
// NOTE: a rounded number must never say something false: a probability of 0.996 is not "100%" and a
// loss of 0.0000428 is not "0". Values that would round onto a bound (0 or 1) say so with < and >, and
// small non-zero values switch to exponent form instead of rounding to zero. The numbers of the
// engine's own sentences (an auto-pause, a divergence) are core's: core/number-format.ts, re-exported.

import { formatScalar, formatValue, trimZeros, withMinus } from '@core/number-format'

export { formatScalar, formatValue, trimZeros }

/** "0:42", "12:05", "1:02:09". */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—'
  const total = Math.max(0, Math.round(seconds))
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = total % 60
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m)
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`
}

/**
 * A run's training time: "0.24 s" and "3.1 s" for the engine's many sub-10-second runs (as "0:00"
 * they would all look alike), then as formatDuration.
 */
export function formatRunDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds >= 9.95)
    return formatDuration(seconds)
  const shown = Math.max(0, seconds)
  return `${shown < 1 ? shown.toFixed(2) : shown.toFixed(1)} s`
}

/**
 * A fraction as a percentage: "97.3%". Never rounds onto a bound it has not reached: 0.9996 is
 * ">99.9%" (not "100.0%") and 0.0004 is "<0.1%" (not "0.0%"); exactly 1 and 0 read "100.0%", "0.0%".
 */
export function formatPercent(fraction: number | null, digits = 1): string {
  if (fraction === null || !Number.isFinite(fraction)) return '—'
  const percent = fraction * 100
  const text = percent.toFixed(digits)
  const step = 10 ** -digits
  if (fraction < 1 && Number(text) >= 100) return `>${(100 - step).toFixed(digits)}%`
  if (fraction > 0 && Number(text) <= 0) return `<${step.toFixed(digits)}%`
  return `${withMinus(text)}%`
}

/**
 * A test-set accuracy, everywhere it appears (Train, Runs, Evaluate), to one image of `images`: one
 * of MNIST's 10 000 test images is 0.01 % (2 decimals), one of 1 000 is 0.1 % (1 decimal); the bound
 * rule of formatPercent.
 */
export function formatAccuracy(fraction: number | null, images = 10_000): string {
  return formatPercent(fraction, Math.max(0, Math.ceil(Math.log10(images)) - 2))
}

/** "12 345" with thin-space grouping. */
export function formatCount(value: number): string {
  return withMinus(Math.round(value).toLocaleString('en-US').replace(/,/g, '\u202f'))
}

/** A throughput: "87", "1.2k", "34k". */
export function formatRate(perSecond: number | null): string {
  if (perSecond === null || !Number.isFinite(perSecond)) return '—'
  if (perSecond >= 10_000) return `${(perSecond / 1000).toFixed(0)}k`
  if (perSecond >= 1_000) return `${(perSecond / 1000).toFixed(1)}k`
  return perSecond.toFixed(0)
}
