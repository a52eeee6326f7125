// `npm run bench:app`: does the app stay smooth while it trains (issue 7, item 3)? Measures, never judges:
//
//   messages    TrainingEvents reaching the page per second, by type (WebSocket frames the page receives),
//               during the MLP and seed presets' runs at full speed and the MLP's at slower paces (the
//               Pace control), in browser mode in Chromium
//   redraws     'studio:heatmap-redraw' and 'studio:chart-update', the renderer's own User Timing measures
//               (renderer/src/shared/perf-marks.ts), plus each message's main-thread handling time and long tasks
//   dataset     loadMnist as the worker calls it (read + parse the IDX files), and the fast engine's
//               per-run set-up (FastTrainer construction, which encodes the training set)
//   memory      a long MLP run (10 epochs, evaluations) with the real built worker, and the worker's own
//               share (its session code alone in a child process): bench/worker-memory.ts
//
// It builds nothing: run `npm run build` first (it starts out/main/web.js, whose worker is
// out/main/train-worker.js). Needs Debian's Chromium (/usr/bin/chromium, or CHROMIUM_PATH).
//
//   npm run build && npm run bench:app
//   npm run bench:app -- --json                  one JSON object on stdout; progress goes to stderr
//   npm run bench:app -- --sections dataset,browser,memory   (default: all three)
//   npm run bench:app -- --presets mlp,seed --paces 500,100,20 --memory-epochs 10   (the defaults;
//                                                none: no such runs)
//   npm run bench:app -- --out /tmp/old/out      measure another build (e.g. before a change; it needs a
//                                                node_modules next to it, a symlink will do)
//
// The page is driven by role and label as test/e2e/training.test.ts drives it. The studio's data folder is
// a fresh temporary one (BACKPROP_STUDIO_DATA_DIR), removed at the end. Timings move with the machine's
// load, so the load average is printed with them.

import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Browser } from 'playwright-core'
import { FastTrainer, PRESETS, type PresetName } from '../core'
import { loadMnist } from '../electron/files/datasets'
import { CHROMIUM_PATH, launchChromium } from '../test/helpers/chromium'
import {
  distribution,
  formatNumber,
  formatTable,
  median,
  round,
  type Distribution
} from './harness'
import { processRss, REPO_ROOT, startStudioServer, type StudioServer } from './studio-server'
import { formatMemoryReport, type MemoryMode, type MemoryReport } from './worker-memory'

type Section = 'dataset' | 'browser' | 'memory'

interface Options {
  readonly json: boolean
  /** The build to measure (default out/): its main/web.js for the browser, main/train-worker.js for memory. */
  readonly out: string
  readonly sections: readonly Section[]
  readonly presets: readonly PresetName[]
  /** Paces (steps per second) at which the MLP preset also runs for PACED_RUN_MS. */
  readonly paces: readonly number[]
  readonly memoryEpochs: number
}

function parseOptions(argv: readonly string[]): Options {
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag)
    return i >= 0 ? argv[i + 1] : undefined
  }
  const sections = (value('--sections') ?? 'dataset,browser,memory').split(',') as Section[]
  for (const s of sections)
    if (!['dataset', 'browser', 'memory'].includes(s)) throw new Error(`--sections: unknown "${s}"`)
  const presetsText = value('--presets') ?? 'mlp,seed'
  const presets = (presetsText === 'none' ? [] : presetsText.split(',')) as PresetName[]
  for (const p of presets)
    if (!(p in PRESETS))
      throw new Error(`--presets: unknown "${p}" (${Object.keys(PRESETS).join(', ')})`)
  const pacesText = value('--paces') ?? '500,100,20'
  const paces = pacesText === 'none' ? [] : pacesText.split(',').map(Number)
  for (const pace of paces)
    if (!(pace > 0))
      throw new Error(`--paces: "${pacesText}" is not a list of steps per second (or none)`)
  const memoryEpochs = Number(value('--memory-epochs') ?? 10)
  if (!Number.isInteger(memoryEpochs) || memoryEpochs < 1)
    throw new Error('--memory-epochs must be a whole number ≥ 1')
  return {
    json: argv.includes('--json'),
    out: resolve(value('--out') ?? join(REPO_ROOT, 'out')),
    sections,
    presets,
    paces,
    memoryEpochs
  }
}

const log = (message: string): void => void process.stderr.write(`${message}\n`)

