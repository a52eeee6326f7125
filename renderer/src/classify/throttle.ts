// Rate-limiting a function: live prediction while drawing runs at most so often, and always once more
// with the latest arguments after the last call.

export interface Throttled<A extends unknown[]> {
  (...args: A): void
  /** Runs a pending call now (e.g. when the pen lifts). */
  flush(): void
  /** Drops a pending call. */
  cancel(): void
}

export interface Clock {
  now(): number
  setTimeout(callback: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

const realClock: Clock = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>)
}

/**
 * Calls `fn` at most once per `intervalMs`: the first call runs at once; calls within the interval are
 * merged into one trailing call with the latest arguments, at the end of the interval.
 */
export function throttle<A extends unknown[]>(
  fn: (...args: A) => void,
  intervalMs: number,
  clock: Clock = realClock
): Throttled<A> {
  let lastRun = -Infinity
  let pending: A | null = null
  let timer: unknown = null

  const run = (args: A): void => {
    lastRun = clock.now()
    pending = null
    fn(...args)
  }
  const clearTimer = (): void => {
    if (timer !== null) clock.clearTimeout(timer)
    timer = null
  }

  const throttled = (...args: A): void => {
    const wait = lastRun + intervalMs - clock.now()
    if (wait <= 0 && timer === null) {
      run(args)
      return
    }
    pending = args
    timer ??= clock.setTimeout(
      () => {
        timer = null
        if (pending) run(pending)
      },
      Math.max(0, wait)
    )
  }
  throttled.flush = (): void => {
    clearTimer()
    if (pending) run(pending)
  }
  throttled.cancel = (): void => {
    clearTimer()
    pending = null
  }
  return throttled
}
