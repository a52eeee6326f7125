// The page's side of `npm run bench:app` (bench/app.ts): what is injected into the app's page to time
// each WebSocket message's handling and record long tasks (PAGE_PROBE, PAGE_DRAIN), how the frames the page
// receives are named (kindOf), and what those recordings add up to over a run: messages per second by type
// (messageRates) and the renderer's own cost (rendererCost). Measures, never judges.

import { distribution, round, type Distribution } from './harness'

/**
 * Injected before the app's own scripts (the app is not changed for it): times each WebSocket message's
 * handling on the main thread, from the app's onmessage to the end of the microtasks it queued (Vue's
 * re-render, the chart updates and heatmap painting included), and records long tasks.
 */
export const PAGE_PROBE = `(() => {
  const handled = []
  const longTasks = []
  Object.defineProperty(window, '__studioBench', { value: { handled, longTasks } })
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) longTasks.push({ at: entry.startTime, ms: entry.duration })
    }).observe({ type: 'longtask', buffered: true })
  } catch {}
  const kindOf = (data) => {
    const match = /^\\{"type":"(\\w+)"(?:,"event":\\{"type":"(\\w+)")?/.exec(String(data).slice(0, 64))
    return match ? match[2] ?? match[1] : 'other'
  }
  const property = Object.getOwnPropertyDescriptor(WebSocket.prototype, 'onmessage')
  Object.defineProperty(WebSocket.prototype, 'onmessage', {
    configurable: true,
    get: property.get,
    set(listener) {
      property.set.call(this, typeof listener !== 'function' ? listener : function (event) {
        const start = performance.now()
        const kind = kindOf(event.data)
        try {
          return listener.call(this, event)
        } finally {
          queueMicrotask(() => handled.push({ kind, ms: performance.now() - start }))
        }
      })
    }
  })
})()`

/** Takes (and clears) what the page recorded since the last call. */
export const PAGE_DRAIN = `(() => {
  const bench = window.__studioBench
  const measures = performance.getEntriesByType('measure').map((e) => ({ name: e.name, ms: e.duration, detail: e.detail ?? null }))
  performance.clearMeasures()
  return { measures, handled: bench.handled.splice(0), longTasks: bench.longTasks.splice(0) }
})()`

export interface Drained {
  readonly measures: { name: string; ms: number; detail: string | null }[]
  readonly handled: { kind: string; ms: number }[]
  readonly longTasks: { at: number; ms: number }[]
}

/** The message's type: the event's type for pushed TrainingEvents, else the envelope's ('reply'). */
export function kindOf(payload: string | Buffer): string {
  const match = /^\{"type":"(\w+)"(?:,"event":\{"type":"(\w+)")?/.exec(
    payload.toString().slice(0, 64)
  )
  return match ? (match[2] ?? match[1]) : 'other'
}

/** A WebSocket frame the page received: when (performance.now()) and its kind (kindOf). */
export type Frame = { readonly at: number; readonly kind: string }

export interface MessageRate {
  readonly count: number
  /** count / seconds of running (a pause for single steps is left out). */
  readonly meanPerSecond: number
  /** The most in any one-second window while running. */
  readonly maxPerSecond: number
}

/** What the page recorded over one phase of a run. */
export interface RendererCost {
  readonly heatmapRedraw: Distribution | null
  /** Both charts together, then each by its label. */
  readonly chartUpdate: Distribution | null
  readonly chartUpdateByChart: Readonly<Record<string, Distribution | null>>
  /** Each message type's main-thread time, from the app's onmessage to the end of the work it queued. */
  readonly handling: Readonly<Record<string, Distribution | null>>
  readonly longTasks: { readonly count: number; readonly maxMs: number }
}

/** How long a run was running, and the training messages it sent meanwhile. */
export interface MessageRates {
  /** From the `started` frame to the `finished` one, the single-step pause left out. */
  readonly runSeconds: number
  /** Every TrainingEvent type seen while running, and 'all events' (replies to calls are not training messages). */
  readonly messages: Readonly<Record<string, MessageRate>>
}

/** The most timestamps (ms) that fall in any window [t, t + windowMs). */
function maxInWindow(times: readonly number[], windowMs = 1000): number {
  const sorted = [...times].sort((a, b) => a - b)
  let best = 0
  for (let lo = 0, hi = 0; lo < sorted.length; lo++) {
    while (hi < sorted.length && sorted[hi] < sorted[lo] + windowMs) hi++
    best = Math.max(best, hi - lo)
  }
  return best
}

/** Messages per second by type while the run was running (the `pause` left out). */
export function messageRates(
  name: string,
  frames: readonly Frame[],
  pause: { from: number; to: number } | null
): MessageRates {
  const started = frames.find((f) => f.kind === 'started')?.at
  const finished = frames.find((f) => f.kind === 'finished')?.at
  if (started === undefined || finished === undefined)
    throw new Error(`${name}: no started/finished frames seen`)
  const segments = pause
    ? [
        [started, pause.from],
        [pause.to, finished]
      ]
    : [[started, finished]]
  const runSeconds = Math.max(
    1e-3,
    segments.reduce((sum, [from, to]) => sum + (to - from), 0) / 1000
  )
  const rate = (kind: string | null): MessageRate => {
    const inSegment = segments.map(([from, to]) =>
      frames
        .filter(
          (f) =>
            f.at >= from && f.at <= to && f.kind !== 'reply' && (kind === null || f.kind === kind)
        )
        .map((f) => f.at)
    )
    const count = inSegment.reduce((sum, times) => sum + times.length, 0)
    return {
      count,
      meanPerSecond: round(count / runSeconds, 1),
      maxPerSecond: Math.max(...inSegment.map((times) => maxInWindow(times)))
    }
  }
  const kinds = [
    ...new Set(
      frames
        .filter((f) => f.at >= started && f.at <= finished && f.kind !== 'reply')
        .map((f) => f.kind)
    )
  ].sort()
  const messages: Record<string, MessageRate> = { 'all events': rate(null) }
  for (const kind of kinds) messages[kind] = rate(kind)
  return { runSeconds: round(runSeconds, 2), messages }
}

/** What the page recorded over one phase of a run (`drained`: each drain's take), summed up. */
export function rendererCost(drained: readonly Drained[]): RendererCost {
  const measures = drained.flatMap((d) => d.measures)
  const durations = (name: string, detail?: string): number[] =>
    measures
      .filter((m) => m.name === name && (detail === undefined || m.detail === detail))
      .map((m) => m.ms)
  const charts = [
    ...new Set(measures.filter((m) => m.name === 'studio:chart-update').map((m) => m.detail ?? '?'))
  ].sort()
  const handled = drained.flatMap((d) => d.handled).filter((h) => h.kind !== 'reply')
  const kinds = [...new Set(handled.map((h) => h.kind))].sort()
  const longTasks = drained.flatMap((d) => d.longTasks)
  return {
    heatmapRedraw: distribution(durations('studio:heatmap-redraw')),
    chartUpdate: distribution(durations('studio:chart-update')),
    chartUpdateByChart: Object.fromEntries(
      charts.map((chart) => [chart, distribution(durations('studio:chart-update', chart))])
    ),
    handling: Object.fromEntries(
      kinds.map((kind) => [
        kind,
        distribution(handled.filter((h) => h.kind === kind).map((h) => h.ms))
      ])
    ),
    longTasks: {
      count: longTasks.length,
      maxMs: round(Math.max(0, ...longTasks.map((t) => t.ms)), 1)
    }
  }
}
