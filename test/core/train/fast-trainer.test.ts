// FastTrainer (the WebAssembly SIMD engine) against Trainer (the reference): same run, step for step,
// up to float32 rounding; and reproducible bit for bit.

import { describe, expect, it } from 'vitest'
import {
  datasetFromIdx,
  encodeIdx,
  evaluate,
  FastTrainer,
  PRESETS,
  takeFirst,
  Trainer,
  TrainingDivergedError,
  type Dataset,
  type StepMetrics,
  type StepTrainer,
  type TrainConfig
} from '../../../core'
import { denseNet } from '../../helpers/architectures'
import { useMnist } from '../../helpers/mnist'
import { runSteps } from '../../helpers/steps'

const mnist = useMnist()

const seed = PRESETS.seed.config
const mlp: TrainConfig = {
  ...seed,
  architecture: denseNet([128]),
  batchSize: 64,
  learningRate: 0.1,
  batchCount: 'all'
}

/** Largest |a − b| / (1 + |b|) over two parameter lists. */
function worstWeightDifference(a: StepTrainer, b: StepTrainer): number {
  const pa = a.model.parameters()
  const pb = b.model.parameters()
  let worst = 0
  pa.forEach((p, i) => {
    expect(p.name).toBe(pb[i].name)
    for (let j = 0; j < p.data.length; j++)
      worst = Math.max(worst, Math.abs(p.data[j] - pb[i].data[j]) / (1 + Math.abs(pb[i].data[j])))
  })
  return worst
}

/** The fast run follows the reference: same losses (to float rounding), same accuracies, same weights. */
function expectSameRun(
  config: TrainConfig,
  train: Dataset,
  count: number,
  lossTolerance = 1e-5
): void {
  const reference = new Trainer(config, train)
  const fast = new FastTrainer(config, train)
  const expected = runSteps(reference, count)
  const actual = runSteps(fast, count)
  expect(actual.length).toBe(expected.length)
  actual.forEach((m, i) => {
    expect({ ...m, loss: 0, accuracy: 0 }).toEqual({ ...expected[i], loss: 0, accuracy: 0 })
    expect(Math.abs(m.loss - expected[i].loss), `step ${i + 1} loss`).toBeLessThanOrEqual(
      lossTolerance * (1 + expected[i].loss)
    )
    // A prediction may flip when two classes tie to within rounding; allow one sample.
    expect(Math.abs(m.accuracy - expected[i].accuracy)).toBeLessThanOrEqual(
      1 / config.batchSize + 1e-12
    )
  })
  expect(worstWeightDifference(fast, reference)).toBeLessThan(1e-4)
}

describe('FastTrainer follows Trainer (first 40 steps, float32 rounding apart)', () => {
  const variants: [string, Partial<TrainConfig>][] = [
    ['the seed net 784-10-10 ReLU, SGD', {}],
    ['the MLP 784-128-10, batch 64', mlp],
    ['softmax regression (no hidden layer)', { architecture: denseNet([]) }],
    [
      'two hidden layers 784-32-16-10, tanh, Xavier',
      {
        architecture: denseNet([32, 16], 'tanh'),
        init: 'xavier'
      }
    ],
    [
      'sigmoid, width 13 (padded to 16)',
      {
        architecture: denseNet([13], 'sigmoid'),
        learningRate: 0.3
      }
    ],
    [
      'SGD with momentum and weight decay',
      { optimizer: { kind: 'sgd', momentum: 0.9 }, weightDecay: 1e-3, learningRate: 0.01 }
    ],
    [
      'Adam',
      { optimizer: { kind: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }, learningRate: 0.003 }
    ],
    ['uniform init (large activations)', { init: 'uniform', learningRate: 0.1 }]
  ]
  for (const [name, variant] of variants) {
    it(name, () => expectSameRun({ ...seed, batchCount: 'all', ...variant }, mnist.train, 40))
  }

  it('a dataset whose images are not a multiple of 16 bytes (5×5), and a smaller last batch', () => {
    const count = 70
    const bytes = Uint8Array.from({ length: count * 25 }, (_, i) =>
      (i * 7919) % 13 < 9 ? 0 : (i * 31) % 256
    )
    const labels = Uint8Array.from({ length: count }, (_, i) => (i * 7) % 10)
    const tiny = datasetFromIdx(encodeIdx([count, 5, 5], bytes), encodeIdx([count], labels), 'tiny')
    const config: TrainConfig = {
      ...seed,
      architecture: denseNet([10], 'relu', 25),
      batchSize: 16,
      batchCount: 'all',
      epochs: 3
    }
    expectSameRun(config, tiny, 15)
  })
})

