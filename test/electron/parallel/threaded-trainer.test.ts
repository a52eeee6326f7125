// The trainer the studio's worker and the CLI train on: how many threads, results that do not depend on
// it (byte for byte, and the same as the single-thread fast engine's), checkpoints across thread
// counts, and threads that end: on close, when a helper fails, and when the training thread is ended.

import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  createTrainer,
  FastTrainer,
  PRESETS,
  Trainer,
  takeFirst,
  type Dataset,
  type StepMetrics,
  type StepTrainer,
  type TrainConfig
} from '../../../core'
import type { TrainingEvent } from '../../../electron/contract'
import { loadMnist, type DatasetPair } from '../../../electron/files/datasets'
import { ParallelTrainer } from '../../../electron/parallel/parallel-trainer'
import {
  createThreadedTrainer,
  defaultTrainingThreads,
  MAX_DEFAULT_THREADS,
  threadsFromEnv,
  type ThreadedTrainer
} from '../../../electron/parallel/threaded-trainer'
import { TrainingRun } from '../../../electron/worker/training-run'
import { denseNet, SMALL_CONV_NET } from '../../helpers/architectures'
import { osThreads, threadsSettleAt } from '../support/os-threads'

const SUPPORT = join(import.meta.dirname, '..', 'support')

let mnist: DatasetPair
beforeAll(async () => {
  mnist = await loadMnist()
})

const open: ThreadedTrainer[] = []
afterEach(async () => {
  await Promise.all(open.splice(0).map((threaded) => threaded.close()))
})

async function threaded(
  config: TrainConfig,
  threads: number,
  options: { mode?: 'shared' | 'measure'; helperScript?: string; train?: Dataset } = {}
): Promise<ThreadedTrainer> {
  const { mode = 'shared', helperScript, train = mnist.train } = options
  const made = await createThreadedTrainer(config, train, {
    threads,
    helperScript,
    sharing: { mode }
  })
  open.push(made)
  return made
}

/** The lenet preset as the studio trains it (Adam, augmentation), over a few steps. */
const lenet: TrainConfig = PRESETS.lenet.config
/** A small conv net with every layer kind (SMALL_CONV_NET), plain SGD. */
const SMALL_CONV_NET_CONFIG: TrainConfig = { ...PRESETS.seed.config, architecture: SMALL_CONV_NET }

function steps(trainer: StepTrainer, count: number): StepMetrics[] {
  return Array.from({ length: count }, () => trainer.step())
}

/** Every parameter's bytes, in order: equal means equal bit for bit (toEqual on floats would let -0 = 0). */
function weightBytes(trainer: StepTrainer): Uint8Array[] {
  return trainer.model
    .parameters()
    .map((p) => new Uint8Array(p.data.buffer, p.data.byteOffset, p.data.byteLength).slice())
}

describe('defaultTrainingThreads', () => {
  it('trains conv nets on every core up to the cap, dense nets on one', () => {
    expect([1, 2, 3, 8].map((cores) => defaultTrainingThreads(SMALL_CONV_NET, cores))).toEqual([
      1,
      2,
      3,
      MAX_DEFAULT_THREADS
    ])
    expect(defaultTrainingThreads(denseNet([128]), 8)).toBe(1)
  })

  it('gives way to BACKPROP_THREADS (the studio’s setting) when it names a thread count', () => {
    const asked = (value?: string) => threadsFromEnv({ BACKPROP_THREADS: value })
    expect([asked('1'), asked(' 3 '), asked('16')]).toEqual([1, 3, 16])
    for (const ignored of [undefined, '', '0', '2.5', '17', 'two'])
      expect(asked(ignored)).toBe(undefined)
  })
})

