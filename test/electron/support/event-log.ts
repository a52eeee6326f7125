// Test helper: records TrainingEvents from any StudioApi-like source and waits for the ones a test expects.

import type { StepMetrics, TrainingEvent } from '../../../electron/contract'
import { PATIENT_WAIT_MS } from '../../helpers/waits'

type EventOf<T extends TrainingEvent['type']> = Extract<TrainingEvent, { type: T }>

interface WaitOptions<E> {
  /** Only events at or after this position (see `mark`). */
  since?: number
  accept?: (event: E) => boolean
  timeoutMs?: number
}

interface Waiter {
  check(): boolean
}

/** The event a run ends with. */
export type RunEnd = EventOf<'finished'> | EventOf<'diverged'> | EventOf<'failed'>

export class EventLog {
  readonly events: TrainingEvent[] = []
  private readonly waiters = new Set<Waiter>()
  private readonly unsubscribe: () => void

  constructor(subscribe: (listener: (event: TrainingEvent) => void) => () => void) {
    this.unsubscribe = subscribe((event) => {
      this.events.push(event)
      for (const waiter of this.waiters) if (waiter.check()) this.waiters.delete(waiter)
    })
  }

  /** The position after the last event so far: pass it as `since` to wait only for newer events. */
  mark(): number {
    return this.events.length
  }

  ofType<T extends TrainingEvent['type']>(type: T, since = 0): EventOf<T>[] {
    return this.events.slice(since).filter((event): event is EventOf<T> => event.type === type)
  }

  /** Every StepMetrics received (from `since`), in order. */
  metrics(since = 0): StepMetrics[] {
    return this.ofType('progress', since).flatMap((event) => event.metrics)
  }

  /** The first event of `type` at or after `since` that satisfies `accept`. */
  waitFor<T extends TrainingEvent['type']>(
    type: T,
    { since = 0, accept = () => true, timeoutMs = PATIENT_WAIT_MS }: WaitOptions<EventOf<T>> = {}
  ): Promise<EventOf<T>> {
    const matches = (event: TrainingEvent): event is EventOf<T> =>
      event.type === type && accept(event as EventOf<T>)
    return this.waitUntil(matches, since, timeoutMs, `'${type}'`)
  }

  /** The run's terminal event: `finished`, `diverged` or `failed`, whichever comes first after `since`. */
  waitForEnd(since = 0, timeoutMs = PATIENT_WAIT_MS): Promise<RunEnd> {
    const isEnd = (event: TrainingEvent): event is RunEnd =>
      event.type === 'finished' || event.type === 'diverged' || event.type === 'failed'
    return this.waitUntil(isEnd, since, timeoutMs, "'finished', 'diverged' or 'failed'")
  }

  private waitUntil<E extends TrainingEvent>(
    matches: (event: TrainingEvent) => event is E,
    since: number,
    timeoutMs: number,
    what: string
  ): Promise<E> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter)
        const seen = this.events
          .slice(since)
          .map((event) => event.type)
          .join(', ')
        reject(new Error(`no ${what} event within ${timeoutMs} ms; saw: ${seen || 'nothing'}`))
      }, timeoutMs)
      const waiter: Waiter = {
        check: () => {
          const found = this.events.slice(since).find(matches)
          if (found) {
            clearTimeout(timer)
            resolve(found)
          }
          return found !== undefined
        }
      }
      if (!waiter.check()) this.waiters.add(waiter)
    })
  }

  dispose(): void {
    this.unsubscribe()
    this.waiters.clear()
  }
}

/** Resolves after `ms`; for "nothing more happens" checks, never for timing assertions. */
export const settle = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms))