describe('FastTrainer mechanics', () => {
  it('is reproducible: the same config and seed give identical metrics and weights (SGD, Adam)', () => {
    const adam = { kind: 'adam', beta1: 0.9, beta2: 0.99, epsilon: 1e-8 } as const
    for (const config of [
      { ...mlp, batchCount: 30 },
      { ...mlp, batchCount: 30, optimizer: adam, learningRate: 0.001 }
    ]) {
      const a = new FastTrainer(config, mnist.train)
      const b = new FastTrainer(config, mnist.train)
      expect(runSteps(b, 30)).toEqual(runSteps(a, 30))
      expect(worstWeightDifference(a, b)).toBe(0)
    }
  })

  it('counts steps, epochs and samples like Trainer, including a smaller last batch', () => {
    const small = takeFirst(mnist.train, 100)
    const config: TrainConfig = { ...seed, batchSize: 32, batchCount: 'all', epochs: 2 }
    const fast = new FastTrainer(config, small)
    const reference = new Trainer(config, small)
    const strip = (m: StepMetrics) => [m.step, m.epoch, m.batchInEpoch, m.samplesSeen]
    expect(runSteps(fast, 99).map(strip)).toEqual(runSteps(reference, 99).map(strip))
    expect(
      fast.done && fast.atEpochEnd && fast.stepsCompleted === 8 && fast.samplesSeen === 200
    ).toBe(true)
    expect(() => fast.step()).toThrow(/training is complete/)
  })

  it('one epoch of the seed net reaches the reference accuracy (within 0.5 points)', () => {
    const config = { ...seed, batchCount: 'all' as const }
    const fast = new FastTrainer(config, mnist.train)
    const reference = new Trainer(config, mnist.train)
    runSteps(fast, 2000)
    runSteps(reference, 2000)
    const fastAccuracy = evaluate(fast.model, mnist.test).accuracy
    expect(fastAccuracy).toBeGreaterThanOrEqual(0.89)
    expect(
      Math.abs(fastAccuracy - evaluate(reference.model, mnist.test).accuracy)
    ).toBeLessThanOrEqual(0.005)
  })

  it('keeps the canonical model (W [out, in]) up to date whenever it is read', () => {
    const fast = new FastTrainer({ ...seed, batchCount: 'all' }, mnist.train)
    const before = Float32Array.from(fast.model.denseLayers[0].weight.data)
    fast.step()
    const after = fast.model.denseLayers[0].weight.data
    expect(after).not.toEqual(before)
    expect(fast.model.denseLayers[0].weight.shape).toEqual([10, 784])
  })

  it('applies learning rate and momentum changes mid-run, as Trainer does', () => {
    const config = { ...seed, batchCount: 'all' as const }
    const fast = new FastTrainer(config, mnist.train)
    const reference = new Trainer(config, mnist.train)
    for (const trainer of [fast, reference]) {
      runSteps(trainer, 3)
      trainer.setLearningRate(0.1)
      trainer.setMomentum(0.5)
      runSteps(trainer, 5)
    }
    expect(fast.config).toEqual(reference.config)
    expect(worstWeightDifference(fast, reference)).toBeLessThan(1e-4)
    const adam = new FastTrainer(PRESETS.mlp.config, takeFirst(mnist.train, 64))
    expect(() => adam.setMomentum(0.5)).toThrow(/only SGD/)
  })

  const fusedOptimizers: [string, Partial<TrainConfig>][] = [
    ['SGD with momentum', { optimizer: { kind: 'sgd', momentum: 0.9 }, learningRate: 0.02 }],
    [
      'Adam',
      { optimizer: { kind: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }, learningRate: 0.002 }
    ]
  ]
  for (const [name, variant] of fusedOptimizers) {
    it(`${name} fused into the gradient pass follows the reference over 150 steps, with weight decay and a learning rate changed mid-run`, () => {
      const config: TrainConfig = {
        ...seed,
        architecture: denseNet([32]),
        batchCount: 'all',
        weightDecay: 1e-3,
        ...variant
      }
      const fast = new FastTrainer(config, mnist.train)
      const reference = new Trainer(config, mnist.train)
      const losses = (trainer: StepTrainer): number[] => {
        const first = runSteps(trainer, 75)
        trainer.setLearningRate(config.learningRate / 4)
        return [...first, ...runSteps(trainer, 75)].map((m) => m.loss)
      }
      const fastLosses = losses(fast)
      const referenceLosses = losses(reference)
      fastLosses.forEach((loss, i) =>
        expect(Math.abs(loss - referenceLosses[i]), `step ${i + 1}`).toBeLessThan(
          1e-4 * (1 + referenceLosses[i])
        )
      )
      expect(fastLosses[149]).toBeLessThan(fastLosses[0] / 3) // it learns
      expect(fast.config).toEqual(reference.config)
      expect(worstWeightDifference(fast, reference)).toBeLessThan(1e-4)
    })
  }

  it('stops a diverging run with the same error as Trainer, before touching the weights', () => {
    const diverging = {
      ...seed,
      architecture: denseNet([128, 128]),
      init: 'uniform',
      learningRate: 1,
      batchCount: 100
    } as const
    const failure = (trainer: StepTrainer): unknown => {
      try {
        runSteps(trainer, 100)
      } catch (error) {
        return error
      }
      return null
    }
    const fast = new FastTrainer(diverging, mnist.train)
    const error = failure(fast)
    expect(error).toBeInstanceOf(TrainingDivergedError)
    expect((error as TrainingDivergedError).step).toBe(
      (failure(new Trainer(diverging, mnist.train)) as TrainingDivergedError).step
    )
    expect(fast.model.parameters().every((p) => p.data.every(Number.isFinite))).toBe(true)
  })
})
