// `npm run bench`: one epoch of SGD over the 60 000 MNIST training images for two nets, ours against
// our numpy reference (bench/numpy_reference.py), run back to back in the same invocation.
//
//   seed  784-10-10 ReLU,  batch 32, lr 0.03
//   mlp   784-128-10 ReLU, batch 64, lr 0.1
//
// Options:
//   --json           one JSON line per net on stdout: {"net","samplesPerSec","epochSeconds","testAccuracy"},
//                    then extra lines marked "impl" (numpy's results, the ratios); progress goes to stderr
//   --threads N      threads for our engine AND for OpenBLAS (default: all cores); with N > 1 numpy also
//                    runs on 1 thread, and the ratio to numpy's better run is reported as well
//   --repeats R      timed epochs per net and implementation, median reported (default 5)
//   --nets a,b       which nets (default seed,mlp)
//   --no-numpy       skip the numpy reference
//
// Hygiene: one untimed warm-up epoch per net (JIT tier-up, page faults); repeats start from fresh
// weights with seeds 1..R (numpy seeds its own generator with 1..R), so the accuracy shown is
// a median over inits, not one lucky seed; ours and numpy never run at the same time; OpenBLAS is
// pinned to our thread count; only the epoch loop is timed (data loading, thread start-up and test
// evaluation are not). Benchmarks report; they never fail on time.

import { spawnSync } from 'node:child_process'
import { availableParallelism, cpus } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { architectureSlug, evaluate, type TrainConfig } from '../core'
import { loadMnist, mnistDataDir } from '../electron/files/datasets'
import { ParallelTrainer } from '../electron/parallel/parallel-trainer'
import { formatNumber, formatTable, loadWarning, median } from './harness'
import { BENCH_NETS } from './nets'

type NetName = keyof typeof BENCH_NETS

/** The line `--json` prints per net: exactly these four fields. */
interface NetResult {
  readonly net: NetName
  readonly samplesPerSec: number
  readonly epochSeconds: number
  readonly testAccuracy: number
}

interface Measurement extends NetResult {
  readonly threads: number
  /** Fraction of steps the helper threads took part in (the trainer measures whether sharing pays). */
  readonly sharedFraction: number
  readonly epochSecondsAll: number[]
  readonly testAccuracyAll: number[]
}

interface Options {
  readonly json: boolean
  readonly threads: number
  readonly repeats: number
  readonly nets: NetName[]
  readonly numpy: boolean
}

function parseOptions(argv: readonly string[]): Options {
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag)
    return i >= 0 ? argv[i + 1] : undefined
  }
  const nets = (value('--nets') ?? 'seed,mlp').split(',') as NetName[]
  for (const net of nets)
    if (!(net in BENCH_NETS)) throw new Error(`--nets: unknown net "${net}" (seed, mlp)`)
  const threads = Number(value('--threads') ?? availableParallelism())
  const repeats = Number(value('--repeats') ?? 5)
  if (!Number.isInteger(threads) || threads < 1 || threads > 16)
    throw new Error('--threads must be 1 to 16')
  if (!Number.isInteger(repeats) || repeats < 1)
    throw new Error('--repeats must be a whole number ≥ 1')
  return {
    json: argv.includes('--json'),
    threads,
    repeats,
    nets,
    numpy: !argv.includes('--no-numpy')
  }
}

const log = (message: string): void => void process.stderr.write(`${message}\n`)
const round = (value: number, digits: number): number => Number(value.toFixed(digits))

