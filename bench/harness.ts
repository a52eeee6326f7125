// Timing helpers for the benchmarks: warm-up, interleaved repeats, medians. Numbers only; nothing here
// fails on time.

import { cpus, loadavg } from 'node:os'

/** Median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** A warning when other processes keep the machine busy (the 1-minute load average exceeds the cores). */
export function loadWarning(): string | null {
  const load = loadavg()[0]
  const cores = cpus().length
  return load > cores * 0.75
    ? `note: the load average is ${load.toFixed(1)} on ${cores} cores; other processes compete for the CPU, so timings are pessimistic`
    : null
}

export interface Timing {
  /** Median microseconds per call over the rounds. */
  readonly median: number
  /** Fastest round, microseconds per call: the one least disturbed by other processes. */
  readonly best: number
}

/**
 * Times several variants of the same work, interleaved: each round runs every variant `calls` times,
 * so a burst of load from another process hits all of them alike (timing them one after another lets
 * it land on one). A warm-up first, so V8 has tiered every variant up.
 */
export function timeInterleaved(
  variants: Readonly<Record<string, () => void>>,
  { rounds = 100, targetMs = 2, warmupMs = 200 } = {}
): Record<string, Timing> {
  const names = Object.keys(variants)
  // Warm-up, and calls per round so that one round of a variant lasts about targetMs.
  const calls: Record<string, number> = {}
  for (const name of names) {
    let count = 0
    const start = performance.now()
    while (performance.now() - start < warmupMs / names.length) {
      variants[name]()
      count++
    }
    calls[name] = Math.max(1, Math.round((count * targetMs * names.length) / warmupMs))
  }
  const samples: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]))
  for (let round = 0; round < rounds; round++) {
    for (const name of names) {
      const start = performance.now()
      for (let i = 0; i < calls[name]; i++) variants[name]()
      samples[name].push(((performance.now() - start) * 1000) / calls[name])
    }
  }
  return Object.fromEntries(
    names.map((name) => [name, { median: median(samples[name]), best: Math.min(...samples[name]) }])
  )
}

/** `value` rounded to `digits` decimals, as a number (for JSON reports). */
export const round = (value: number, digits = 2): number => Number(value.toFixed(digits))

/** Nearest-rank percentile of a non-empty list. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]
}

/** Milliseconds measured over a phase: how many, their median, 95th percentile and maximum. */
export interface Distribution {
  readonly count: number
  readonly medianMs: number
  readonly p95Ms: number
  readonly maxMs: number
}

export function distribution(values: readonly number[]): Distribution | null {
  if (values.length === 0) return null
  return {
    count: values.length,
    medianMs: round(median(values), 3),
    p95Ms: round(percentile(values, 95), 3),
    maxMs: round(Math.max(...values), 3)
  }
}

/** 12.3 → "12.3", 1234.5 → "1 235": readable numbers for tables. */
export function formatNumber(value: number, digits = 1): string {
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US').replaceAll(',', ' ')
  return value.toFixed(digits)
}

/** A plain-text table with right-aligned numeric columns. */
export function formatTable(
  header: readonly string[],
  rows: readonly (readonly string[])[]
): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c].length)))
  const line = (cells: readonly string[]): string =>
    cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ')
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n')
}

/**
 * timeInterleaved by CPU time (this process's user + system time) instead of wall-clock time: on a
 * shared machine, the time other processes hold the CPU is not counted (their cache traffic still is).
 * Single-threaded work only: a process's CPU time adds up all its threads.
 */
export function timeInterleavedCpu(
  variants: Readonly<Record<string, () => void>>,
  { rounds = 30, targetMs = 5 } = {}
): Record<string, Timing> {
  const cpuMicros = (): number => {
    const { user, system } = process.cpuUsage()
    return user + system
  }
  const names = Object.keys(variants)
  const calls: Record<string, number> = {}
  for (const name of names) {
    const start = cpuMicros()
    let count = 0
    while (cpuMicros() - start < 100_000 / names.length) {
      variants[name]()
      count++
    }
    calls[name] = Math.max(1, Math.round((count * targetMs * 1000 * names.length) / 100_000))
  }
  const samples: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]))
  for (let round = 0; round < rounds; round++)
    for (const name of names) {
      const start = cpuMicros()
      for (let i = 0; i < calls[name]; i++) variants[name]()
      samples[name].push((cpuMicros() - start) / calls[name])
    }
  return Object.fromEntries(
    names.map((name) => [name, { median: median(samples[name]), best: Math.min(...samples[name]) }])
  )
}
