// `npm run train -- [flags]`: trains on real MNIST (or any IDX pair) headless, with progress and a summary.

import { randomBytes } from 'node:crypto'
import { rm, stat, writeFile } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import { setImmediate as yieldToEventLoop } from 'node:timers/promises'
import {
  evaluateOnEngine,
  PRESET_NAMES,
  serializeModel,
  createTrainer,
  Trainer,
  TRAINING_ENGINES,
  type Evaluation,
  type TrainingEngine
} from '../../core'
import { writeFileAtomic } from '../files/atomic-write'
import {
  createThreadedTrainer,
  defaultTrainingThreads,
  MAX_DEFAULT_THREADS,
  MAX_THREADS
} from '../parallel/threaded-trainer'
import { booleanFlag, numberFlag, parseCommandLine, stringFlag, type ParsedArgs } from './args'
import {
  CHECKPOINT_FLAGS,
  CHECKPOINT_USAGE,
  checkpointingFromFlags,
  keepCheckpoint,
  resumePointFromFlags,
  resumeTrainer,
  writeCheckpoints
} from './checkpoint-flags'
import { CONFIG_FLAGS, configFromFlags, withFlagNames } from './config-flags'
import { DATA_FLAGS, datasetsFromFlags } from './data-flags'
import { runCommand, UsageError } from './errors'
import { TrainOutput } from './train-output'

const FLAGS = {
  ...CONFIG_FLAGS,
  ...DATA_FLAGS,
  ...CHECKPOINT_FLAGS,
  engine: 'string',
  threads: 'string',
  save: 'string',
  json: 'boolean',
  help: 'boolean'
} as const
/** Yield to the event loop this often so Ctrl-C is noticed between steps. */
const YIELD_INTERVAL_MS = 50

const USAGE = `Usage: npm run train -- [flags]

Trains a network written from scratch on the real MNIST digits and prints its test accuracy.

  --preset NAME          starting point: ${PRESET_NAMES.join(', ')} (default seed: the original project)
  --lr X                 learning rate
  --lr-decay X           multiply the learning rate by X after each epoch (default 1: constant)
  --batch-size N         samples per minibatch
  --batches N|all        minibatches per epoch, or all of them
  --epochs N             passes over the batches
  --seed N               random seed (same seed, same run)
  --hidden 128,64        hidden dense layers' widths; empty ("") for none
  --layers LIST          any hidden layers, e.g. conv5x5x6,pool2,conv5x5x16valid,pool2,dense120,dense84:
                         conv{k}x{k}x{filters}[s2][same|valid] (default stride 1, same), pool{size},
                         flatten (added where needed), dropout{rate}, dense{units} or {units};
                         a suffix like dense64:tanh overrides --activation for one layer
  --layers-json X        the layers as JSON (a list of layers, or a whole architecture), or a file
  --activation NAME      relu, sigmoid or tanh (default: the preset's, relu)
  --init NAME            uniform, he or xavier
  --optimizer NAME       sgd or adam
  --momentum X           SGD momentum in [0, 1)
  --beta1 X --beta2 X --epsilon X   Adam options
  --weight-decay X       L2 penalty on weights
  --evaluate-every N     also evaluate on the test set every N batches
  --augment LIST         random changes to training images: shift=PIXELS,rotate=DEGREES,scale=FRACTION
                         (e.g. shift=2,rotate=10,scale=0.1; off for none); test images never change
  --engine NAME          fast (WebAssembly SIMD, default) or reference (the readable TypeScript Trainer)
  --threads N            threads the fast engine shares each step between, 1 to ${MAX_THREADS} (default:
                         conv nets on every core, at most ${MAX_DEFAULT_THREADS}; dense nets on 1); any count
                         gives the same run, bit for bit
  --save FILE            write the trained model (JSON model file)
${CHECKPOINT_USAGE}
  --json                 one JSON object per line: progress events, then {"event":"done",…}
  --train-images F --train-labels F --test-images F --test-labels F   other IDX files

Ctrl-C stops after the current batch, evaluates, and still saves.`