async function measureOurs(
  net: NetName,
  options: Options,
  data: Awaited<ReturnType<typeof loadMnist>>
): Promise<Measurement> {
  const base: TrainConfig = BENCH_NETS[net]
  const epoch = async (
    seed: number
  ): Promise<{ seconds: number; accuracy: number; shared: number }> => {
    const trainer = await ParallelTrainer.create({ ...base, seed }, data.train, {
      threads: options.threads
    })
    try {
      const start = performance.now()
      while (!trainer.done) trainer.step()
      const seconds = (performance.now() - start) / 1000
      return {
        seconds,
        accuracy: evaluate(trainer.model, data.test).accuracy,
        shared: trainer.sharedFraction
      }
    } finally {
      await trainer.close()
    }
  }
  await epoch(1000) // warm-up, untimed
  const runs: { seconds: number; accuracy: number; shared: number }[] = []
  for (let r = 0; r < options.repeats; r++) runs.push(await epoch(1 + r))
  const seconds = median(runs.map((run) => run.seconds))
  return {
    net,
    samplesPerSec: Math.round(data.train.count / seconds),
    epochSeconds: round(seconds, 4),
    testAccuracy: round(median(runs.map((run) => run.accuracy)), 4),
    threads: options.threads,
    sharedFraction: round(median(runs.map((run) => run.shared)), 3),
    epochSecondsAll: runs.map((run) => round(run.seconds, 4)),
    testAccuracyAll: runs.map((run) => round(run.accuracy, 4))
  }
}

interface NumpyResult {
  readonly impl: 'numpy'
  readonly net: NetName
  readonly samplesPerSec: number
  readonly epochSeconds: number
  readonly testAccuracy: number
  readonly threads: string
  readonly numpy: string
}

