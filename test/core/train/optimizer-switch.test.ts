// A fork that changes its optimizer (core/train/optimizer-switch.ts): each switch goes on from exactly the
// parent's weights, maps the optimizer's state as documented, and the forked run trains (finite, learns).

import { beforeAll, describe, expect, it } from 'vitest'
import {
  createTrainer,
  optimizerSwitchNote,
  PRESETS,
  switchOptimizer,
  takeFirst,
  TRAINING_ENGINES,
  type Dataset,
  type OptimizerConfig,
  type TrainConfig
} from '../../../core'
import { loadMnist } from '../../../electron/files/datasets'
import { denseNet } from '../../helpers/architectures'

let train: Dataset
beforeAll(async () => {
  train = takeFirst((await loadMnist()).train, 640)
})

const SGD: OptimizerConfig = { kind: 'sgd', momentum: 0 }
const MOMENTUM: OptimizerConfig = { kind: 'sgd', momentum: 0.9 }
const ADAM: OptimizerConfig = { kind: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }
/** A learning rate that suits each optimizer on this net. */
const rateOf = (optimizer: OptimizerConfig): number => (optimizer.kind === 'adam' ? 0.003 : 0.05)

const base: TrainConfig = {
  ...PRESETS.seed.config,
  architecture: denseNet([16]),
  batchSize: 32,
  batchCount: 'all', // 20 steps per epoch
  epochs: 4
}
const FORK_STEP = 20

const configWith = (optimizer: OptimizerConfig): TrainConfig => ({
  ...base,
  optimizer,
  learningRate: rateOf(optimizer)
})

const mean = (values: readonly number[]): number =>
  values.reduce((a, b) => a + b, 0) / values.length

const SWITCHES: [string, OptimizerConfig, OptimizerConfig][] = [
  ['SGD → Adam', SGD, ADAM],
  ['SGD with momentum → Adam', MOMENTUM, ADAM],
  ['Adam → SGD with momentum', ADAM, MOMENTUM],
  ['Adam → SGD', ADAM, SGD],
  ['SGD → SGD with momentum', SGD, MOMENTUM]
]

describe('forking to another optimizer', () => {
  for (const engine of TRAINING_ENGINES) {
    for (const [name, from, to] of SWITCHES) {
      it(`${engine} engine, ${name}: goes on from the parent's weights, finite, and learns`, () => {
        const parent = createTrainer(configWith(from), train, engine)
        const parentLosses: number[] = []
        while (parent.stepsCompleted < FORK_STEP) parentLosses.push(parent.step().loss)
        const state = parent.captureState()

        const child = createTrainer(configWith(to), train, engine)
        child.restoreState(switchOptimizer(state, from, to))
        child.setLearningRate(rateOf(to))
        const restored = child.captureState()
        expect(restored.step).toBe(FORK_STEP)
        expect(restored.parameters).toEqual(state.parameters) // the weights carry over exactly
        expect(restored.order).toEqual(state.order)

        const losses: number[] = []
        while (!child.done) losses.push(child.step().loss)
        expect(losses).toHaveLength(60)
        expect(losses.every(Number.isFinite)).toBe(true)
        // Learns: the last epoch's loss is well below the parent's first epoch's.
        expect(mean(losses.slice(-20))).toBeLessThan(0.8 * mean(parentLosses))
        expect(child.captureState().optimizerKind).toBe(to.kind)
      })
    }
  }

  it('SGD → Adam starts Adam fresh: no moments, t = 0, so its first step moves each weight by about lr', () => {
    const parent = createTrainer(configWith(MOMENTUM), train, 'reference')
    while (parent.stepsCompleted < FORK_STEP) parent.step()
    const state = parent.captureState()
    expect(state.slots.length).toBeGreaterThan(0) // the parent's velocity
    const switched = switchOptimizer(state, MOMENTUM, ADAM)
    expect(switched).toMatchObject({ optimizerKind: 'adam', optimizerSteps: 0, momentum: null })
    expect(switched.slots).toEqual([])

    const child = createTrainer(configWith(ADAM), train, 'reference')
    child.restoreState(switched)
    child.setLearningRate(rateOf(ADAM)) // the state holds the parent's rate (0.05)
    const before = child.model.parameters().map((p) => p.data.slice())
    child.step()
    // Adam's first step from zero moments: m̂ = g, v̂ = g², Δw = lr·g/(|g| + ε), at most lr.
    const lr = rateOf(ADAM)
    child.model.parameters().forEach((p, i) => {
      for (let j = 0; j < p.data.length; j++)
        expect(Math.abs(p.data[j] - before[i][j])).toBeLessThanOrEqual(lr * 1.0001)
    })
    expect(child.captureState().optimizerSteps).toBe(1)
  })

  it('Adam → SGD with momentum: the velocity is m̂ / (1 − μ), m̂ = m / (1 − β1ᵗ)', () => {
    const parent = createTrainer(configWith(ADAM), train, 'reference')
    while (parent.stepsCompleted < FORK_STEP) parent.step()
    const state = parent.captureState()
    expect(state.optimizerSteps).toBe(FORK_STEP)
    const switched = switchOptimizer(state, ADAM, MOMENTUM)
    expect(switched).toMatchObject({ optimizerKind: 'sgd', optimizerSteps: 0, momentum: 0.9 })
    const m = state.slots.filter((s) => s.slot === 'adam.m')
    expect(switched.slots.map((s) => [s.slot, s.name])).toEqual(m.map((s) => ['velocity', s.name]))
    const correction = 1 - 0.9 ** FORK_STEP
    switched.slots.forEach((velocity, i) => {
      const expected = Float32Array.from(m[i].data, (x) => x / correction / (1 - 0.9))
      expect(velocity.data).toEqual(expected)
    })
    // Plain SGD keeps no state at all.
    expect(switchOptimizer(state, ADAM, SGD).slots).toEqual([])
  })

  it('leaves the state as it is when the optimizer stays, and says what carries over', () => {
    const parent = createTrainer(configWith(ADAM), train, 'reference')
    parent.step()
    const state = parent.captureState()
    expect(switchOptimizer(state, ADAM, { ...ADAM, beta1: 0.8 })).toBe(state)
    expect(() => switchOptimizer(state, SGD, ADAM)).toThrow(RangeError)
    expect(optimizerSwitchNote(SGD, ADAM)).toMatch(/Adam starts fresh/)
    expect(optimizerSwitchNote(ADAM, MOMENTUM)).toMatch(/momentum velocity/)
    expect(optimizerSwitchNote(ADAM, SGD)).toMatch(/dropped/)
    expect(optimizerSwitchNote(ADAM, ADAM)).toMatch(/go on/)
  })
})
