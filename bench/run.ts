// `npm run bench`: one epoch over the 60 000 MNIST training images for each net of bench/nets.ts, ours
// against a PyTorch CPU reference (bench/torch_reference.py, when a python with torch is found) and our
// numpy reference (bench/numpy_reference.py), run one after the other in the same invocation.
//
//   seed      784-10-10 ReLU,  batch 32, SGD lr 0.03
//   mlp       784-128-10 ReLU, batch 64, SGD lr 0.1
//   mlp-adam  784-128-10 ReLU, batch 64, Adam lr 0.001
//   lenet     conv 5×5×6, pool, conv 5×5×16, pool, 120, 84, 10 (ReLU), batch 64, SGD lr 0.05
//
// Options: `npm run bench -- --help` (bench/run-options.ts). Ours trains each net on the threads the studio
// and the CLI give it (electron/parallel/threaded-trainer.ts: dense nets on one, conv nets on every core
// up to 4) unless --threads says otherwise: the benchmark measures what a learner's run does.
//
// Hygiene: one untimed warm-up epoch per net (JIT tier-up, page faults); repeats start from fresh
// weights with seeds 1..R (the references seed their own generators with 1..R), so the accuracy shown
// is a median over inits, not one lucky seed; ours and the references never run at the same time, and
// run net by net (ours, then the references of that net, so a changing load hits both alike);
// only the epoch loop is timed (data loading, thread start-up and test evaluation are not).
// Benchmarks report; they never fail on time.

import { availableParallelism, cpus } from 'node:os'
import { evaluateFast } from '../core'
import { UsageError } from '../electron/cli/errors'
import { loadMnist } from '../electron/files/datasets'
import {
  createThreadedTrainer,
  defaultTrainingThreads
} from '../electron/parallel/threaded-trainer'
import { formatNumber, formatTable, loadWarning, median } from './harness'
import { BENCH_NETS, describeNet, type NetName } from './nets'
import { parseBenchOptions, USAGE, type BenchOptions } from './run-options'
import {
  best,
  mergeRuns,
  runNumpy,
  runPytorch,
  whyMissing,
  type ReferenceResult,
  type ReferenceRun
} from './references'

interface Measurement {
  readonly net: NetName
  readonly samplesPerSec: number
  readonly epochSeconds: number
  readonly testAccuracy: number
  readonly threads: number
  /** Fraction of steps the helper threads took part in (the trainer measures whether sharing pays). */
  readonly sharedFraction: number
  readonly epochSecondsAll: number[]
  readonly testAccuracyAll: number[]
}

const log = (message: string): void => void process.stderr.write(`${message}\n`)
const round = (value: number, digits: number): number => Number(value.toFixed(digits))

async function measureOurs(
  net: NetName,
  options: BenchOptions,
  data: Awaited<ReturnType<typeof loadMnist>>
): Promise<Measurement> {
  const epoch = async (
    seed: number
  ): Promise<{ seconds: number; accuracy: number; shared: number; threads: number }> => {
    const config = { ...BENCH_NETS[net], seed }
    const run = await createThreadedTrainer(config, data.train, {
      threads: options.threads ?? defaultTrainingThreads(config.architecture),
      sharing: { mode: options.sharing }
    })
    const { trainer } = run
    try {
      const start = performance.now()
      while (!trainer.done) trainer.step()
      const seconds = (performance.now() - start) / 1000
      return {
        seconds,
        accuracy: evaluateFast(trainer.model, data.test).accuracy,
        shared: run.sharedFraction,
        threads: run.threads
      }
    } finally {
      await run.close()
    }
  }
  await epoch(1000) // warm-up, untimed
  const runs: { seconds: number; accuracy: number; shared: number; threads: number }[] = []
  for (let r = 0; r < options.repeats; r++) runs.push(await epoch(1 + r))
  const seconds = median(runs.map((run) => run.seconds))
  return {
    net,
    samplesPerSec: Math.round(data.train.count / seconds),
    epochSeconds: round(seconds, 4),
    testAccuracy: round(median(runs.map((run) => run.accuracy)), 4),
    threads: runs[0].threads,
    sharedFraction: round(median(runs.map((run) => run.shared)), 3),
    epochSecondsAll: runs.map((run) => round(run.seconds, 4)),
    testAccuracyAll: runs.map((run) => round(run.accuracy, 4))
  }
}

/** The references' runs: PyTorch on 1 and N threads, numpy on N and (when N > 1) 1 thread. */
interface References {
  readonly pytorch: ReferenceRun | null
  readonly numpy: ReferenceRun | null
  readonly numpySingle: ReferenceRun | null
}

function measureReferences(options: BenchOptions): References {
  const { python, nets, repeats, referenceThreads: threads } = options
  log('pytorch: …')
  const pytorch = options.pytorch ? runPytorch(python, nets, repeats, threads) : null
  if (pytorch && 'skipped' in pytorch) log(`pytorch reference skipped: ${pytorch.skipped}`)
  log('numpy: …')
  const numpy = options.numpy ? runNumpy(python, nets, repeats, threads) : null
  // OpenBLAS on a busy or virtualised machine is often faster on one thread than on two: measure that
  // too, so the comparison is against numpy's best, not only its same-thread-count run.
  const numpySingle =
    numpy && threads > 1 && 'results' in numpy ? runNumpy(python, nets, repeats, 1) : null
  return { pytorch, numpy, numpySingle }
}