/** Runs bench/numpy_reference.py with OpenBLAS pinned to `threadCount` threads, or says why it cannot. */
function measureNumpy(
  options: Options,
  threadCount: number
): { results: NumpyResult[] } | { skipped: string } {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'numpy_reference.py')
  const threads = String(threadCount)
  const env = {
    ...process.env,
    OPENBLAS_NUM_THREADS: threads,
    OMP_NUM_THREADS: threads,
    MKL_NUM_THREADS: threads
  }
  const probe = spawnSync('python3', ['-c', 'import numpy'], { env, encoding: 'utf8' })
  if (probe.error) return { skipped: 'python3 was not found' }
  if (probe.status !== 0) return { skipped: 'python3 has no numpy (pip install numpy)' }
  const run = spawnSync(
    'python3',
    [
      script,
      mnistDataDir(),
      '--nets',
      options.nets.join(','),
      '--repeats',
      String(options.repeats)
    ],
    {
      env,
      encoding: 'utf8',
      maxBuffer: 1 << 20
    }
  )
  if (run.status !== 0)
    return {
      skipped: `the numpy reference failed: ${run.stderr.trim().split('\n').at(-1) ?? `exit ${run.status}`}`
    }
  return {
    results: run.stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as NumpyResult)
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2))
  const machine = `${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${availableParallelism()} cores, Node ${process.version}`
  log(`machine: ${machine}`)
  log(
    `threads: ${options.threads} (ours) and OPENBLAS_NUM_THREADS=${options.threads} (numpy); ${options.repeats} timed epochs each, median`
  )
  const before = loadWarning()
  if (before) log(before)

  const data = await loadMnist()
  const ours: Measurement[] = []
  for (const net of options.nets) {
    log(`ours:  ${net} …`)
    ours.push(await measureOurs(net, options, data))
  }
  log('numpy: …')
  const numpy = options.numpy
    ? measureNumpy(options, options.threads)
    : { skipped: 'skipped (--no-numpy)' }
  // OpenBLAS on a busy or virtualised machine is often faster on one thread than on two: measure that
  // too, so the comparison is also against numpy's best, not only its same-thread-count run.
  const numpySingle =
    options.numpy && options.threads > 1 && 'results' in numpy ? measureNumpy(options, 1) : null
  const after = loadWarning()
  if (after) log(after)

  const numpyFor = (net: NetName): NumpyResult | undefined =>
    'results' in numpy ? numpy.results.find((r) => r.net === net) : undefined
  const numpySingleFor = (net: NetName): NumpyResult | undefined =>
    numpySingle && 'results' in numpySingle
      ? numpySingle.results.find((r) => r.net === net)
      : undefined
  const bestNumpy = (net: NetName): NumpyResult | undefined =>
    [numpyFor(net), numpySingleFor(net)]
      .filter((r): r is NumpyResult => r !== undefined)
      .sort((a, b) => b.samplesPerSec - a.samplesPerSec)[0]
  if (options.json) {
    for (const m of ours) {
      const line: NetResult = {
        net: m.net,
        samplesPerSec: m.samplesPerSec,
        epochSeconds: m.epochSeconds,
        testAccuracy: m.testAccuracy
      }
      console.log(JSON.stringify(line))
    }
    for (const m of ours) {
      const { net, threads, sharedFraction, epochSecondsAll, testAccuracyAll } = m
      console.log(
        JSON.stringify({
          impl: 'ours',
          net,
          threads,
          sharedFraction,
          epochSecondsAll,
          testAccuracyAll
        })
      )
      const reference = numpyFor(m.net)
      if (!reference) continue
      console.log(JSON.stringify(reference))
      const single = numpySingleFor(m.net)
      if (single) console.log(JSON.stringify(single))
      const best = bestNumpy(m.net) ?? reference
      console.log(
        JSON.stringify({
          impl: 'ratio',
          net: m.net,
          threads: options.threads,
          oursOverNumpy: round(m.samplesPerSec / reference.samplesPerSec, 3),
          oursOverBestNumpy: round(m.samplesPerSec / best.samplesPerSec, 3),
          accuracyDifference: round(m.testAccuracy - reference.testAccuracy, 4)
        })
      )
    }
    if ('skipped' in numpy) console.log(JSON.stringify({ impl: 'numpy', skipped: numpy.skipped }))
    return
  }

  const rows = ours.map((m) => {
    const reference = numpyFor(m.net)
    const config = BENCH_NETS[m.net]
    const name = `${m.net} ${architectureSlug(config.architecture)}, batch ${config.batchSize}`
    return [
      name,
      formatNumber(m.samplesPerSec),
      m.epochSeconds.toFixed(3),
      (100 * m.testAccuracy).toFixed(2) + '%',
      reference ? formatNumber(reference.samplesPerSec) : '—',
      reference ? reference.epochSeconds.toFixed(3) : '—',
      reference ? (100 * reference.testAccuracy).toFixed(2) + '%' : '—',
      reference ? `${(m.samplesPerSec / reference.samplesPerSec).toFixed(2)}×` : '—'
    ]
  })
  console.log(
    `\nOne epoch of SGD on MNIST (60 000 images), ${options.threads} thread(s), median of ${options.repeats}`
  )
  console.log(
    formatTable(
      [
        'net',
        'ours samples/s',
        'ours s',
        'ours acc',
        'numpy samples/s',
        'numpy s',
        'numpy acc',
        'ours / numpy'
      ],
      rows
    )
  )
  if (options.threads > 1) {
    const shares = ours.map((m) => `${m.net} ${Math.round(100 * m.sharedFraction)}%`).join(', ')
    console.log(
      `helper threads took part in: ${shares} of steps (measured while training: sharing is used only where it is faster)`
    )
  }
  if ('skipped' in numpy) console.log(`numpy reference: ${numpy.skipped}`)
  else {
    console.log(
      `numpy ${numpy.results[0]?.numpy ?? '?'}, OPENBLAS_NUM_THREADS=${options.threads}; ${machine}`
    )
    for (const m of ours) {
      const single = numpySingleFor(m.net)
      const best = bestNumpy(m.net)
      if (!single || !best) continue
      console.log(
        `${m.net}: numpy on 1 thread ${formatNumber(single.samplesPerSec)} samples/s; ours / numpy's best = ` +
          `${(m.samplesPerSec / best.samplesPerSec).toFixed(2)}×`
      )
    }
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  process.exitCode = 1
})
