// Health measured while training on the real MNIST: on both engines alike (dense and conv), without
// changing the run it measures, and at a learning rate of 10, the culprit of the seed preset's explosion.
import { beforeAll, describe, expect, it } from 'vitest'
import {
  FastTrainer,
  HealthWatch,
  PRESETS,
  takeFirst,
  Trainer,
  TrainingDivergedError,
  type Dataset,
  type HealthSample,
  type StepTrainer,
  type TrainConfig
} from '../../../core'
import { loadMnist } from '../../../electron/files/datasets'

let mnistTrain: Dataset
let train: Dataset
beforeAll(async () => {
  mnistTrain = (await loadMnist()).train
  train = takeFirst(mnistTrain, 600)
})

/** A small conv net with dropout: conv 5×5×4, pool, 16 ReLU, dropout ½, 10. */
const convConfig: TrainConfig = {
  ...PRESETS.seed.config,
  architecture: {
    inputShape: [1, 28, 28],
    layers: [
      { kind: 'conv', filters: 4, kernel: 5, stride: 1, padding: 'same', activation: 'relu' },
      { kind: 'maxpool', size: 2 },
      { kind: 'flatten' },
      { kind: 'dense', units: 16, activation: 'relu' },
      { kind: 'dropout', rate: 0.5 }
    ],
    outputSize: 10
  },
  batchSize: 16,
  batchCount: 'all',
  learningRate: 0.05
}
const denseConfig: TrainConfig = { ...PRESETS.seed.config, batchCount: 'all' }

/** Runs `count` steps, measuring every `every`-th (0: never); returns the losses and the samples. */
function run(trainer: StepTrainer, count: number, every: number) {
  const losses: number[] = []
  const samples: HealthSample[] = []
  for (let i = 1; i <= count; i++) {
    if (every > 0 && i % every === 0) trainer.requestHealth()
    losses.push(trainer.step().loss)
    if (trainer.lastHealth) samples.push(trainer.lastHealth)
  }
  return { losses, samples }
}

describe.each([
  ['dense', denseConfig],
  ['conv + dropout', convConfig]
])('health of a %s net', (_, config) => {
  it('measuring it changes nothing of the run, on either engine', () => {
    for (const make of [() => new Trainer(config, train), () => new FastTrainer(config, train)]) {
      const plain = run(make(), 6, 0)
      const measured = run(make(), 6, 2)
      expect(measured.losses).toEqual(plain.losses) // bit for bit: dropout's masks are untouched
      expect(measured.samples.map((s) => s.step)).toEqual([2, 4, 6])
    }
  })

  it('is the same on the fast engine as on the reference, up to float32 rounding', () => {
    const reference = run(new Trainer(config, train), 4, 1).samples
    const fast = run(new FastTrainer(config, train), 4, 1).samples
    expect(fast.length).toBe(4)
    fast.forEach((sample, s) => {
      sample.layers.forEach((layer, l) => {
        const twin = reference[s].layers[l]
        expect(layer.layer).toBe(twin.layer)
        expect(layer.gradientNorm).toBeCloseTo(twin.gradientNorm, 4)
        expect(layer.weightNorm).toBeCloseTo(twin.weightNorm, 4)
        expect(layer.updateRatio!).toBeCloseTo(twin.updateRatio!, 5)
        expect(layer.deadFraction).toBe(twin.deadFraction)
        expect(layer.finite).toBe(true)
      })
    })
    expect(fast[0].layers.map((l) => l.layer)).toEqual(
      config === convConfig ? ['conv1', 'dense1', 'dense2'] : ['dense1', 'dense2']
    )
  })
})

describe('a learning rate of 10 on the seed preset', () => {
  it.each(['reference', 'fast'] as const)(
    'diverges at step 3, measured there, and the culprit is named (%s engine)',
    (engine) => {
      const config = { ...PRESETS.seed.config, learningRate: 10 }
      const trainer =
        engine === 'fast' ? new FastTrainer(config, mnistTrain) : new Trainer(config, mnistTrain)
      const watch = new HealthWatch()
      trainer.requestHealth() // the worker measures the first step, then at its snapshot cadence
      trainer.step()
      expect(watch.observe(trainer.lastHealth!)).toBeNull()
      // The first update already rewrote dense1 four times over: the rule of thumb is 1e-3.
      expect(trainer.lastHealth!.layers[0].updateRatio).toBeGreaterThan(1)
      trainer.step()
      const error = (() => {
        try {
          trainer.step()
        } catch (e) {
          return e
        }
      })()
      expect(error).toBeInstanceOf(TrainingDivergedError)
      const { divergence, health } = error as TrainingDivergedError
      expect(divergence).toMatchObject({ kind: 'exploded', step: 3 })
      expect(health!.step).toBe(3)
      expect(health!.layers.every((l) => l.updateRatio === null)).toBe(true) // no update was made
      const alarm = watch.culprit(health!, divergence)
      expect(alarm).toMatchObject({
        kind: 'largest-gradient',
        layer: 'dense1',
        step: 3,
        divergence
      })
      expect(trainer.lastBatchImage()!.pixels).toHaveLength(784)
    }
  )
})
