// User Timing measures of the renderer's per-event work (STYLE P12–P14: measured, never asserted).
// `npm run bench:app` (bench/app.ts) reads them in Chromium with performance.getEntriesByType('measure').

/** The measures the app records, one entry per redraw or update. */
export type StudioMeasure =
  'studio:heatmap-redraw' | 'studio:feature-maps-redraw' | 'studio:chart-update'

/** Entries kept per name: browsers never drop User Timing entries themselves, so a long session would grow. */
export const MAX_MEASURES_PER_NAME = 1000

const counts = new Map<StudioMeasure, number>()

/**
 * Records `name` from `start` (a performance.now() time) to now; `detail` tells apart several sources
 * (e.g. which chart). Costs about a microsecond; past the cap the oldest entries of that name are cleared.
 */
export function measureSince(name: StudioMeasure, start: number, detail?: string): void {
  const count = (counts.get(name) ?? 0) + 1
  if (count > MAX_MEASURES_PER_NAME) performance.clearMeasures(name)
  counts.set(name, count > MAX_MEASURES_PER_NAME ? 1 : count)
  performance.measure(name, { start, end: performance.now(), detail })
}
