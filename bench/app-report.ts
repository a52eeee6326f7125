// What `npm run bench:app` (bench/app.ts) reports: the shape of its results (also its --json output) and
// their text form, tables of messages, renderer costs, dataset times and memory, with the load average.

import type { PresetName } from '../core'
import type { MessageRates, RendererCost } from './app-page'
import { formatNumber, formatTable, type Distribution } from './harness'
import { formatMemoryReport, type MemoryMode, type MemoryReport } from './worker-memory'

export interface DatasetTimes {
  /** loadMnist(): read and parse the four IDX files, as the worker does at start. */
  readonly loadMnistFirstMs: number
  readonly loadMnistMedianMs: number
  /** new FastTrainer(config, train): the fast engine's per-run set-up, which encodes the training set. */
  readonly fastTrainerMs: Readonly<Partial<Record<PresetName, number>>>
}

export interface RunResult extends MessageRates {
  readonly scenario: string
  readonly preset: PresetName
  readonly pace: number | null
  readonly layer: string
  readonly steps: number
  /** While training at full speed: the worker shares the machine's two cores with the page. */
  readonly running: RendererCost
  /**
   * Paused mid-run (charts full), then Step pressed STEPS_WHEN_PAUSED times: each step sends one
   * progress and one weights event while the worker is idle, so this is the renderer's own cost.
   */
  readonly stepping: RendererCost | null
}

// The paused phase of a long run: bench/app.ts drives it, the report names it.

/** Single steps taken in the paused phase of a long run. */
export const STEPS_WHEN_PAUSED = 30
/** A run this long is paused after PAUSE_AT_STEP steps (the charts hold about 2 000 points by then). */
export const PAUSE_IN_RUNS_OF = 4000
export const PAUSE_AT_STEP = 2500

export interface BrowserResults {
  readonly runs: readonly RunResult[]
  /** The server process (host + worker thread, as `npm run web` runs them) over all the runs. */
  readonly serverRss: {
    readonly startMb: number
    readonly peakMb: number
    readonly endMb: number
  } | null
}

export interface AppReport {
  /** 1, 5 and 15 minute load averages when the measurements began and when they ended. */
  readonly loadAverageStart: readonly number[]
  readonly loadAverage: readonly number[]
  readonly cores: number
  readonly dataset?: DatasetTimes
  readonly browser?: BrowserResults
  readonly memory?: Readonly<Partial<Record<MemoryMode, MemoryReport>>>
}

const ms = (value: number | undefined): string =>
  value === undefined ? '–' : value < 10 ? value.toFixed(2) : formatNumber(value)

function costRows(cost: RendererCost): [string, Distribution | null][] {
  return [
    ['heatmap redraw', cost.heatmapRedraw],
    ['chart update (both charts)', cost.chartUpdate],
    ...Object.entries(cost.chartUpdateByChart).map(([chart, d]): [string, Distribution | null] => [
      `  ${chart}`,
      d
    ]),
    ...Object.entries(cost.handling).map(([kind, d]): [string, Distribution | null] => [
      `handling a ${kind} message`,
      d
    ])
  ]
}

function formatCost(title: string, cost: RendererCost): string {
  return [
    title,
    formatTable(
      ['renderer, ms', 'count', 'median', 'p95', 'max'],
      costRows(cost).map(([name, d]) => [
        name,
        String(d?.count ?? 0),
        ms(d?.medianMs),
        ms(d?.p95Ms),
        ms(d?.maxMs)
      ])
    ),
    `long tasks (> 50 ms) in the page: ${cost.longTasks.count}${cost.longTasks.count ? `, longest ${cost.longTasks.maxMs} ms` : ''}`
  ].join('\n')
}

export function formatReport(report: AppReport): string {
  const loads = (l: readonly number[]): string => l.map((x) => x.toFixed(2)).join(' / ')
  const out: string[] = [
    `Load average (1 / 5 / 15 min) on ${report.cores} cores: ${loads(report.loadAverageStart)} at the start, ${loads(report.loadAverage)} at the end`
  ]
  for (const result of report.browser?.runs ?? []) {
    out.push(
      '',
      `${result.scenario} (${result.layer}): ${result.steps} steps, ${result.runSeconds.toFixed(1)} s running`,
      formatTable(
        ['messages while running', 'count', 'mean /s', 'max /s'],
        Object.entries(result.messages).map(([kind, r]) => [
          kind,
          String(r.count),
          r.meanPerSecond.toFixed(1),
          String(r.maxPerSecond)
        ])
      ),
      formatCost(
        result.pace === null
          ? 'while training at full speed:'
          : `while training at ${result.pace} steps/s:`,
        result.running
      )
    )
    if (result.stepping)
      out.push(
        formatCost(
          `paused at step ~${PAUSE_AT_STEP}, then ${STEPS_WHEN_PAUSED} single steps (the worker idle):`,
          result.stepping
        )
      )
  }
  const server = report.browser?.serverRss
  if (server)
    out.push(
      '',
      `server process (host + worker thread) during the runs: RSS ${server.startMb} MB at start, peak ${server.peakMb} MB, ${server.endMb} MB at the end`
    )
  if (report.dataset) {
    const d = report.dataset
    out.push(
      '',
      formatTable(
        ['dataset', 'ms'],
        [
          ['loadMnist (read + parse IDX), first call', ms(d.loadMnistFirstMs)],
          ['loadMnist, median of 5 more', ms(d.loadMnistMedianMs)],
          ...Object.entries(d.fastTrainerMs).map(([preset, t]) => [
            `new FastTrainer (encode the training set), ${preset}`,
            ms(t)
          ])
        ]
      )
    )
  }
  for (const memory of Object.values(report.memory ?? {})) {
    if (memory)
      out.push(
        '',
        formatMemoryReport(memory),
        `ready (dataset loaded) after ${memory.readySeconds.toFixed(2)} s`
      )
  }
  return out.join('\n')
}
