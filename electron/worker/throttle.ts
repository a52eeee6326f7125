// Time-based throttles that keep the event rate fixed whatever the step rate (STYLE P12, A8).

/** Milliseconds since some fixed point; injectable so tests need no real clock. */
export type Clock = () => number

/**
 * The window's message budget is about 10 per second, however fast steps are: 8 progress messages
 * and 2 weight snapshots. PERF: measured by `npm run bench:app` (docs/performance.md); at 10 + 4 a
 * second the page received 12–14 messages a second, and a snapshot costs the page ~10 ms to decode and draw.
 */
export const EMIT_INTERVAL_MS = 125
/** ≈2 weight snapshots per second for small layers (see EMIT_INTERVAL_MS). */
export const SNAPSHOT_INTERVAL_MS = 500
/**
 * Snapshot bandwidth budget. PERF: a 4096-wide first layer is 12.8 MB per snapshot; at 4 Hz that
 * would push 50 MB/s through two IPC hops, so big layers are sent less often.
 */
export const SNAPSHOT_BYTES_PER_SECOND = 4 * 1024 * 1024

/** The snapshot interval for a weight matrix of `bytes` bytes: 500 ms, longer for big layers. */
export function snapshotIntervalMs(bytes: number): number {
  return Math.max(SNAPSHOT_INTERVAL_MS, (1000 * bytes) / SNAPSHOT_BYTES_PER_SECOND)
}

/** "Has `intervalMs` passed since the last time?" */
export class Throttle {
  private last: number

  constructor(
    private readonly intervalMs: number,
    private readonly now: Clock = () => performance.now()
  ) {
    this.last = now()
  }

  get due(): boolean {
    return this.now() - this.last >= this.intervalMs
  }

  /** Restarts the interval (call it whenever the throttled thing was just sent). */
  mark(): void {
    this.last = this.now()
  }
}

/** Accumulates time while running, not while paused: a run's "elapsed" excludes the pauses. */
export class Stopwatch {
  private total = 0
  private since: number | null = null

  constructor(private readonly now: Clock = () => performance.now()) {}

  start(): void {
    this.since ??= this.now()
  }

  stop(): void {
    if (this.since === null) return
    this.total += this.now() - this.since
    this.since = null
  }

  get seconds(): number {
    const running = this.since === null ? 0 : this.now() - this.since
    return (this.total + running) / 1000
  }
}