describe('createThreadedTrainer', () => {
  it('LeNet: 1 and 2 threads and the single-thread fast engine give the same run, byte for byte', async () => {
    const one = await threaded(lenet, 1)
    const two = await threaded(lenet, 2)
    const today = createTrainer(lenet, mnist.train)
    expect(one.threads).toBe(1)
    expect(two.threads).toBe(2)
    expect(two.trainer).toBeInstanceOf(ParallelTrainer)
    expect(today).toBeInstanceOf(FastTrainer)
    const metrics = [one, two].map((t) => steps(t.trainer, 30))
    expect(metrics[0]).toEqual(steps(today, 30))
    expect(metrics[1]).toEqual(metrics[0])
    expect(weightBytes(two.trainer)).toEqual(weightBytes(today))
    expect(weightBytes(one.trainer)).toEqual(weightBytes(today))
    expect((two.trainer as ParallelTrainer).sharedFraction).toBe(1) // the helper took part in every step
  })

  it('measuring whether to share (as the studio and the CLI do) changes nothing either', async () => {
    const measured = await threaded(lenet, 2, { mode: 'measure' })
    const today = createTrainer(lenet, mnist.train)
    expect(steps(measured.trainer, 40)).toEqual(steps(today, 40))
    expect(weightBytes(measured.trainer)).toEqual(weightBytes(today))
    expect((measured.trainer as ParallelTrainer).sharedFraction).toBeGreaterThan(0) // warm-up shares
  })

  it('a checkpoint taken on 2 threads goes on on 1, and one taken on 1 on 2, to the same bytes', async () => {
    const two = (await threaded(lenet, 2)).trainer
    const one = createTrainer(lenet, mnist.train)
    steps(two, 12)
    steps(one, 12)
    const fromTwo = two.captureState()
    const fromOne = one.captureState()
    const onOne = createTrainer(lenet, mnist.train)
    onOne.restoreState(fromTwo)
    const onTwo = (await threaded(lenet, 2)).trainer
    onTwo.restoreState(fromOne)
    const expected = steps(two, 10)
    expect(steps(onOne, 10)).toEqual(expected)
    expect(steps(onTwo, 10)).toEqual(expected)
    expect(steps(one, 10)).toEqual(expected)
    for (const trainer of [onOne, onTwo, one])
      expect(weightBytes(trainer)).toEqual(weightBytes(two))
  })

  it('the reference engine, and dense nets by default, train on one thread', async () => {
    const readable = await createThreadedTrainer(lenet, takeFirst(mnist.train, 500), {
      engine: 'reference',
      threads: 2
    })
    expect(readable.threads).toBe(1)
    expect(readable.trainer).toBeInstanceOf(Trainer)
    const dense = await createThreadedTrainer(PRESETS.mlp.config, mnist.train)
    expect(dense.threads).toBe(1)
    expect(dense.trainer).toBeInstanceOf(FastTrainer)
  })
})

describe('threads that end', () => {
  const canCount = osThreads() !== null

  it.runIf(canCount)('close() ends the helper threads, and the model stays readable', async () => {
    const before = osThreads()!
    const three = await threaded(SMALL_CONV_NET_CONFIG, 3)
    // NOTE: at least: a helper run through tsx has an esbuild thread of its own too.
    expect(osThreads()).toBeGreaterThanOrEqual(before + 2)
    steps(three.trainer, 3)
    const weights = weightBytes(three.trainer)
    await three.close()
    expect(await threadsSettleAt(before)).toBe(before)
    expect(weightBytes(three.trainer)).toEqual(weights)
  })

  it('a helper that fails in a step fails the run with its message; its threads end', async () => {
    const before = osThreads()
    const made = await threaded(lenet, 2, { helperScript: join(SUPPORT, 'faulty-helper.mjs') })
    const events: TrainingEvent[] = []
    const run = new TrainingRun(made.trainer, takeFirst(mnist.test, 500), (e) => events.push(e), {
      paused: false,
      pace: null,
      autoPause: false
    })
    await run.run()
    expect(events.at(-1)).toMatchObject({
      type: 'failed',
      message: expect.stringMatching(/a training helper thread failed: injected helper fault/)
    })
    expect(made.trainer.stepsCompleted).toBeLessThan(made.trainer.totalSteps)
    await made.close()
    expect(await threadsSettleAt(before)).toBe(before)
  })

  it('a helper that cannot start: the trainer is not made, and no thread is left', async () => {
    const before = osThreads()
    await expect(
      createThreadedTrainer(lenet, mnist.train, {
        threads: 3,
        helperScript: join(SUPPORT, 'no-such-helper.js')
      })
    ).rejects.toThrow(/a training helper thread could not start/)
    expect(await threadsSettleAt(before)).toBe(before)
  })

  it.runIf(canCount)(
    'a helper stuck in a step: ending the training thread (the watchdog) ends the helper too',
    async () => {
      const before = osThreads()!
      const thread = new Worker(join(SUPPORT, 'training-thread.mjs'), {
        env: { ...process.env, FAULT: 'hang' },
        stderr: false
      })
      await new Promise((resolve, reject) => {
        thread.once('message', resolve)
        thread.once('error', reject)
      })
      expect(osThreads()).toBeGreaterThanOrEqual(before + 2) // the training thread and its helper
      await new Promise((resolve) => setTimeout(resolve, 500)) // both inside the stuck step by now
      await thread.terminate()
      expect(await threadsSettleAt(before)).toBe(before)
    }
  )
})