/** Each preset at full speed to its end, then the MLP preset at each pace for a few seconds. */
function scenarios(options: Options): Scenario[] {
  return [
    ...options.presets.map((preset) => ({
      name: `${preset} preset, full speed`,
      preset,
      pace: null,
      stopAfterMs: null
    })),
    ...options.paces.map((pace) => ({
      name: `mlp preset at ${pace} steps/s`,
      preset: 'mlp' as const,
      pace,
      stopAfterMs: PACED_RUN_MS
    }))
  ]
}

// ── statistics ──

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

// ── dataset ──

interface DatasetTimes {
  /** loadMnist(): read and parse the four IDX files, as the worker does at start. */
  readonly loadMnistFirstMs: number
  readonly loadMnistMedianMs: number
  /** new FastTrainer(config, train): the fast engine's per-run set-up, which encodes the training set. */
  readonly fastTrainerMs: Readonly<Partial<Record<PresetName, number>>>
}

async function measureDataset(presets: readonly PresetName[]): Promise<DatasetTimes> {
  const times: number[] = []
  let data: Awaited<ReturnType<typeof loadMnist>> | null = null
  for (let i = 0; i < 6; i++) {
    const start = performance.now()
    data = await loadMnist()
    times.push(performance.now() - start)
  }
  const fastTrainerMs: Partial<Record<PresetName, number>> = {}
  for (const preset of presets) {
    const runs: number[] = []
    for (let i = 0; i < 5; i++) {
      const start = performance.now()
      new FastTrainer(PRESETS[preset].config, data!.train)
      runs.push(performance.now() - start)
    }
    fastTrainerMs[preset] = round(median(runs), 1)
  }
  return {
    loadMnistFirstMs: round(times[0], 1),
    loadMnistMedianMs: round(median(times.slice(1)), 1),
    fastTrainerMs
  }
}

// ── the browser-mode server and its memory ──

// ── the page ──

/**
 * Injected before the app's own scripts (the app is not changed for it): times each WebSocket message's
 * handling on the main thread, from the app's onmessage to the end of the microtasks it queued (Vue's
 * re-render, the chart updates and heatmap painting included), and records long tasks.
 */
