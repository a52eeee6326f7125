// How many threads a run trains on, and the trainer that uses them: the one place where the studio's
// worker and the CLI (and the benchmark, through ParallelTrainer) decide it.
//
// NOTE: conv nets on every core (up to MAX_DEFAULT_THREADS), dense nets on one. Measured
// (docs/performance.md): LeNet on two threads trains at about twice its one-thread speed on an idle
// 2-core machine, while a dense net's step is too short for a helper to pay (where the trainer was
// free to choose, its helper took part in 3–4 % of the steps). ParallelTrainer still times both modes
// as it trains and shares a step only where that is faster. Either way the numbers do not change:
// every thread count gives the same run, bit for bit.

import { availableParallelism } from 'node:os'
import {
  createTrainer,
  runsOnDenseNetwork,
  trainsOnFastEngine,
  type Dataset,
  type ModelArchitecture,
  type StepTrainer,
  type TrainConfig,
  type TrainingEngine
} from '../../core'
import type { ModeChooserOptions } from './mode-chooser'
import { MAX_THREADS, ParallelTrainer } from './parallel-trainer'

export { MAX_THREADS }

/** The most threads a run takes by default (the calling one included), whatever the core count. */
export const MAX_DEFAULT_THREADS = 4

/** Threads a run of `architecture` trains on unless told otherwise (see the NOTE above). */
export function defaultTrainingThreads(
  architecture: ModelArchitecture,
  cores = availableParallelism()
): number {
  return runsOnDenseNetwork(architecture) ? 1 : Math.max(1, Math.min(cores, MAX_DEFAULT_THREADS))
}

/** The studio's setting (its worker reads it): BACKPROP_THREADS=1 npm start trains on one thread. */
export const THREADS_VARIABLE = 'BACKPROP_THREADS'

/**
 * The thread count `env` asks for (THREADS_VARIABLE), or undefined when it asks for none: absent, or
 * not a whole number from 1 to MAX_THREADS (then the defaults apply, as if it were absent).
 */
export function threadsFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const text = env[THREADS_VARIABLE]?.trim()
  const threads = text ? Number(text) : NaN
  return Number.isInteger(threads) && threads >= 1 && threads <= MAX_THREADS ? threads : undefined
}

export interface ThreadedTrainerOptions {
  /** 'fast' (default) or 'reference'; the reference Trainer always runs on one thread. */
  readonly engine?: TrainingEngine
  /** Threads in total, this one included (default: defaultTrainingThreads). */
  readonly threads?: number
  /** The built helper script, when running from a build (see ParallelTrainerOptions). */
  readonly helperScript?: string
  /** When the helpers take part (default: measured while training, mode-chooser.ts). */
  readonly sharing?: ModeChooserOptions
}

/** A run's trainer and its threads. `close()` ends the helper threads; the model stays readable. */
export interface ThreadedTrainer {
  readonly trainer: StepTrainer
  /** Threads its steps may run on (1: this one alone). */
  readonly threads: number
  /** Fraction of the steps so far that helper threads took part in (measured faster: mode-chooser.ts). */
  readonly sharedFraction: number
  close(): Promise<void>
}

/**
 * A trainer for `config` on `trainSet` on `threads` threads: ParallelTrainer when the fast engine runs
 * the net and more than one thread is asked for, else createTrainer's (FastTrainer or Trainer).
 * Rejects when a helper thread cannot start (after ending those that did).
 */
export async function createThreadedTrainer(
  config: TrainConfig,
  trainSet: Dataset,
  {
    engine = 'fast',
    threads = defaultTrainingThreads(config.architecture),
    helperScript,
    sharing
  }: ThreadedTrainerOptions = {}
): Promise<ThreadedTrainer> {
  if (threads > 1 && trainsOnFastEngine(config, trainSet, engine)) {
    const trainer = await ParallelTrainer.create(config, trainSet, {
      threads,
      helperScript,
      sharing
    })
    return {
      trainer,
      threads,
      get sharedFraction() {
        return trainer.sharedFraction
      },
      close: () => trainer.close()
    }
  }
  const trainer = createTrainer(config, trainSet, engine)
  return { trainer, threads: 1, sharedFraction: 0, close: async () => {} }
}
