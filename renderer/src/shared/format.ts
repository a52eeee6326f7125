// Numbers and durations as the UI shows them. Display only: never used to compute anything.

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

/** A loss or weight with 4 significant digits, switching to exponent form for tiny or huge values. */
export function formatValue(value: number | null): string {
  if (value === null || Number.isNaN(value)) return '—'
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞'
  const a = Math.abs(value)
  const text = a !== 0 && (a < 1e-3 || a >= 1e5) ? value.toExponential(2) : value.toPrecision(4)
  return text.replace(/-/g, '−') // both signs: −5.94e−7
}

/** "97.3%" from a fraction. */
export function formatPercent(fraction: number | null, digits = 1): string {
  if (fraction === null || !Number.isFinite(fraction)) return '—'
  return `${(fraction * 100).toFixed(digits)}%`
}

/** "12 345" with thin-space grouping, and a rate like "1.2k" for large throughputs. */
export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US').replace(/,/g, '\u202f')
}

export function formatRate(perSecond: number | null): string {
  if (perSecond === null || !Number.isFinite(perSecond)) return '—'
  if (perSecond >= 10_000) return `${(perSecond / 1000).toFixed(0)}k`
  if (perSecond >= 1_000) return `${(perSecond / 1000).toFixed(1)}k`
  return perSecond.toFixed(0)
}
