// FastTrainer on layer lists (conv, pool, flatten, dropout, dense with an activation each) against
// Trainer (the reference): the same run step for step, up to float32 rounding; and bit for bit from run
// to run on the fast engine.

import { beforeAll, describe, expect, it } from 'vitest'
import {
  ConvNetwork,
  evaluate,
  evaluateFast,
  FastTrainer,
  fastEngineSupports,
  PRESETS,
  takeFirst,
  Trainer,
  type Dataset,
  type LayerSpec,
  type ModelArchitecture,
  type StepTrainer,
  type TrainConfig
} from '../../../core'
import { loadMnist, type DatasetPair } from '../../../electron/files/datasets'
import { runSteps } from '../../helpers/steps'

let mnist: DatasetPair
let train: Dataset
beforeAll(async () => {
  mnist = await loadMnist()
  train = takeFirst(mnist.train, 600)
})

const conv = (
  filters: number,
  kernel: number,
  more: Partial<Extract<LayerSpec, { kind: 'conv' }>> = {}
): LayerSpec => ({
  kind: 'conv',
  filters,
  kernel,
  stride: 1,
  padding: 'same',
  activation: 'relu',
  ...more
})
const pool: LayerSpec = { kind: 'maxpool', size: 2 }
const flatten: LayerSpec = { kind: 'flatten' }
const dense = (
  units: number,
  activation: 'relu' | 'sigmoid' | 'tanh' | 'none' = 'relu'
): LayerSpec => ({
  kind: 'dense',
  units,
  activation
})
const dropout = (rate: number): LayerSpec => ({ kind: 'dropout', rate })

const net = (...layers: LayerSpec[]): ModelArchitecture => ({
  inputShape: [1, 28, 28],
  layers,
  outputSize: 10
})

/** A small LeNet: conv 5×5×4 same, pool, conv 3×3×6 valid, pool, 24 ReLU, 10. */
const smallLenet = net(conv(4, 5), pool, conv(6, 3, { padding: 'valid' }), pool, flatten, dense(24))

const base: TrainConfig = {
  ...PRESETS.seed.config,
  architecture: smallLenet,
  batchSize: 16,
  batchCount: 'all',
  learningRate: 0.05
}

/** Largest |a − b| / (1 + |b|) over two models' parameters. */
function worstWeightDifference(a: StepTrainer, b: StepTrainer): number {
  const pb = b.model.parameters()
  let worst = 0
  a.model.parameters().forEach((p, i) => {
    expect(p.name).toBe(pb[i].name)
    for (let j = 0; j < p.data.length; j++)
      worst = Math.max(worst, Math.abs(p.data[j] - pb[i].data[j]) / (1 + Math.abs(pb[i].data[j])))
  })
  return worst
}

/**
 * The fast run follows the reference for `count` steps: every loss within 1e-4 relative (float32 sums
 * in another order, compounded over the steps), accuracies within one sample (a near-tie may flip), and
 * every parameter within 1e-4 (relative to 1 + |w|) at the end.
 */
function expectSameRun(config: TrainConfig, count = 12, data = train): void {
  expect(fastEngineSupports(config.architecture)).toBe(true)
  const fast = new FastTrainer(config, data)
  const reference = new Trainer(config, data)
  const actual = runSteps(fast, count)
  const expected = runSteps(reference, count)
  expect(actual.length).toBe(expected.length)
  actual.forEach((m, i) => {
    expect({ ...m, loss: 0, accuracy: 0 }).toEqual({ ...expected[i], loss: 0, accuracy: 0 })
    expect(Math.abs(m.loss - expected[i].loss), `step ${i + 1} loss`).toBeLessThan(
      1e-4 * (1 + expected[i].loss)
    )
    expect(Math.abs(m.accuracy - expected[i].accuracy)).toBeLessThanOrEqual(
      1 / config.batchSize + 1e-12
    )
  })
  expect(worstWeightDifference(fast, reference)).toBeLessThan(1e-4)
}