/** Each net's reference runs (made right after ours of that net) as the runs of all nets. */
function mergeReferences(perNet: readonly { net: NetName; refs: References }[]): References {
  const merged = (pick: (refs: References) => ReferenceRun | null): ReferenceRun | null => {
    const runs = perNet.flatMap(({ net, refs }) => {
      const run = pick(refs)
      return run ? [{ net, run }] : []
    })
    return runs.length > 0 ? mergeRuns(runs) : null
  }
  return {
    pytorch: merged((refs) => refs.pytorch),
    numpy: merged((refs) => refs.numpy),
    numpySingle: merged((refs) => refs.numpySingle)
  }
}

/** One reference's part of a net's JSON row: its best result and our ratio to it, or why there is none. */
function comparison(
  ours: Measurement,
  reference: ReferenceResult | null,
  why: string | null
): Record<string, unknown> {
  if (!reference) return { skipped: why ?? 'not run' }
  const { samplesPerSec, epochSeconds, testAccuracy, threads, version } = reference
  return {
    samplesPerSec,
    epochSeconds,
    testAccuracy,
    threads,
    version,
    oursOver: round(ours.samplesPerSec / samplesPerSec, 3),
    accuracyDifference: round(ours.testAccuracy - testAccuracy, 4)
  }
}

function printJson(ours: readonly Measurement[], refs: References): void {
  for (const m of ours) {
    const { net, samplesPerSec, epochSeconds, testAccuracy, threads, sharedFraction } = m
    const pytorch = best(net, refs.pytorch)
    const numpy = best(net, refs.numpy, refs.numpySingle)
    console.log(
      JSON.stringify({
        net,
        ours: { samplesPerSec, epochSeconds, testAccuracy, threads, sharedFraction },
        pytorch: comparison(m, pytorch, whyMissing(net, refs.pytorch)),
        numpy: comparison(m, numpy, whyMissing(net, refs.numpy))
      })
    )
  }
}

function printTable(ours: readonly Measurement[], refs: References, options: BenchOptions): void {
  const cells = (m: Measurement, r: ReferenceResult | null): string[] =>
    r
      ? [
          `${formatNumber(r.samplesPerSec)} (${r.threads})`,
          (100 * r.testAccuracy).toFixed(2) + '%',
          `${(m.samplesPerSec / r.samplesPerSec).toFixed(2)}×`
        ]
      : ['—', '—', '—']
  const rows = ours.map((m) => [
    describeNet(m.net),
    `${formatNumber(m.samplesPerSec)} (${m.threads})`,
    m.epochSeconds.toFixed(3),
    (100 * m.testAccuracy).toFixed(2) + '%',
    ...cells(m, best(m.net, refs.pytorch)),
    ...cells(m, best(m.net, refs.numpy, refs.numpySingle))
  ])
  const header = ['net', 'ours samples/s (threads)', 'ours s', 'ours acc']
  for (const name of ['PyTorch', 'numpy'])
    header.push(`${name} samples/s (threads)`, `${name} acc`, `ours / ${name}`)
  console.log(
    `\nOne epoch on MNIST (60 000 images), ours on ${describeThreads(options)}; each reference at ` +
      `its better thread count; median of ${options.repeats}`
  )
  console.log(formatTable(header, rows))
  const threaded = ours.filter((m) => m.threads > 1)
  if (threaded.length > 0) {
    const shares = threaded.map((m) => `${m.net} ${Math.round(100 * m.sharedFraction)}%`).join(', ')
    console.log(
      `our helper threads took part in: ${shares} of steps (--sharing ${options.sharing}` +
        (options.sharing === 'measure' ? ': timed while training, used only where faster)' : ')')
    )
  }
  for (const [name, run] of [
    ['PyTorch', refs.pytorch],
    ['numpy', refs.numpy]
  ] as const) {
    if (run && 'skipped' in run) console.log(`${name} reference: ${run.skipped}`)
    for (const m of ours) {
      const why = whyMissing(m.net, run)
      if (run && 'results' in run && why) console.log(`${name}, ${m.net}: ${why}`)
    }
  }
  const versions = [best(ours[0].net, refs.pytorch), best(ours[0].net, refs.numpy)]
    .filter((r): r is ReferenceResult => r !== null)
    .map((r) => `${r.impl} ${r.version}`)
  console.log(`${[...versions, options.python].join(', ')}`)
}

/** "2 threads", or what the studio and the CLI give each net. */
function describeThreads(options: BenchOptions): string {
  return options.threads === null
    ? "each net's default thread count (as the studio and the CLI train it)"
    : `${options.threads} thread(s)`
}

async function main(): Promise<void> {
  const options = parseBenchOptions(process.argv.slice(2))
  if (!options) {
    console.log(USAGE)
    return
  }
  const machine = `${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${availableParallelism()} cores, Node ${process.version}`
  log(`machine: ${machine}`)
  log(
    `ours on ${describeThreads(options)} (sharing: ${options.sharing}); ${options.repeats} timed epochs each, median`
  )
  const before = loadWarning()
  if (before) log(before)

  const data = await loadMnist()
  // Net by net: ours, then the references of that net, so that a load that changes over the minutes of
  // a run hits both sides of a comparison alike (they never run at the same time).
  const ours: Measurement[] = []
  const perNet: { net: NetName; refs: References }[] = []
  for (const net of options.nets) {
    log(`ours:  ${net} …`)
    ours.push(await measureOurs(net, options, data))
    perNet.push({ net, refs: measureReferences({ ...options, nets: [net] }) })
  }
  const refs = mergeReferences(perNet)
  const after = loadWarning()
  if (after) log(after)

  if (options.json) printJson(ours, refs)
  else {
    printTable(ours, refs, options)
    console.log(machine)
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  process.exitCode = error instanceof UsageError ? 2 : 1 // 2: what was typed, as the CLI's commands
})
