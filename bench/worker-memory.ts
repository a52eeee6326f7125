// Memory of the training side over a long run: the MLP preset for 10 epochs (an evaluation at every
// epoch's end), then the follow-up calls the Evaluate view makes, then a second run replacing the first.
// Run by `npm run bench:app` (bench/app.ts), once per mode, each in a fresh process; or alone:
//
//   npx tsx bench/worker-memory.ts --mode host|session [--epochs N] [--worker out/main/train-worker.js] [--json]
//
//   host     a StudioHost in this process with the real built worker (out/main/train-worker.js, so
//            `npm run build` first), as `npm run web` runs it: RSS is the main thread's plus the worker's
//   session  the worker's own code (loadMnist + WorkerSession) directly on this process's main thread,
//            no host and no thread: its RSS and V8 heap are the worker's share alone
//
// Sampled every 50 ms (process.memoryUsage); the peak also reads the kernel's high-water mark
// (resourceUsage().maxRSS), which catches what happens inside a long synchronous call. Numbers only.

import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { TrainConfig } from '../core'
import { PRESETS } from '../core/train/presets'
import type { TrainingEvent } from '../electron/contract'
import { loadMnist } from '../electron/files/datasets'
import { StudioHost } from '../electron/host/studio-host'
import { WorkerSession } from '../electron/worker/session'
import { formatTable } from './harness'

export type MemoryMode = 'host' | 'session'

/** RSS at one moment of the script, MB. */
export interface MemoryPhase {
  readonly phase: string
  readonly seconds: number
  readonly rssMb: number
  readonly heapUsedMb: number
  /** ArrayBuffers and WebAssembly memories of this thread (host mode: not the worker's). */
  readonly externalMb: number
}

export interface MemoryReport {
  readonly mode: MemoryMode
  readonly epochs: number
  readonly startRssMb: number
  /** Highest RSS: sampled, or the kernel's high-water mark if higher. */
  readonly peakRssMb: number
  readonly peakHeapUsedMb: number
  readonly peakExternalMb: number
  readonly endRssMb: number
  /** From the start to the dataset being loaded (host mode: the worker thread started and said 'ready'). */
  readonly readySeconds: number
  readonly runSeconds: number
  readonly samples: number
  readonly phases: readonly MemoryPhase[]
}

const REPO_ROOT = resolve(import.meta.dirname, '..')
export const BUILT_WORKER = join(REPO_ROOT, 'out/main/train-worker.js')
const MB = 1024 * 1024

/** What both modes can do: start a run and wait for its end, then answer the Evaluate view's calls. */
interface Driver {
  ready(): Promise<void>
  train(config: TrainConfig): Promise<TrainingEvent>
  evaluations(): Promise<void>
  close(): Promise<void>
}

/** Resolves with the run's `finished` or `failed` event. */
function endOfRun(
  subscribe: (listener: (event: TrainingEvent) => void) => () => void
): Promise<TrainingEvent> {
  return new Promise((resolveEnd) => {
    const unsubscribe = subscribe((event) => {
      if (event.type === 'finished' || event.type === 'failed') {
        unsubscribe()
        resolveEnd(event)
      }
    })
  })
}

/** The calls the Evaluate and Classify views make after a run (each walks the 10 000 test images or less). */
const MISTAKES = { onlyMistakes: true, order: 'confidence-desc', offset: 0, limit: 200 } as const

function hostDriver(workerPath: string): Driver {
  if (!existsSync(workerPath))
    throw new Error(`${workerPath} is missing: run \`npm run build\` first`)
  const dataDir = mkdtempSync(join(tmpdir(), 'backprop-studio-bench-'))
  let host: StudioHost | null = null
  const studio = (): StudioHost =>
    (host ??= new StudioHost({ workerPath, mode: 'browser', version: 'bench', dataDir }))
  return {
    ready: async () => void (await studio().getInfo()),
    train: async (config) => {
      const ended = endOfRun((listener) => studio().onTrainingEvent(listener))
      await studio().startTraining(config)
      return ended
    },
    evaluations: async () => {
      await studio().evaluateModel()
      await studio().queryTestImages(MISTAKES)
      await studio().exportNpz()
    },
    close: async () => {
      await host?.close()
      rmSync(dataDir, { recursive: true, force: true })
    }
  }
}