const PAGE_PROBE = `(() => {
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
const PAGE_DRAIN = `(() => {
  const bench = window.__studioBench
  const measures = performance.getEntriesByType('measure').map((e) => ({ name: e.name, ms: e.duration, detail: e.detail ?? null }))
  performance.clearMeasures()
  return { measures, handled: bench.handled.splice(0), longTasks: bench.longTasks.splice(0) }
})()`

interface Drained {
  readonly measures: { name: string; ms: number; detail: string | null }[]
  readonly handled: { kind: string; ms: number }[]
  readonly longTasks: { at: number; ms: number }[]
}

/** The message's type: the event's type for pushed TrainingEvents, else the envelope's ('reply'). */
function kindOf(payload: string | Buffer): string {
  const match = /^\{"type":"(\w+)"(?:,"event":\{"type":"(\w+)")?/.exec(
    payload.toString().slice(0, 64)
  )
  return match ? (match[2] ?? match[1]) : 'other'
}

interface MessageRate {
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

export interface RunResult {
  readonly scenario: string
  readonly preset: PresetName
  readonly pace: number | null
  readonly layer: string
  readonly steps: number
  /** From the `started` frame to the `finished` one, the single-step pause left out. */
  readonly runSeconds: number
  /** Every TrainingEvent type seen while running, and 'all events' (replies to calls are not training messages). */
  readonly messages: Readonly<Record<string, MessageRate>>
  /** While training at full speed: the worker shares the machine's two cores with the page. */
  readonly running: RendererCost
  /**
   * Paused mid-run (charts full), then Step pressed STEPS_WHEN_PAUSED times: each step sends one
   * progress and one weights event while the worker is idle, so this is the renderer's own cost.
   */
  readonly stepping: RendererCost | null
}

/** Single steps taken in the paused phase of a long run. */
const STEPS_WHEN_PAUSED = 30
/** A run this long is paused after PAUSE_AT_STEP steps (the charts hold about 2 000 points by then). */
const PAUSE_IN_RUNS_OF = 4000
const PAUSE_AT_STEP = 2500

type Frame = { readonly at: number; readonly kind: string }

/** One run to watch: a preset at full speed to its end, or slowed to a pace and stopped after a while. */
export interface Scenario {
  readonly name: string
  readonly preset: PresetName
  /** Steps per second (the Pace control), or null for full speed. */
  readonly pace: number | null
  /** Stop the run this long after its start; null: let it finish. */
  readonly stopAfterMs: number | null
}

/** How long a paced run is watched before it is stopped. */
const PACED_RUN_MS = 8000

async function measureScenario(
  browser: Browser,
  server: StudioServer,
  scenario: Scenario
): Promise<RunResult> {
  const { preset, pace, stopAfterMs } = scenario
  const page = await browser.newPage({
    viewport: { width: 1280, height: 800 },
    colorScheme: 'light'
  })
  const problems: string[] = []
  page.on('pageerror', (error) => problems.push(error.message))
  await page.addInitScript({ content: PAGE_PROBE })
  const frames: Frame[] = []
  page.on('websocket', (socket) =>
    socket.on('framereceived', ({ payload }) =>
      frames.push({ at: performance.now(), kind: kindOf(payload) })
    )
  )
  const drained = { running: [] as Drained[], stepping: [] as Drained[] }
  const drain = async (into: Drained[]): Promise<void> =>
    void into.push(await page.evaluate<Drained>(PAGE_DRAIN))
  const status = page.getByRole('status', { name: 'Training status' })
  const stepCount = async (): Promise<number> => Number(await page.getByTestId('step').innerText())
  const button = (name: string) => page.getByRole('button', { name })
  /** Polls (draining what the page recorded) until `done`; fails after the deadline. */
  const until = async (
    what: string,
    done: () => Promise<boolean>,
    timeoutMs = 15 * 60_000,
    into = drained.running
  ): Promise<void> => {
    const deadline = performance.now() + timeoutMs
    let lastDrain = performance.now()
    while (!(await done())) {
      if (performance.now() > deadline)
        throw new Error(`${scenario.name}: ${what} did not happen within ${timeoutMs / 1000} s`)
      await page.waitForTimeout(100)
      if (performance.now() - lastDrain > 1000) {
        await drain(into)
        lastDrain = performance.now()
      }
    }
  }
  try {
    await page.goto(server.url)
    await button('Start').waitFor({ timeout: 30_000 })
    await page.getByRole('combobox', { name: 'Preset' }).selectOption(preset)
    if (pace !== null) await page.getByRole('combobox', { name: 'Pace' }).selectOption(String(pace))
    await page.waitForTimeout(300)
    await drain([]) // what page load and mounting recorded is not part of the run
    frames.length = 0

    await button('Start').click()
    const ended = async (): Promise<boolean> =>
      /Finished|Failed|Stopped/.test(await status.innerText())
    let pause: { from: number; to: number } | null = null
    if (stopAfterMs !== null) {
      const stopAt = performance.now() + stopAfterMs
      await until(
        `${stopAfterMs} ms of running`,
        async () => performance.now() >= stopAt || (await ended())
      )
      await button('Stop').click()
    } else if (pace === null && totalSteps(preset) >= PAUSE_IN_RUNS_OF) {
      await until(
        `step ${PAUSE_AT_STEP}`,
        async () => (await stepCount()) >= PAUSE_AT_STEP || (await ended())
      )
      await drain(drained.running)
      const from = performance.now()
      await button('Pause').click()
      await until('the pause', async () => (await status.innerText()).includes('Paused'))
      await page.waitForTimeout(500)
      await drain([]) // the pause's own messages
      for (let i = 0; i < STEPS_WHEN_PAUSED; i++) {
        const before = await stepCount()
        await button('Step').click()
        await until(
          'a single step',
          async () => (await stepCount()) > before,
          30_000,
          drained.stepping
        )
        await page.waitForTimeout(150) // the heatmap's redraw follows the progress event
      }
      await page.waitForTimeout(500)
      await drain(drained.stepping)
      await button('Resume').click()
      pause = { from, to: performance.now() }
    }
    await until('the end of the run', ended)
    const text = await status.innerText()
    if (!text.includes(stopAfterMs === null ? 'Finished' : 'Stopped'))
      throw new Error(`the ${scenario.name} run ended as "${text}"`)
    await page.waitForTimeout(1000) // the last snapshot's redraw
    await drain(drained.running)
    if (problems.length > 0) throw new Error(`page errors: ${problems.join('; ')}`)
    const layer = (
      await page
        .getByRole('region', { name: 'First-layer weights' })
        .locator('.panel-subtitle')
        .innerText()
    ).replace(/ · step.*/, '')
    return {
      scenario: scenario.name,
      preset,
      pace,
      layer,
      steps: await stepCount(),
      ...messageRates(scenario.name, frames, pause),
      running: rendererCost(drained.running),
      stepping: pause ? rendererCost(drained.stepping) : null
    }
  } finally {
    await page.close()
  }
}

/** Steps in a preset's run on MNIST's 60 000 training images. */
function totalSteps(preset: PresetName): number {
  const { batchCount, batchSize, epochs } = PRESETS[preset].config
  return (batchCount === 'all' ? Math.ceil(60_000 / batchSize) : batchCount) * epochs
}

function messageRates(
  name: string,
  frames: readonly Frame[],
  pause: { from: number; to: number } | null
): Pick<RunResult, 'runSeconds' | 'messages'> {
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

function rendererCost(drained: readonly Drained[]): RendererCost {
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

interface BrowserResults {
  readonly runs: readonly RunResult[]
  /** The server process (host + worker thread, as `npm run web` runs them) over all the runs. */
  readonly serverRss: {
    readonly startMb: number
    readonly peakMb: number
    readonly endMb: number
  } | null
}

async function measureBrowser(
  out: string,
  scenarios: readonly Scenario[]
): Promise<BrowserResults> {
  if (!existsSync(CHROMIUM_PATH))
    throw new Error(`${CHROMIUM_PATH} not found: apt-get update && apt-get install -y chromium`)
  const dataDir = mkdtempSync(join(tmpdir(), 'backprop-studio-bench-'))
  const server = await startStudioServer(out, dataDir)
  const browser = await launchChromium()
  const startRss = processRss(server.pid)
  let peakRss = startRss?.rssMb ?? 0
  const sampler = setInterval(
    () => (peakRss = Math.max(peakRss, processRss(server.pid)?.rssMb ?? 0)),
    250
  )
  try {
    const results: RunResult[] = []
    for (const scenario of scenarios) {
      log(`browser: ${scenario.name}…`)
      results.push(await measureScenario(browser, server, scenario))
    }
    const end = processRss(server.pid)
    const serverRss =
      startRss && end
        ? {
            startMb: round(startRss.rssMb, 0),
            peakMb: round(Math.max(peakRss, end.peakMb), 0),
            endMb: round(end.rssMb, 0)
          }
        : null
    return { runs: results, serverRss }
  } finally {
    clearInterval(sampler)
    await browser.close()
    await server.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

// ── memory, each mode in a fresh process ──

function measureMemoryInChild(
  out: string,
  mode: MemoryMode,
  epochs: number
): Promise<MemoryReport> {
  const script = join(REPO_ROOT, 'bench/worker-memory.ts')
  const args = [
    script,
    '--mode',
    mode,
    '--epochs',
    String(epochs),
    '--worker',
    join(out, 'main/train-worker.js'),
    '--json'
  ]
  // process.execArgv carries tsx's loader, so the child runs the TypeScript source as this script does.
  const child = spawn(process.execPath, [...process.execArgv, ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'inherit']
  })
  let stdout = ''
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  return new Promise((resolveReport, reject) => {
    child.once('exit', (code) => {
      const line = stdout.trim().split('\n').at(-1) ?? ''
      if (code === 0 && line.startsWith('{')) resolveReport(JSON.parse(line) as MemoryReport)
      else reject(new Error(`bench/worker-memory.ts --mode ${mode} exited with ${code}: ${stdout}`))
    })
  })
}

// ── report ──

interface AppReport {
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

function formatReport(report: AppReport): string {
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

async function main(argv: readonly string[]): Promise<void> {
  const options = parseOptions(argv)
  const loadAverageNow = (): number[] => loadavg().map((l) => round(l, 2))
  const report: { -readonly [K in keyof AppReport]: AppReport[K] } = {
    loadAverageStart: loadAverageNow(),
    loadAverage: [],
    cores: cpus().length
  }
  if (options.sections.includes('dataset')) {
    log('dataset: loadMnist and FastTrainer construction…')
    report.dataset = await measureDataset(options.presets)
  }
  if (options.sections.includes('browser'))
    report.browser = await measureBrowser(options.out, scenarios(options))
  if (options.sections.includes('memory')) {
    const memory: Partial<Record<MemoryMode, MemoryReport>> = {}
    for (const mode of ['host', 'session'] as const) {
      log(`memory: ${mode} mode, ${options.memoryEpochs} epochs…`)
      memory[mode] = await measureMemoryInChild(options.out, mode, options.memoryEpochs)
    }
    report.memory = memory
  }
  report.loadAverage = loadAverageNow()
  console.log(options.json ? JSON.stringify(report) : formatReport(report))
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error)
  process.exit(1)
})
