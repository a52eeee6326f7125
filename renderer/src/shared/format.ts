// Numbers and durations as the UI shows them: one formatter per kind of number, used by every view, so
// the same number reads the same everywhere. Display only: never used to compute anything.
//
//   loss, weight, gradient           formatValue     "1.460", "−0.04213", "4.23e−5"
//   a number in a worked example     formatScalar    "2.54", "0.0065", "4.22e−5"
//   probability, share of a batch    formatPercent   "97.3%", ">99.9%", "<0.1%"
//   test-set accuracy                formatAccuracy  "61.46%"
//   count                            formatCount     "12 345"
//   duration                         formatDuration, formatRunDuration   "0:42", "0.24 s"
//
// NOTE: a rounded number must never say something false: a probability of 0.996 is not "100%" and a
// loss of 0.0000428 is not "0". Values that would round onto a bound (0 or 1) say so with < and >, and
// small non-zero values switch to exponent form instead of rounding to zero.

/** The real minus sign (U+2212), as in print: "−0.5", "1e−5". */
function withMinus(text: string): string {
  return text.replace(/-/g, '−')
}

/**
 * 4 significant digits, or 3 in exponent form below 1e−3 or from 1e5 on (so nothing non-zero reads
 * as 0); `trim` drops the zeros after the decimal point ("2.540" → "2.54").
 */
function significant(value: number, trim: boolean): string {
  const a = Math.abs(value)
  const exponent = a !== 0 && (a < 1e-3 || a >= 1e5)
  // NOTE: toPrecision(4) would write 12345 as "1.235e+4"; from 1000 on, the whole number is as short.
  let text = exponent ? value.toExponential(2) : a >= 1000 ? value.toFixed(0) : value.toPrecision(4)
  if (trim) text = trimZeros(text)
  return withMinus(text.replace('e+', 'e'))
}

/** "2.540" → "2.54", "3.000" → "3", "1.50e-5" → "1.5e-5"; zeros before the point stay ("10"). */
export function trimZeros(text: string): string {
  return text.replace(/(\.\d*?)0+(?=$|e)/, '$1').replace(/\.(?=$|e)/, '')
}

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
 * A loss, weight or gradient: 4 significant digits with their zeros ("1.460": columns line up and the
 * precision shows), exponent form for tiny or huge values.
 */
export function formatValue(value: number | null): string {
  if (value === null || Number.isNaN(value)) return '—'
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞'
  return significant(value, false)
}

/**
 * A number in a worked example (Explore's scalar graph, a formula written out): up to 4 significant
 * digits without trailing zeros, so hand-computed values read as written ("2.54", "−5.08", "0.0065"),
 * and exponent form below 1e−3 so a small value never reads as 0 ("4.22e−5").
 */
export function formatScalar(value: number | null): string {
  if (value === null || Number.isNaN(value)) return '—'
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞'
  if (value === 0) return '0'
  return significant(value, true)
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