async function main(argv: string[]): Promise<void> {
  const args = parseCommandLine(argv, FLAGS, USAGE)
  if (!args) return
  const json = booleanFlag(args, 'json')
  const resume = await resumePointFromFlags(args)
  const config = configFromFlags(args, resume?.config ?? null)
  const savePath = await checkedSavePath(args)
  const checkpointing = checkpointingFromFlags(args)
  const { train, test } = await datasetsFromFlags(args)
  const engine = engineFlag(args)
  const threadsAsked = threadsFlag(args)
  const threads = threadsAsked ?? defaultTrainingThreads(config.architecture)
  // withFlagNames names the flag behind a ConfigError (the config does not fit the data).
  const threaded = await createThreadedTrainer(config, train, { engine, threads }).catch(
    (error: unknown) =>
      withFlagNames(() => {
        throw error
      })
  )
  const trainer = threaded.trainer
  // NOTE: the steps before the fork replay on one thread in a trainer built from the parent's own
  // config (the thread count never changes a result).
  if (resume)
    withFlagNames(() =>
      resumeTrainer(trainer, resume, args, config, createTrainer(resume.config, train, engine))
    )
  keepCheckpoint(checkpointing, trainer)

  const out = new TrainOutput(json, config, trainer)
  out.start(train.name, train.count, threaded.threads)
  if (resume) out.note(`forked from run ${resume.run} at step ${resume.step}`)
  if (threadsAsked && threaded.threads < threadsAsked)
    out.note(`--threads ${threadsAsked} ignored: the reference engine trains on one thread`)
  if (engine === 'fast' && trainer instanceof Trainer) {
    out.note(
      'the fast engine cannot run this net on this data (no WebAssembly, or images over 65 536 ' +
        'pixels): training on the reference engine (the readable TypeScript), many times slower; ' +
        'the progress bar shows the ETA'
    )
  }
  let stopRequested = false
  process.once('SIGINT', () => (stopRequested = true))

  let trainMilliseconds = 0
  // CPU time of every thread of this process over the loop, evaluations (one thread) excepted: set
  // against trainMilliseconds, how many cores the steps got (docs/performance.md: a 2-thread run at
  // ~100 % shared the machine with other programs).
  const loopCpu = process.cpuUsage()
  let evaluationCpuMicros = 0
  let lastYield = performance.now()
  let lastEvaluation: { step: number; evaluation: Evaluation } | null = null
  try {
    while (!trainer.done && !stopRequested) {
      const started = performance.now()
      const metrics = trainer.step()
      trainMilliseconds += performance.now() - started
      out.progress(metrics, trainMilliseconds)
      keepCheckpoint(checkpointing, trainer)
      const periodic = config.evaluateEvery > 0 && metrics.step % config.evaluateEvery === 0
      if (periodic || trainer.atEpochEnd) {
        const evaluationCpu = process.cpuUsage()
        lastEvaluation = {
          step: metrics.step,
          evaluation: evaluateOnEngine(trainer.model, test, {}, engine)
        }
        evaluationCpuMicros += cpuMicros(process.cpuUsage(evaluationCpu))
        out.evaluation(metrics, lastEvaluation.evaluation)
      }
      if (performance.now() - lastYield > YIELD_INTERVAL_MS) {
        await yieldToEventLoop()
        lastYield = performance.now()
      }
    }
  } finally {
    await threaded.close() // the helper threads end here; the model stays readable for what follows
  }
  const trainCpuSeconds = (cpuMicros(process.cpuUsage(loopCpu)) - evaluationCpuMicros) / 1e6
  if (stopRequested)
    out.note(`stopped by Ctrl-C after ${trainer.stepsCompleted} of ${trainer.totalSteps} steps`)
  if (checkpointing) {
    const path = await writeCheckpoints(checkpointing, config)
    const { store } = checkpointing
    out.note(
      `checkpoints: ${path} (${store.steps.length} states, ${(store.bytes / 2 ** 20).toFixed(1)} MB, ` +
        `every ${store.spacing} steps); fork with --resume-from ${checkpointing.id}:STEP`
    )
  }

  const final =
    lastEvaluation?.step === trainer.stepsCompleted
      ? lastEvaluation.evaluation
      : evaluateOnEngine(trainer.model, test, {}, engine)
  const trainSeconds = trainMilliseconds / 1000
  const samplesPerSec = trainer.samplesSeen / Math.max(trainSeconds, 1e-9)
  if (savePath) {
    const metrics = {
      testAccuracy: final.accuracy,
      testLoss: final.loss,
      steps: trainer.stepsCompleted,
      samplesSeen: trainer.samplesSeen,
      trainSeconds
    }
    await writeFileAtomic(
      savePath,
      serializeModel(trainer.model, {
        trainingConfig: trainer.config,
        metrics,
        createdAt: new Date().toISOString()
      })
    )
  }
  out.done(final, {
    samplesPerSec,
    steps: trainer.stepsCompleted,
    trainSeconds,
    trainCpuSeconds,
    savePath,
    stopped: stopRequested,
    threads: threaded.threads,
    sharedFraction: threaded.sharedFraction
  })
}

