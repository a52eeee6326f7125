// A run's per-step metrics, kept whole up to a limit and thinned evenly beyond it (always with the last step).

import { MAX_RECORDED_STEPS, type StepMetrics } from '../contract'

/**
 * Keeps every `stride`-th step (stride 1, 2, 4, …). When the kept points reach `limit`, every other one
 * is dropped and the stride doubles, so the points stay evenly spaced over the whole run and memory
 * stays bounded however long it trains. The latest step is always part of `values()`.
 */
export class MetricSeries {
  private kept: StepMetrics[] = []
  private stride = 1
  private latest: StepMetrics | null = null

  constructor(private readonly limit: number = MAX_RECORDED_STEPS) {
    if (!Number.isInteger(limit) || limit < 2)
      throw new RangeError(`MetricSeries: limit must be a whole number ≥ 2, got ${limit}`)
  }

  push(metrics: StepMetrics): void {
    this.latest = metrics
    if (metrics.step % this.stride !== 0) return
    this.kept.push(metrics)
    // NOTE: `limit - 1` leaves room for the latest step, which may fall between two kept ones.
    if (this.kept.length >= this.limit) {
      this.stride *= 2
      this.kept = this.kept.filter((m) => m.step % this.stride === 0)
    }
  }

  /** The recorded points in step order: at most `limit`, the last step included. */
  values(): StepMetrics[] {
    const last = this.kept.at(-1)
    if (this.latest === null || last?.step === this.latest.step) return this.kept.slice()
    return [...this.kept, this.latest]
  }
}
