// A run's health samples, kept within a fixed count however long it trains: old samples are thinned.

import type { HealthSample } from './health'

/**
 * At most this many samples per run. PERF: a sample is about 3·HEALTH_BINS + 8 numbers per layer
 * (~60), so LeNet's 5 weighted layers keep under 40 000 numbers, a few hundred KB, in the worker's,
 * the host's and the window's copies alike.
 */
export const HEALTH_HISTORY_LIMIT = 128

/**
 * Keeps a run's samples in step order. When `limit` are kept, every other one is dropped (the first
 * and the latest stay), so the kept samples stay spread over the whole run: the first half of a long
 * run is drawn as coarsely as the second, never cut off.
 * NOTE: by position, not by step number (unlike the host's MetricSeries): samples come at the
 * snapshot cadence, a time, so their steps are irregular.
 */
export class HealthHistory {
  private kept: HealthSample[] = []

  constructor(private readonly limit = HEALTH_HISTORY_LIMIT) {
    if (!Number.isInteger(limit) || limit < 3)
      throw new RangeError(`HealthHistory: limit must be a whole number ≥ 3, got ${limit}`)
  }

  /** Adds the next sample (a sample of a step already kept replaces it). */
  push(sample: HealthSample): void {
    if (this.kept.at(-1)?.step === sample.step) this.kept.pop()
    this.kept.push(sample)
    if (this.kept.length < this.limit) return
    const last = this.kept.length - 1
    this.kept = this.kept.filter((_, i) => i % 2 === 0 || i === last)
  }

  /** The kept samples, oldest first: fewer than `limit`, the latest included. */
  values(): readonly HealthSample[] {
    return this.kept.slice()
  }
}

/**
 * The sample at `step`, or the nearest before it (samples come at a time cadence, so most steps have
 * none): what the network's health looked like when a run was at `step`. Null before the first sample.
 * `samples` in step order, as HealthHistory keeps them.
 */
export function healthAt(samples: readonly HealthSample[], step: number): HealthSample | null {
  let found: HealthSample | null = null
  for (const sample of samples) {
    if (sample.step > step) break
    found = sample
  }
  return found
}