const cpuMicros = ({ user, system }: NodeJS.CpuUsage): number => user + system

function engineFlag(args: ParsedArgs): TrainingEngine {
  const engine = stringFlag(args, 'engine') ?? 'fast'
  if (!(TRAINING_ENGINES as readonly string[]).includes(engine)) {
    throw new UsageError(
      `--engine: unknown engine "${engine}" (known: ${TRAINING_ENGINES.join(', ')})`
    )
  }
  return engine as TrainingEngine
}

/** --threads N: a whole number of threads, 1 to MAX_THREADS; undefined when absent. */
function threadsFlag(args: ParsedArgs): number | undefined {
  const threads = numberFlag(args, 'threads')
  if (threads !== undefined && (!Number.isInteger(threads) || threads < 1 || threads > MAX_THREADS))
    throw new UsageError(`--threads: ${threads} is not a whole number from 1 to ${MAX_THREADS}`)
  return threads
}

/**
 * The absolute --save path, checked before training so that a typo never costs a finished run: its
 * folder exists and is a folder we can write in (tried, not guessed from permission bits), and the
 * path is not a folder or a device (an atomic save renames a new file over whatever is there).
 */
async function checkedSavePath(args: ParsedArgs): Promise<string | null> {
  const path = stringFlag(args, 'save')
  if (path === undefined) return null
  if (path.trim() === '') throw new UsageError('--save needs a file name')
  const absolute = resolve(path)
  const folder = dirname(absolute)
  const folderInfo = await stat(folder).catch(() => null)
  if (!folderInfo) throw new UsageError(`--save: the folder ${folder} does not exist`)
  if (!folderInfo.isDirectory()) throw new UsageError(`--save: ${folder} is not a folder`)
  const existing = await stat(absolute).catch(() => null)
  if (existing?.isDirectory())
    throw new UsageError(
      `--save: ${absolute} is a folder; name a file in it, e.g. ${join(absolute, 'model.json')}`
    )
  if (existing && !existing.isFile())
    throw new UsageError(`--save: ${absolute} is not a regular file`)
  const probe = join(folder, `.${basename(absolute)}.${randomBytes(6).toString('hex')}.tmp`)
  try {
    await writeFile(probe, '', { flag: 'wx' })
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new UsageError(
      `--save: cannot write in ${folder} (${code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (code ?? String(error))})`
    )
  }
  await rm(probe, { force: true })
  return absolute
}

runCommand(() => main(process.argv.slice(2)), { json: process.argv.includes('--json') })
