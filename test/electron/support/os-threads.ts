// Test helper: this process's OS threads (a worker thread is one), to check that threads end.

import { readFileSync } from 'node:fs'

/** The thread count from /proc; null where there is no /proc (tests that need it are skipped). */
export function osThreads(): number | null {
  try {
    return Number(/Threads:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))![1])
  } catch {
    return null
  }
}

/**
 * Polls until the thread count is `expected` (a thread ends a moment after its worker says it has),
 * for up to about 10 s; returns the count then. No wall-clock assertion: the count is what is checked.
 */
export async function threadsSettleAt(expected: number | null): Promise<number | null> {
  for (let i = 0; i < 200 && osThreads() !== expected; i++)
    await new Promise((resolve) => setTimeout(resolve, 50))
  return osThreads()
}
