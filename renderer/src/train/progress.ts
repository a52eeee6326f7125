// Run-progress arithmetic: throughput over a sliding window, elapsed time without pauses, ETA.

/** One observation: wall-clock time (ms) and the run's step and sample counters at that moment. */
export interface RateSample {
  readonly timeMs: number
  readonly step: number
  readonly samples: number
}

/** How far back throughput is measured: long enough to be steady, short enough to follow changes. */
export const RATE_WINDOW_MS = 3_000

/** Appends a sample and drops those older than the window (keeping at least two to measure with). */
export function pushRateSample(samples: readonly RateSample[], sample: RateSample): RateSample[] {
  const next = [...samples, sample]
  while (next.length > 2 && sample.timeMs - next[1].timeMs >= RATE_WINDOW_MS) next.shift()
  return next
}

export interface Throughput {
  readonly stepsPerSecond: number
  readonly samplesPerSecond: number
}

/** Steps and samples per second across the window, or null until two samples span some time. */
export function throughput(samples: readonly RateSample[]): Throughput | null {
  if (samples.length < 2) return null
  const first = samples[0]
  const last = samples[samples.length - 1]
  const seconds = (last.timeMs - first.timeMs) / 1000
  if (seconds <= 0) return null
  return {
    stepsPerSecond: (last.step - first.step) / seconds,
    samplesPerSecond: (last.samples - first.samples) / seconds
  }
}

/** Seconds until `totalSteps` at the current pace, or null when the pace is unknown or zero. */
export function etaSeconds(
  stepsDone: number,
  totalSteps: number,
  stepsPerSecond: number | null
): number | null {
  if (stepsPerSecond === null || !(stepsPerSecond > 0)) return null
  return Math.max(0, totalSteps - stepsDone) / stepsPerSecond
}

/** A stopwatch that only counts while running: pauses do not inflate elapsed time or skew ETA. */
export interface Stopwatch {
  readonly accumulatedMs: number
  /** When the current running stretch began, or null while stopped. */
  readonly runningSinceMs: number | null
}

export const STOPPED_STOPWATCH: Stopwatch = { accumulatedMs: 0, runningSinceMs: null }

export function stopwatchRun(watch: Stopwatch, nowMs: number): Stopwatch {
  return watch.runningSinceMs === null ? { ...watch, runningSinceMs: nowMs } : watch
}

export function stopwatchHalt(watch: Stopwatch, nowMs: number): Stopwatch {
  if (watch.runningSinceMs === null) return watch
  return {
    accumulatedMs: watch.accumulatedMs + (nowMs - watch.runningSinceMs),
    runningSinceMs: null
  }
}

export function stopwatchSeconds(watch: Stopwatch, nowMs: number): number {
  const running = watch.runningSinceMs === null ? 0 : nowMs - watch.runningSinceMs
  return (watch.accumulatedMs + running) / 1000
}
