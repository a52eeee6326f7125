// The reference implementations `npm run bench` compares ours with: bench/numpy_reference.py (numpy +
// OpenBLAS, vectorised by hand) and bench/torch_reference.py (PyTorch CPU, written as a learner would).
// Each runs in its own python process after ours, never at the same time, and prints one JSON line per
// net (and thread count).

import { spawnSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { mnistDataDir } from '../electron/files/datasets'
import type { NetName } from './nets'

export type ReferenceName = 'numpy' | 'pytorch'

/** One reference's epoch on one net at one thread count (medians over the repeats). */
export interface ReferenceResult {
  readonly impl: ReferenceName
  readonly net: NetName
  readonly threads: number
  readonly samplesPerSec: number
  readonly epochSeconds: number
  readonly testAccuracy: number
  readonly epochSecondsAll: readonly number[]
  readonly testAccuracyAll: readonly number[]
  /** The library's version (numpy's or torch's). */
  readonly version: string
}

/** What a reference run gives: results (nets it cannot train say why), or why it did not run at all. */
export type ReferenceRun =
  | { readonly results: readonly ReferenceResult[]; readonly skippedNets: Map<string, string> }
  | { readonly skipped: string }

const here = dirname(fileURLToPath(import.meta.url))

/**
 * The python to run the references with: `--python PATH`, else $BENCH_PYTHON, else python3. (A python
 * with torch is often a virtual environment's: `python3 -m venv .venv && .venv/bin/pip install torch`.)
 */
export function choosePython(flag: string | undefined): string {
  return flag ?? process.env.BENCH_PYTHON ?? 'python3'
}

/** Why `python` cannot import `module`, or null when it can. */
export function missingModule(python: string, module: string): string | null {
  const probe = spawnSync(python, ['-c', `import ${module}`], { encoding: 'utf8' })
  if (probe.error) return `${python} was not found`
  return probe.status === 0 ? null : `${python} has no ${module}`
}

/**
 * The environment of a reference run on `threads` threads. NOTE: OPENBLAS_CORETYPE and
 * OPENBLAS_L2_SIZE are set on our machines and slow OpenBLAS down: unset here, for the benchmark only.
 */
function referenceEnv(threads: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    OPENBLAS_NUM_THREADS: String(threads),
    OMP_NUM_THREADS: String(threads),
    MKL_NUM_THREADS: String(threads)
  }
  delete env.OPENBLAS_CORETYPE
  delete env.OPENBLAS_L2_SIZE
  return env
}

/** Runs a reference script and reads its JSON lines. */
function runScript(
  python: string,
  script: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv
): ReferenceRun {
  const run = spawnSync(python, [join(here, script), mnistDataDir(), ...args], {
    env,
    encoding: 'utf8',
    maxBuffer: 1 << 20
  })
  if (run.status !== 0) {
    const last = run.stderr.trim().split('\n').at(-1)
    return { skipped: `${script} failed: ${last ?? `exit ${run.status}`}` }
  }
  const lines = run.stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
  const skippedNets = new Map<string, string>()
  const results: ReferenceResult[] = []
  for (const line of lines) {
    if (typeof line.skipped === 'string') {
      const net = String(line.net)
      skippedNets.set(line.threads ? `${net}@${String(line.threads)}` : net, line.skipped)
      continue
    }
    results.push({
      ...(line as unknown as ReferenceResult),
      threads: Number(line.threads),
      version: String(line.numpy ?? line.torch)
    })
  }
  return { results, skippedNets }
}

/** numpy on `threads` OpenBLAS threads. */
export function runNumpy(
  python: string,
  nets: readonly NetName[],
  repeats: number,
  threads: number
): ReferenceRun {
  const missing = missingModule(python, 'numpy')
  if (missing) return { skipped: `${missing} (pip install numpy)` }
  const args = ['--nets', nets.join(','), '--repeats', String(repeats)]
  return runScript(python, 'numpy_reference.py', args, referenceEnv(threads))
}

/** PyTorch on 1 thread and on `threads` (it reports both; the better one is the comparison). */
export function runPytorch(
  python: string,
  nets: readonly NetName[],
  repeats: number,
  threads: number
): ReferenceRun {
  const missing = missingModule(python, 'torch')
  if (missing)
    return {
      skipped:
        `${missing}: install it (pip install torch, e.g. in a venv) and pass --python PATH ` +
        'or set BENCH_PYTHON to that python'
    }
  const threadCounts = [...new Set([1, threads])].join(',')
  const args = ['--nets', nets.join(','), '--repeats', String(repeats), '--threads', threadCounts]
  return runScript(python, 'torch_reference.py', args, referenceEnv(threads))
}

/**
 * Several runs of one reference (e.g. one per net) as one: their results together, and each net a
 * run skipped as a whole could not train marked skipped with its reason (`net` says which net a run was for).
 */
export function mergeRuns(
  runs: readonly { readonly net: NetName; readonly run: ReferenceRun }[]
): ReferenceRun {
  const ran = runs.filter((r) => 'results' in r.run)
  if (ran.length === 0 && runs.length > 0) return runs[0].run
  const results: ReferenceResult[] = []
  const skippedNets = new Map<string, string>()
  for (const { net, run } of runs) {
    if ('skipped' in run) skippedNets.set(net, run.skipped)
    else {
      results.push(...run.results)
      for (const [key, why] of run.skippedNets) skippedNets.set(key, why)
    }
  }
  return { results, skippedNets }
}

/** The fastest result for `net` among some runs (null when none has one). */
export function best(net: NetName, ...runs: (ReferenceRun | null)[]): ReferenceResult | null {
  const results = runs.flatMap((run) => (run && 'results' in run ? run.results : []))
  return (
    results.filter((r) => r.net === net).sort((a, b) => b.samplesPerSec - a.samplesPerSec)[0] ??
    null
  )
}

/** Why a reference has no result for `net`: the whole run was skipped, or the net was. */
export function whyMissing(net: NetName, run: ReferenceRun | null): string | null {
  if (!run) return null
  if ('skipped' in run) return run.skipped
  return (
    run.skippedNets.get(net) ??
    [...run.skippedNets].find(([k]) => k.startsWith(`${net}@`))?.[1] ??
    null
  )
}
