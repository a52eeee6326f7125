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
  type Drained,
  type Frame,
  kindOf,
  messageRates,
  PAGE_DRAIN,
  PAGE_PROBE,
  rendererCost
} from './app-page'
import {
  type AppReport,
  type BrowserResults,
  type DatasetTimes,
  formatReport,
  PAUSE_AT_STEP,
  PAUSE_IN_RUNS_OF,
  type RunResult,
  STEPS_WHEN_PAUSED
} from './app-report'
import { median, round } from './harness'
import { processRss, REPO_ROOT, startStudioServer, type StudioServer } from './studio-server'
import type { MemoryMode, MemoryReport } from './worker-memory'

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

// ── dataset ──

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

// ── the browser: each scenario in a fresh page, against one studio server ──
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
