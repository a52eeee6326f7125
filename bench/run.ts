// `npm run bench`: one epoch over the 60 000 MNIST training images for each net of bench/nets.ts, ours
// against a PyTorch CPU reference (bench/torch_reference.py, when a python with torch is found) and our
// numpy reference (bench/numpy_reference.py), run one after the other in the same invocation.
//
//   seed      784-10-10 ReLU,  batch 32, SGD lr 0.03
//   mlp       784-128-10 ReLU, batch 64, SGD lr 0.1
//   mlp-adam  784-128-10 ReLU, batch 64, Adam lr 0.001
//   lenet     conv 5×5×6, pool, conv 5×5×16, pool, 120, 84, 10 (ReLU), batch 64, SGD lr 0.05
//
// Options:
//   --json           one JSON line per net on stdout: ours, PyTorch's best, numpy's best and the ratios
//                    (a reference that did not run says why); progress goes to stderr
//   --threads N      threads for our engine (electron/parallel/: helper threads share each step),
//                    for OpenBLAS, and PyTorch's second run (default: all cores); PyTorch and numpy
//                    also run on 1 thread, the better counts
//   --sharing MODE   when our helper threads take part: measure (default: timed while training, used
//                    where faster), shared (every step) or alone (never: one thread, a bigger memory)
//   --repeats R      timed epochs per net and implementation, median reported (default 5)
//   --nets a,b       which nets (default: all of bench/nets.ts)
//   --python PATH    the python for the references (default: $BENCH_PYTHON, else python3); PyTorch
//                    needs `pip install torch` there, numpy `pip install numpy`
//   --no-numpy, --no-pytorch   skip a reference
//
// Hygiene: one untimed warm-up epoch per net (JIT tier-up, page faults); repeats start from fresh
// weights with seeds 1..R (the references seed their own generators with 1..R), so the accuracy shown
// is a median over inits, not one lucky seed; ours and the references never run at the same time;
// only the epoch loop is timed (data loading, thread start-up and test evaluation are not).
// Benchmarks report; they never fail on time.

import { availableParallelism, cpus } from 'node:os'
import { evaluateFast } from '../core'
import { loadMnist } from '../electron/files/datasets'
import { formatNumber, formatTable, loadWarning, median } from './harness'
import { BENCH_NETS, describeNet, type NetName } from './nets'
import { ParallelTrainer } from '../electron/parallel/parallel-trainer'
import {
  best,
  choosePython,
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

interface Options {
  readonly json: boolean
  readonly threads: number
  readonly sharing: SharingMode
  readonly repeats: number
  readonly nets: NetName[]
  readonly python: string
  readonly numpy: boolean
  readonly pytorch: boolean
}

function parseOptions(argv: readonly string[]): Options {
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag)
    return i >= 0 ? argv[i + 1] : undefined
  }
  const known = Object.keys(BENCH_NETS)
  const nets = (value('--nets') ?? known.join(',')).split(',') as NetName[]
  for (const net of nets)
    if (!known.includes(net)) throw new Error(`--nets: unknown net "${net}" (${known.join(', ')})`)
  const threads = Number(value('--threads') ?? availableParallelism())
  const repeats = Number(value('--repeats') ?? 5)
  if (!Number.isInteger(threads) || threads < 1 || threads > 16)
    throw new Error('--threads must be 1 to 16')
  const sharing = (value('--sharing') ?? 'measure') as SharingMode
  if (!SHARING_MODES.includes(sharing))
    throw new Error(`--sharing must be one of ${SHARING_MODES.join(', ')}`)
  if (!Number.isInteger(repeats) || repeats < 1)
    throw new Error('--repeats must be a whole number ≥ 1')
  return {
    json: argv.includes('--json'),
    threads,
    sharing,
    repeats,
    nets,
    python: choosePython(value('--python')),
    numpy: !argv.includes('--no-numpy'),
    pytorch: !argv.includes('--no-pytorch')
  }
}

const SHARING_MODES = ['measure', 'shared', 'alone'] as const
type SharingMode = (typeof SHARING_MODES)[number]

const log = (message: string): void => void process.stderr.write(`${message}\n`)
const round = (value: number, digits: number): number => Number(value.toFixed(digits))

async function measureOurs(
  net: NetName,
  options: Options,
  data: Awaited<ReturnType<typeof loadMnist>>
): Promise<Measurement> {
  const epoch = async (
    seed: number
  ): Promise<{ seconds: number; accuracy: number; shared: number; threads: number }> => {
    const trainer = await ParallelTrainer.create({ ...BENCH_NETS[net], seed }, data.train, {
      threads: options.threads,
      sharing: { mode: options.sharing }
    })
    try {
      const start = performance.now()
      while (!trainer.done) trainer.step()
      const seconds = (performance.now() - start) / 1000
      return {
        seconds,
        accuracy: evaluateFast(trainer.model, data.test).accuracy,
        shared: trainer.sharedFraction,
        threads: trainer.threads
      }
    } finally {
      await trainer.close()
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

function measureReferences(options: Options): References {
  const { python, nets, repeats, threads } = options
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

function printTable(ours: readonly Measurement[], refs: References, options: Options): void {
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
    formatNumber(m.samplesPerSec),
    m.epochSeconds.toFixed(3),
    (100 * m.testAccuracy).toFixed(2) + '%',
    ...cells(m, best(m.net, refs.pytorch)),
    ...cells(m, best(m.net, refs.numpy, refs.numpySingle))
  ])
  const header = ['net', 'ours samples/s', 'ours s', 'ours acc']
  for (const name of ['PyTorch', 'numpy'])
    header.push(`${name} samples/s (threads)`, `${name} acc`, `ours / ${name}`)
  console.log(
    `\nOne epoch on MNIST (60 000 images), ours on ${options.threads} thread(s); each reference at ` +
      `its better thread count; median of ${options.repeats}`
  )
  console.log(formatTable(header, rows))
  if (options.threads > 1) {
    const shares = ours.map((m) => `${m.net} ${Math.round(100 * m.sharedFraction)}%`).join(', ')
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

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2))
  const machine = `${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${availableParallelism()} cores, Node ${process.version}`
  log(`machine: ${machine}`)
  log(
    `threads: ${options.threads} (ours, sharing: ${options.sharing}); ${options.repeats} timed epochs each, median`
  )
  const before = loadWarning()
  if (before) log(before)

  const data = await loadMnist()
  const ours: Measurement[] = []
  for (const net of options.nets) {
    log(`ours:  ${net} …`)
    ours.push(await measureOurs(net, options, data))
  }
  const refs = measureReferences(options)
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
  process.exitCode = 1
})