function sessionDriver(): Driver {
  let session: WorkerSession | null = null
  const listeners = new Set<(event: TrainingEvent) => void>()
  const live = (): WorkerSession => {
    if (!session) throw new Error('not ready')
    return session
  }
  return {
    ready: async () => {
      session = new WorkerSession(await loadMnist(), (event) =>
        listeners.forEach((listener) => listener(event))
      )
    },
    train: async (config) => {
      const ended = endOfRun(
        (listener) => (listeners.add(listener), () => listeners.delete(listener))
      )
      await live().startTraining(config)
      return ended
    },
    evaluations: async () => {
      live().evaluateModel()
      live().queryTestImages(MISTAKES)
      live().exportNpz()
    },
    close: async () => live().controlTraining('stop')
  }
}

/** Runs the scenario in this process and samples its memory. */
export async function measureMemory(
  mode: MemoryMode,
  epochs = 10,
  workerPath = BUILT_WORKER
): Promise<MemoryReport> {
  const began = performance.now()
  const seconds = (): number => (performance.now() - began) / 1000
  const phases: MemoryPhase[] = []
  const peak = { rss: 0, heapUsed: 0, external: 0 }
  let samples = 0
  const sample = (): NodeJS.MemoryUsage => {
    const usage = process.memoryUsage()
    peak.rss = Math.max(peak.rss, usage.rss)
    peak.heapUsed = Math.max(peak.heapUsed, usage.heapUsed)
    peak.external = Math.max(peak.external, usage.external)
    samples++
    return usage
  }
  const phase = (name: string): void => {
    const usage = sample()
    phases.push({
      phase: name,
      seconds: seconds(),
      rssMb: usage.rss / MB,
      heapUsedMb: usage.heapUsed / MB,
      externalMb: usage.external / MB
    })
  }
  const timer = setInterval(sample, 50)

  phase('start')
  const driver = mode === 'host' ? hostDriver(workerPath) : sessionDriver()
  let runSeconds = 0
  let readySeconds = 0
  try {
    await driver.ready()
    readySeconds = seconds()
    phase('dataset loaded')
    const long: TrainConfig = { ...PRESETS.mlp.config, epochs }
    const runStart = performance.now()
    const ended = await driver.train(long)
    runSeconds = (performance.now() - runStart) / 1000
    if (ended.type !== 'finished')
      throw new Error(`the long run did not finish: ${JSON.stringify(ended)}`)
    phase(`after ${epochs}-epoch run`)
    await driver.evaluations()
    phase('after evaluate, mistakes, export')
    await driver.train({ ...PRESETS.mlp.config, epochs: 1 })
    phase('after a second run')
  } finally {
    await driver.close()
    clearInterval(timer)
  }
  phase('end')
  const maxRss = process.resourceUsage().maxRSS * 1024 // kilobytes
  return {
    mode,
    epochs,
    startRssMb: phases[0].rssMb,
    peakRssMb: Math.max(peak.rss, maxRss) / MB,
    peakHeapUsedMb: peak.heapUsed / MB,
    peakExternalMb: peak.external / MB,
    endRssMb: phases[phases.length - 1].rssMb,
    readySeconds,
    runSeconds,
    samples,
    phases
  }
}

export function formatMemoryReport(report: MemoryReport): string {
  const mb = (value: number): string => value.toFixed(0)
  const title =
    report.mode === 'host'
      ? 'StudioHost + built worker thread (one process): RSS is both'
      : "The worker's session code alone (no host, no thread): its own share"
  return [
    `${title}; MLP preset, ${report.epochs} epochs in ${report.runSeconds.toFixed(1)} s`,
    formatTable(
      ['phase', 's', 'RSS MB', 'V8 heap MB', 'external MB'],
      report.phases.map((p) => [
        p.phase,
        p.seconds.toFixed(1),
        mb(p.rssMb),
        mb(p.heapUsedMb),
        mb(p.externalMb)
      ])
    ),
    `peak RSS ${mb(report.peakRssMb)} MB, peak V8 heap ${mb(report.peakHeapUsedMb)} MB, peak external ${mb(report.peakExternalMb)} MB (${report.samples} samples)`
  ].join('\n')
}

async function main(argv: readonly string[]): Promise<void> {
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag)
    return i >= 0 ? argv[i + 1] : undefined
  }
  const mode = value('--mode') ?? 'session'
  if (mode !== 'host' && mode !== 'session') throw new Error('--mode must be host or session')
  const epochs = Number(value('--epochs') ?? 10)
  if (!Number.isInteger(epochs) || epochs < 1)
    throw new Error('--epochs must be a whole number ≥ 1')
  const report = await measureMemory(mode, epochs, resolve(value('--worker') ?? BUILT_WORKER))
  console.log(argv.includes('--json') ? JSON.stringify(report) : formatMemoryReport(report))
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error)
    process.exit(1)
  })
}
