// Capture and restore (core/train/trainer-state.ts): a trainer stopped at step N and a fresh one restored
// from its state go on with exactly the steps of a run that never stopped, on every engine that can run
// the net, with every optimizer.

import { beforeAll, describe, expect, it } from 'vitest'
import {
  createTrainer,
  fastEngineSupports,
  PRESETS,
  stateBytes,
  takeFirst,
  TRAINING_ENGINES,
  TrainingDivergedError,
  type Dataset,
  type StepMetrics,
  type StepTrainer,
  type TrainConfig,
  type TrainingEngine
} from '../../../core'
import { loadMnist } from '../../../electron/files/datasets'
import { denseNet } from '../../helpers/architectures'

let train: Dataset
beforeAll(async () => {
  train = takeFirst((await loadMnist()).train, 640)
})

const mlp: TrainConfig = {
  ...PRESETS.seed.config,
  architecture: denseNet([32]),
  batchSize: 32,
  batchCount: 'all', // 20 steps per epoch
  epochs: 3,
  learningRate: 0.05
}
const OPTIMIZERS: Record<string, Partial<TrainConfig>> = {
  sgd: { optimizer: { kind: 'sgd', momentum: 0 } },
  'sgd, momentum 0.9, weight decay': {
    optimizer: { kind: 'sgd', momentum: 0.9 },
    weightDecay: 1e-3
  },
  adam: {
    optimizer: { kind: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
    learningRate: 0.002
  }
}
/** A small conv net with dropout (the dropout stream is part of the state) and augmentation. */
const convNet: TrainConfig = {
  ...mlp,
  architecture: {
    inputShape: [1, 28, 28],
    layers: [
      { kind: 'conv', filters: 4, kernel: 5, stride: 2, padding: 'valid', activation: 'relu' },
      { kind: 'maxpool', size: 2 },
      { kind: 'flatten' },
      { kind: 'dropout', rate: 0.25 },
      { kind: 'dense', units: 16, activation: 'relu' }
    ],
    outputSize: 10
  },
  epochs: 2,
  optimizer: { kind: 'sgd', momentum: 0.9 },
  augmentation: { shiftPixels: 2, rotationDegrees: 10, scale: 0.1 }
}

function run(trainer: StepTrainer, count: number): StepMetrics[] {
  return Array.from({ length: count }, () => trainer.step())
}

function weights(trainer: StepTrainer): Float32Array[] {
  return trainer.model.parameters().map((p) => p.data.slice())
}

/** Runs `config` whole, and again stopped at `stopAt` and resumed in a fresh trainer: same numbers. */
function expectExactContinuation(
  config: TrainConfig,
  engine: TrainingEngine,
  stopAt: number
): void {
  const whole = createTrainer(config, train, engine)
  const total = whole.totalSteps
  const uninterrupted = run(whole, total)

  const first = createTrainer(config, train, engine)
  run(first, stopAt)
  const state = first.captureState()
  expect(state.engine).toBe(engine)
  expect(state.step).toBe(stopAt)
  const resumed = createTrainer(config, train, engine)
  resumed.restoreState(state)
  expect(resumed.stepsCompleted).toBe(stopAt)
  const continued = run(resumed, total - stopAt)

  expect(continued).toEqual(uninterrupted.slice(stopAt)) // every loss, accuracy and counter, bit for bit
  expect(weights(resumed)).toEqual(weights(whole))
  expect(resumed.done).toBe(true)
}

describe('capture at step N, restore in a fresh trainer, continue: the uninterrupted run exactly', () => {
  for (const engine of TRAINING_ENGINES) {
    for (const [name, change] of Object.entries(OPTIMIZERS)) {
      it(`${engine} engine, ${name}, stopped mid-epoch and at an epoch's end`, () => {
        const config = { ...mlp, ...change }
        expect(fastEngineSupports(config.architecture)).toBe(true)
        expectExactContinuation(config, engine, 27)
        expectExactContinuation(config, engine, 20)
      })
    }
  }

  it('reference engine, a conv net with dropout and augmentation', () => {
    expectExactContinuation(convNet, 'reference', 13)
  })

  it('fast engine, the conv net (its slots live beside the conv and dense stages), SGD and Adam', () => {
    expect(fastEngineSupports(convNet.architecture)).toBe(true)
    expectExactContinuation(convNet, 'fast', 13)
    expectExactContinuation({ ...convNet, ...OPTIMIZERS.adam }, 'fast', 27)
  })
})

describe('a state', () => {
  it('is a copy: training on does not change it, and restoring it twice gives the same run', () => {
    const config = { ...mlp, ...OPTIMIZERS.adam }
    const trainer = createTrainer(config, train, 'fast')
    run(trainer, 5)
    const state = trainer.captureState()
    const before = structuredClone(state)
    run(trainer, 5)
    expect(state).toEqual(before)
    const again = createTrainer(config, train, 'fast')
    again.restoreState(state)
    const a = run(again, 5)
    again.restoreState(state) // into a trainer that has moved on
    expect(run(again, 5)).toEqual(a)
  })

  it('holds the parameters, Adam’s m, v and t, the hyperparameters and the schedule position', () => {
    const config = { ...mlp, ...OPTIMIZERS.adam }
    const trainer = createTrainer(config, train, 'reference')
    run(trainer, 23)
    trainer.setLearningRate(0.0005)
    const state = trainer.captureState()
    expect(state.parameters.map((p) => p.name)).toEqual([
      'dense1.weight',
      'dense1.bias',
      'dense2.weight',
      'dense2.bias'
    ])
    expect(new Set(state.slots.map((s) => s.slot))).toEqual(new Set(['adam.m', 'adam.v']))
    expect(state).toMatchObject({
      step: 23,
      epoch: 2,
      batchInEpoch: 3,
      samplesSeen: 23 * 32,
      learningRate: 0.0005,
      momentum: null,
      optimizerKind: 'adam',
      optimizerSteps: 23
    })
    const floats = (784 * 32 + 32 + 32 * 10 + 10) * 3 // parameters, m and v
    expect(stateBytes(state)).toBe(floats * 4 + 640 * 4)
  })

  it('holds what the divergence check has seen: a resumed run explodes at the same step', () => {
    const config = { ...mlp, learningRate: 10 }
    const divergence = (trainer: StepTrainer): TrainingDivergedError => {
      try {
        while (!trainer.done) trainer.step()
      } catch (error) {
        if (error instanceof TrainingDivergedError) return error
        throw error
      }
      throw new Error('the run did not diverge')
    }
    const whole = divergence(createTrainer(config, train, 'fast'))
    expect(whole.step).toBeGreaterThan(2)
    const first = createTrainer(config, train, 'fast')
    run(first, whole.step - 2)
    const resumed = createTrainer(config, train, 'fast')
    resumed.restoreState(first.captureState())
    const again = divergence(resumed)
    expect(again.step).toBe(whole.step)
    expect(again.message).toBe(whole.message)
  })

  it('leaves plain SGD’s velocity out (all zeros), and restores it as zeros', () => {
    const trainer = createTrainer({ ...mlp, ...OPTIMIZERS.sgd }, train, 'fast')
    run(trainer, 3)
    expect(trainer.captureState().slots).toEqual([])
  })

  it('does not go into a trainer it does not fit, naming what differs', () => {
    const state = (() => {
      const trainer = createTrainer(mlp, train, 'reference')
      run(trainer, 2)
      return trainer.captureState()
    })()
    expect(() => createTrainer(mlp, train, 'fast').restoreState(state)).toThrow(/reference engine/)
    const adam = { ...mlp, ...OPTIMIZERS.adam }
    expect(() => createTrainer(adam, train, 'reference').restoreState(state)).toThrow(
      /sgd, not adam/
    )
    const wider = { ...mlp, architecture: denseNet([64]) }
    expect(() => createTrainer(wider, train, 'reference').restoreState(state)).toThrow(
      /dense1.weight \[25088\] where this model has dense1.weight \[50176\]/
    )
  })
})