describe('FastTrainer runs layer lists as Trainer does (float32 rounding apart)', () => {
  const variants: [string, Partial<TrainConfig>][] = [
    ['a small LeNet (5×5 same, pool, 3×3 valid, pool, dense), plain SGD', {}],
    [
      'SGD with momentum and weight decay',
      { optimizer: { kind: 'sgd', momentum: 0.9 }, weightDecay: 1e-3, learningRate: 0.02 }
    ],
    [
      'Adam',
      { optimizer: { kind: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }, learningRate: 0.002 }
    ],
    [
      'stride 2 first (dense input), odd sizes (28 → 13, flatten 3·13·13 = 507 padded to 508)',
      { architecture: net(conv(3, 3, { stride: 2, padding: 'valid' }), flatten, dense(10)) }
    ],
    [
      'stride 2 same after a 7×7 sparse-incapable first layer, then pool with a dropped row',
      {
        architecture: net(
          conv(2, 7, { padding: 'valid' }),
          conv(5, 3, { stride: 2 }),
          pool,
          flatten,
          dense(12, 'tanh')
        )
      }
    ],
    [
      'sigmoid and tanh convs, a linear dense layer, Xavier init',
      {
        architecture: net(
          conv(3, 3, { activation: 'sigmoid' }),
          pool,
          conv(4, 3, { activation: 'tanh' }),
          flatten,
          dense(16, 'none'),
          dense(8, 'sigmoid')
        ),
        init: 'xavier',
        learningRate: 0.2
      }
    ],
    [
      'dropout on feature maps and on a dense layer (the same masks as the reference)',
      {
        architecture: net(
          conv(4, 5),
          pool,
          dropout(0.25),
          flatten,
          dense(32),
          dropout(0.5),
          dense(16)
        )
      }
    ],
    [
      'pooling on the raw pixels first, then dense layers',
      { architecture: net(pool, flatten, dense(20), dense(12, 'tanh')) }
    ],
    [
      "a dense net with two activations (not the dense engine's one-activation form)",
      { architecture: net(dense(20, 'tanh'), dense(12)) }
    ],
    [
      'augmented batches (shift, rotation, scale)',
      { augmentation: { shiftPixels: 2, rotationDegrees: 10, scale: 0.1 } }
    ]
  ]
  for (const [name, variant] of variants) it(name, () => expectSameRun({ ...base, ...variant }))

  it('a smaller last batch, over two epochs', () => {
    expectSameRun({ ...base, batchSize: 32, epochs: 2 }, 8, takeFirst(mnist.train, 100))
  })
})

describe('FastTrainer on conv nets: mechanics', () => {
  it('is reproducible bit for bit: the same config and seed give identical metrics and weights', () => {
    const configs: TrainConfig[] = [
      { ...base, architecture: net(conv(4, 5), pool, dropout(0.3), flatten, dense(16)) },
      {
        ...base,
        optimizer: { kind: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
        learningRate: 0.002,
        augmentation: { shiftPixels: 2, rotationDegrees: 5, scale: 0 }
      }
    ]
    for (const config of configs) {
      const a = new FastTrainer(config, train)
      const b = new FastTrainer(config, train)
      expect(runSteps(b, 10)).toEqual(runSteps(a, 10))
      expect(worstWeightDifference(a, b)).toBe(0)
    }
  })

  it('runs on a ConvNetwork, and evaluates on it as evaluate does', () => {
    const fast = new FastTrainer(base, train)
    expect(fast.network).toBeInstanceOf(ConvNetwork)
    runSteps(fast, 20)
    const test = takeFirst(mnist.test, 300)
    const expected = evaluate(fast.model, test)
    const actual = evaluateFast(fast.model, test)
    expect(Math.abs(actual.loss - expected.loss)).toBeLessThan(1e-5 * (1 + expected.loss))
    expect(Math.abs(actual.accuracy - expected.accuracy)).toBeLessThanOrEqual(1 / 300)
  })

  it('a small conv net learns on real MNIST (2 000 images, 2 epochs: test accuracy above 80 %)', () => {
    const config: TrainConfig = {
      ...base,
      architecture: net(
        conv(6, 5),
        pool,
        conv(8, 3, { padding: 'valid' }),
        pool,
        flatten,
        dense(32)
      ),
      optimizer: { kind: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
      learningRate: 0.003,
      batchSize: 32,
      epochs: 2
    }
    const fast = new FastTrainer(config, takeFirst(mnist.train, 2000))
    while (!fast.done) fast.step()
    expect(evaluateFast(fast.model, takeFirst(mnist.test, 1000)).accuracy).toBeGreaterThan(0.8)
  })
})
