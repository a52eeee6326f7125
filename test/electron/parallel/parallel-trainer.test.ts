// Training across worker threads: bit-identical to the single-threaded fast engine, reproducible, and
// within float32 rounding of the reference Trainer.

import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  evaluate,
  FastTrainer,
  PRESETS,
  Trainer,
  type StepMetrics,
  type StepTrainer,
  type TrainConfig
} from '../../../core'
import { loadMnist, type DatasetPair } from '../../../electron/files/datasets'
import { BENCH_NETS } from '../../../bench/nets'
import { ParallelTrainer } from '../../../electron/parallel/parallel-trainer'
import { denseNet, SMALL_CONV_NET } from '../../helpers/architectures'

let mnist: DatasetPair
beforeAll(async () => {
  mnist = await loadMnist()
})

const open: ParallelTrainer[] = []
afterEach(async () => {
  await Promise.all(open.splice(0).map((trainer) => trainer.close()))
})
/** Helpers take part in every step unless `mode` says otherwise. */
async function parallel(
  config: TrainConfig,
  threads: number,
  mode: 'shared' | 'measure' = 'shared'
): Promise<ParallelTrainer> {
  const trainer = await ParallelTrainer.create(config, mnist.train, { threads, sharing: { mode } })
  open.push(trainer)
  return trainer
}

const seed: TrainConfig = { ...PRESETS.seed.config, batchCount: 'all' }
const mlp: TrainConfig = {
  ...seed,
  architecture: denseNet([128]),
  batchSize: 64,
  learningRate: 0.1
}
const adam: TrainConfig = {
  ...mlp,
  optimizer: { kind: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
  learningRate: 0.001
}

/** The bench's LeNet (SGD, batch 64, no augmentation), and a conv net with every layer kind on Adam. */
const lenet: TrainConfig = { ...BENCH_NETS.lenet }
const smallConv: TrainConfig = {
  ...adam,
  architecture: SMALL_CONV_NET,
  batchSize: 37 // odd: row chunks of unequal sizes
}

/** The cnn preset's shape in small: its dense layer (784 → 96, 75 k weights) is cut in two by weight rows. */
const wideDenseConv: TrainConfig = {
  ...adam,
  architecture: {
    inputShape: [1, 28, 28],
    layers: [
      { kind: 'conv', filters: 4, kernel: 5, stride: 1, padding: 'same', activation: 'relu' },
      { kind: 'maxpool', size: 2 },
      { kind: 'flatten' },
      { kind: 'dense', units: 96, activation: 'relu' },
      { kind: 'dropout', rate: 0.5 }
    ],
    outputSize: 10
  }
}

function steps(trainer: StepTrainer, count: number): StepMetrics[] {
  return Array.from({ length: count }, () => trainer.step())
}

function weights(trainer: StepTrainer): Float32Array[] {
  return trainer.model.parameters().map((p) => Float32Array.from(p.data))
}

describe('ParallelTrainer', () => {
  for (const [name, config] of [
    ['seed net', seed],
    ['MLP', mlp],
    ['MLP with Adam', adam],
    ['LeNet', lenet],
    ['a conv net with dropout, Adam and an odd batch', smallConv],
    ['a conv net whose dense layer threads share by weight rows', wideDenseConv]
  ] as const) {
    it(`${name}: 2 threads give exactly the single-threaded FastTrainer's metrics and weights`, async () => {
      const single = new FastTrainer(config, mnist.train)
      const two = await parallel(config, 2)
      expect(steps(two, 60)).toEqual(steps(single, 60))
      expect(weights(two)).toEqual(weights(single))
      expect(two.sharedFraction).toBe(1)
    })
  }

  it('measuring whether to share (switching mode between steps) changes nothing in the results', async () => {
    const measured = await parallel(mlp, 2, 'measure')
    expect(steps(measured, 150)).toEqual(steps(new FastTrainer(mlp, mnist.train), 150))
    expect(measured.sharedFraction).toBeGreaterThan(0.2) // warm-up and probes run both modes
    expect(measured.sharedFraction).toBeLessThan(0.8)
  })

  it('a conv net is reproducible across thread counts (1, 2 and 3 threads: a scratch each)', async () => {
    const runs = await Promise.all([3, 1, 2].map((threads) => parallel(smallConv, threads)))
    const metrics = runs.map((trainer) => steps(trainer, 20))
    for (const m of metrics.slice(1)) expect(m).toEqual(metrics[0])
    for (const trainer of runs.slice(1)) expect(weights(trainer)).toEqual(weights(runs[0]))
  })

  it('is reproducible across runs and thread counts (1, 2 and 3 threads)', async () => {
    const runs = await Promise.all([2, 1, 3].map((threads) => parallel(mlp, threads)))
    const metrics = [...runs, new FastTrainer(mlp, mnist.train)].map((trainer) =>
      steps(trainer, 30)
    )
    for (const m of metrics.slice(1)) expect(m).toEqual(metrics[0])
  })

  it('matches the reference Trainer to float32 rounding for the first 50 steps', async () => {
    const reference = steps(new Trainer(mlp, mnist.train), 50)
    const actual = steps(await parallel(mlp, 2), 50)
    actual.forEach((m, i) => {
      expect(m.step).toBe(reference[i].step)
      // Sums run in another order (and plain SGD adds each sample's update straight into the weights),
      // so rounding differs by a few ulps per step, and training amplifies it a little over 50 steps.
      expect(Math.abs(m.loss - reference[i].loss)).toBeLessThanOrEqual(
        1e-4 * (1 + reference[i].loss)
      )
      expect(Math.abs(m.accuracy - reference[i].accuracy)).toBeLessThanOrEqual(
        1 / mlp.batchSize + 1e-12
      )
    })
  })

  it('trains the seed net for a whole epoch to the reference accuracy (≥ 0.89, as Trainer)', async () => {
    const trainer = await parallel(seed, 2, 'measure')
    while (!trainer.done) trainer.step()
    expect(evaluate(trainer.model, mnist.test).accuracy).toBeGreaterThanOrEqual(0.89)
  })

  it('supports live learning-rate and momentum changes like the other trainers', async () => {
    const trainer = await parallel(seed, 2)
    const single = new FastTrainer(seed, mnist.train)
    for (const t of [trainer, single]) {
      steps(t, 3)
      t.setLearningRate(0.1)
      t.setMomentum(0.9)
    }
    expect(steps(trainer, 10)).toEqual(steps(single, 10))
    expect(trainer.config).toEqual(single.config)
  })

  it('refuses a nonsensical thread count', async () => {
    await expect(ParallelTrainer.create(seed, mnist.train, { threads: 0 })).rejects.toThrow(
      /threads must be 1 to 16/
    )
  })
})
