// Checkpoints within a budget (core/train/checkpoints.ts): the budget holds while the spacing doubles,
// and the network replayed to any step from the nearest checkpoint is the one that was live at that step.

import { beforeAll, describe, expect, it } from 'vitest'
import {
  CheckpointStore,
  createTrainer,
  modelAt,
  nearestState,
  PRESETS,
  replayInto,
  replayTo,
  stateBytes,
  takeFirst,
  TRAINING_ENGINES,
  type Dataset,
  type SettingChange,
  type TrainConfig
} from '../../../core'
import { loadMnist } from '../../../electron/files/datasets'
import { denseNet } from '../../helpers/architectures'

let train: Dataset
beforeAll(async () => {
  train = takeFirst((await loadMnist()).train, 640)
})

const config: TrainConfig = {
  ...PRESETS.seed.config,
  architecture: denseNet([16]),
  optimizer: { kind: 'sgd', momentum: 0.9 },
  batchSize: 32,
  batchCount: 'all', // 20 steps per epoch
  epochs: 4,
  learningRate: 0.05
}

describe('a run with checkpoints in a budget', () => {
  for (const engine of TRAINING_ENGINES) {
    it(`${engine} engine: the budget holds at every step, and modelAt(N) is the network live at N`, () => {
      const trainer = createTrainer(config, train, engine)
      const oneState = stateBytes(trainer.captureState()) // step 0: no velocity yet
      const budget = 12 * oneState
      const store = new CheckpointStore({ every: 2, budgetBytes: budget })
      const live: Float32Array[][] = [trainer.model.parameters().map((p) => p.data.slice())]
      store.add(trainer.captureState())
      while (!trainer.done) {
        trainer.step()
        live.push(trainer.model.parameters().map((p) => p.data.slice()))
        if (store.wants(trainer.stepsCompleted)) store.add(trainer.captureState())
        expect(store.bytes).toBeLessThanOrEqual(budget)
      }
      // 80 steps every 2 would be 41 states; the budget keeps fewer, evenly spaced, step 0 first.
      expect(store.spacing).toBeGreaterThan(2)
      expect(store.steps.length).toBeGreaterThanOrEqual(4)
      expect(store.steps[0]).toBe(0)
      store.steps.forEach((step) => expect(step % store.spacing).toBe(0))

      for (const step of [0, 1, 7, 20, 33, store.steps[1] + 1, store.steps.at(-1)! - 1, 80]) {
        const replayed = replayTo(store, step, () => createTrainer(config, train, engine))
        expect(replayed.stepsCompleted).toBe(step)
        expect(replayed.model.parameters().map((p) => p.data)).toEqual(live[step])
      }
      const model = modelAt(store, 41, () => createTrainer(config, train, engine))
      expect(model.parameters().map((p) => p.data)).toEqual(live[41])
    })
  }
})

describe('CheckpointStore', () => {
  it('shares one data order among the states of an epoch, and counts it once', () => {
    const trainer = createTrainer(config, train, 'reference')
    const store = new CheckpointStore({ every: 1, budgetBytes: 1e9 })
    for (let i = 0; i < 3; i++) {
      trainer.step()
      store.add(trainer.captureState())
    }
    const [a, b, c] = store.states
    expect(b.order).toBe(a.order)
    expect(c.order).toBe(a.order)
    const orderBytes = a.order.byteLength
    expect(store.bytes).toBe(stateBytes(a) + stateBytes(b) + stateBytes(c) - 2 * orderBytes)
  })

  it('refuses a budget that cannot hold one state, and steps it has no checkpoint for', () => {
    const trainer = createTrainer(config, train, 'reference')
    const state = trainer.captureState()
    const store = new CheckpointStore({ every: 1, budgetBytes: stateBytes(state) - 1 })
    expect(() => store.add(state)).toThrow(/more than the budget/)
    expect(() => replayTo(store, 3, () => trainer)).toThrow(/no checkpoint at or before step 3/)
    expect(() => new CheckpointStore({ every: 0, budgetBytes: 1 })).toThrow(RangeError)
  })
  it('keeps a fork’s first state (its start) whatever the spacing, and replays into a trainer that moved on', () => {
    const trainer = createTrainer(config, train, 'fast')
    while (trainer.stepsCompleted < 13) trainer.step()
    const start = trainer.captureState()
    const oneState = stateBytes(start)
    const store = new CheckpointStore({ every: 4, budgetBytes: 5 * oneState, start: 13 })
    expect(store.wants(13)).toBe(true)
    store.add(start)
    const live: Float32Array[][] = []
    while (!trainer.done) {
      trainer.step()
      live[trainer.stepsCompleted] = trainer.model.parameters().map((p) => p.data.slice())
      if (store.wants(trainer.stepsCompleted)) store.add(trainer.captureState())
    }
    expect(store.spacing).toBeGreaterThan(4) // thinned
    expect(store.steps[0]).toBe(13) // the start survives every thinning
    store.steps.slice(1).forEach((step) => expect(step % store.spacing).toBe(0))
    const replay = createTrainer(config, train, 'fast')
    for (const step of [70, 14, 13, 79]) {
      const replayed = replayInto(replay, store.states, step)
      expect(replayed).toBe(step - nearestState(store.states, step)!.step)
      expect(replay.model.parameters().map((p) => p.data)).toEqual(
        step === 13 ? start.parameters.map((p) => p.data) : live[step]
      )
    }
    expect(() => replayInto(replay, store.states, 12)).toThrow(/no checkpoint at or before step 12/)
  })

  it('replays live learning-rate and momentum changes at the step they took effect, decay included', () => {
    // A change logged at step s was made after step s − 1: 21 is the first step of epoch 2, whose
    // decay (× 0.5) then applies to the new rate, live and in the replay alike.
    const decaying: TrainConfig = { ...config, learningRateDecay: 0.5 }
    const changes: SettingChange[] = [
      { setting: 'learningRate', step: 21, from: 0.05, to: 0.2 },
      { setting: 'momentum', step: 27, from: 0.9, to: 0.5 },
      { setting: 'learningRate', step: 27, from: 0.1, to: 0.01 }
    ]
    const trainer = createTrainer(decaying, train, 'fast')
    const store = new CheckpointStore({ every: 16, budgetBytes: 1e9 })
    store.add(trainer.captureState())
    const live: Float32Array[][] = []
    while (!trainer.done) {
      const next = trainer.stepsCompleted + 1
      if (next === 21) trainer.setLearningRate(0.2)
      if (next === 27) {
        trainer.setMomentum(0.5)
        trainer.setLearningRate(0.01)
      }
      trainer.step()
      live[trainer.stepsCompleted] = trainer.model.parameters().map((p) => p.data.slice())
      if (store.wants(trainer.stepsCompleted)) store.add(trainer.captureState())
    }
    expect(store.steps).toEqual([0, 16, 32, 48, 64, 80])
    const replay = createTrainer(decaying, train, 'fast')
    for (const step of [21, 26, 27, 31, 40, 80]) {
      replayInto(replay, store.states, step, changes)
      expect(replay.model.parameters().map((p) => p.data)).toEqual(live[step])
    }
    expect(replay.config.learningRate).toBe(0.01 * 0.5 ** 2) // epochs 3 and 4 decay it after 27
    // Without the changes, the replay from step 16 is not the network that was live at 31.
    replayInto(replay, store.states, 31)
    expect(replay.model.parameters().map((p) => p.data)).not.toEqual(live[31])
  })
})
