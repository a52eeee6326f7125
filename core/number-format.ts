// Numbers as people read them, for the window and the command line alike: one rule per kind of
// number, so that a loss, a ratio or a weight reads the same in a chart's tooltip, a table and the
// sentence that explains an auto-pause. Display only: never used to compute anything.
//
//   loss, weight, gradient, norm     formatValue    "1.460", "−0.04213", "4.23e−5", "1.23e5"
//   a number in a worked example     formatScalar   "2.54", "0.0065", "4.22e−5"
//   a factor in a sentence           formatFactor   "3.6×", "101×", "2e7×"
//
// NOTE: exponents are written as a chart's axis writes them ("1e−4", "2.5e5"): a real minus sign
// (U+2212), no "+" and no zeros after the point unless they count; a rounded number never says
// something false, so small non-zero values switch to exponent form instead of rounding to 0.

/** The real minus sign (U+2212), as in print: "−0.5", "1e−5". */
export function withMinus(text: string): string {
  return text.replace(/-/g, '−')
}

/** "2.540" → "2.54", "3.000" → "3", "1.50e-5" → "1.5e-5"; zeros before the point stay ("10"). */
export function trimZeros(text: string): string {
  return text.replace(/(\.\d*?)0+(?=$|e)/, '$1').replace(/\.(?=$|e)/, '')
}

/**
 * `digits` significant digits, or digits − 1 in exponent form (at least 2) below 1e−3 or from 1e5
 * on (so nothing non-zero reads as 0); from 10^(digits − 1) on, the whole number, which is as
 * short (toPrecision(4) would write 12345 as "1.235e+4", toPrecision(2) 101 as "1.0e+2"). `trim`
 * drops the zeros after the decimal point ("2.540" → "2.54").
 */
function significant(value: number, digits: number, trim: boolean): string {
  const a = Math.abs(value)
  const exponent = a !== 0 && (a < 1e-3 || a >= 1e5)
  let text = exponent
    ? value.toExponential(Math.max(1, digits - 2))
    : a >= 10 ** (digits - 1)
      ? value.toFixed(0)
      : value.toPrecision(digits)
  if (trim) text = trimZeros(text)
  return withMinus(text.replace('e+', 'e'))
}

/** NaN and null read "—", infinities "∞" and "−∞"; null when the value is an ordinary number. */
function special(value: number | null): string | null {
  if (value === null || Number.isNaN(value)) return '—'
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞'
  return null
}

/**
 * A loss, weight, gradient or norm: 4 significant digits with their zeros ("1.460": columns line up
 * and the precision shows), exponent form for tiny or huge values.
 */
export function formatValue(value: number | null): string {
  return special(value) ?? significant(value!, 4, false)
}

/**
 * A number in a worked example (Explore's scalar graph, a formula written out) or a ratio in a
 * table: up to 4 significant digits without trailing zeros, so hand-computed values read as written
 * ("2.54", "−5.08", "0.0065"), and exponent form below 1e−3 so a small value never reads as 0.
 */
export function formatScalar(value: number | null): string {
  if (value === 0) return '0'
  return special(value) ?? significant(value!, 4, true)
}

/** How many times one thing is another, in a sentence: 2 significant digits, "3.6×", "101×", "2e7×". */
export function formatFactor(value: number): string {
  return `${special(value) ?? significant(value, 2, true)}×`
}
