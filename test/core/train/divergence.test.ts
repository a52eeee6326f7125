// The divergence rule: NaN or infinite losses, and a smoothed loss that explodes far above its start;
// hand-computed on made-up losses, then on the real MNIST at a learning rate of 10.
import { describe, expect, it } from 'vitest'
import {
  DivergenceWatch,
  EXPLOSION_FACTOR,
  FastTrainer,
  MinibatchTrainer,
  PRESETS,
  Sequential,
  Trainer,
  TrainingDivergedError,
  createRng,
  type BatchOutcome,
  type StepTrainer,
  type TrainConfig
} from '../../../core'
import { useMnist } from '../../helpers/mnist'

const mnist = useMnist()

const seed = PRESETS.seed.config
const LN10 = Math.log(10)

function watch(losses: readonly number[], classes = 10) {
  const w = new DivergenceWatch(classes)
  for (let i = 0; i < losses.length; i++) {
    const verdict = w.observe(i + 1, losses[i])
    if (verdict) return verdict
  }
  return null
}

describe('DivergenceWatch', () => {
  it('lets a learning run through, and one unlucky batch too', () => {
    const falling = Array.from({ length: 200 }, (_, i) => 2.3 * Math.exp(-i / 50) + 0.2)
    expect(watch(falling)).toBeNull()
    // One batch 8× the start among normal ones: the average over ~10 batches stays far below 10×.
    expect(watch([2.3, 2.2, 18.4, 2.1, 2.0, 1.9])).toBeNull()
  })

  it('catches a loss that explodes, at the step its smoothed value passes 10× the start', () => {
    // By hand, β = 0.9: a₁ = 0.23 → L̄₁ = 2.3; a₂ = 0.437 → L̄₂ = 0.437 / 0.19 = 2.3;
    // a₃ = 0.9·0.437 + 0.1·60 = 6.3933 → L̄₃ = 6.3933 / 0.271 = 23.59 > 10·ln 10 = 23.03.
    const verdict = watch([2.3, 2.3, 60, 80])
    expect(verdict).toMatchObject({ kind: 'exploded', step: 3, loss: 60 })
    expect(verdict!.smoothedLoss).toBeCloseTo(23.59, 2)
    expect(verdict!.limit).toBeCloseTo(EXPLOSION_FACTOR * LN10, 10)
    // 59 would leave L̄₃ = 23.22 … still over; 57 gives 22.11: under the limit, so no verdict yet.
    expect(watch([2.3, 2.3, 57])).toBeNull()
  })

  it('measures from the first loss when it starts above a uniform guess', () => {
    // U(−1, 1) weights start near a loss of 8: the limit is 80, not 23.
    expect(watch([8, 7, 30, 30, 30])).toBeNull()
    expect(watch([8, 7, 900])).toMatchObject({ kind: 'exploded', step: 3, limit: 80 })
    // Two classes: a uniform guess's loss is ln 2.
    expect(new DivergenceWatch(2).observe(1, 0.1)).toBeNull()
    const two = new DivergenceWatch(2)
    two.observe(1, 0.1)
    expect(two.limit).toBeCloseTo(10 * Math.log(2), 10)
  })

  it('reports a NaN or infinite loss at once, with no loss to show', () => {
    expect(watch([2.3, Number.NaN])).toMatchObject({
      kind: 'not-finite',
      step: 2,
      loss: null,
      smoothedLoss: null
    })
    expect(watch([Number.POSITIVE_INFINITY])).toMatchObject({ kind: 'not-finite', step: 1 })
  })
})

/** A trainer whose batches report made-up losses, and counts its updates. */
class ScriptedTrainer extends MinibatchTrainer {
  readonly model: Sequential
  updates = 0
  private readonly visitOrder: Uint32Array

  constructor(
    config: TrainConfig,
    private readonly losses: readonly number[]
  ) {
    super(config, mnist.train)
    this.model = new Sequential(config.architecture, config.init, createRng(config.seed))
    this.visitOrder = Uint32Array.from({ length: mnist.train.count }, (_, i) => i)
  }

  protected get order(): Uint32Array {
    return this.visitOrder
  }

  protected forward(): BatchOutcome {
    return { loss: this.losses[this.stepsCompleted], correct: 0 }
  }

  protected update(): void {
    this.updates++
  }
}

function divergenceOf(trainer: StepTrainer): TrainingDivergedError {
  while (!trainer.done) {
    try {
      trainer.step()
    } catch (error) {
      if (error instanceof TrainingDivergedError) return error
      throw error
    }
  }
  throw new Error('the run did not diverge')
}

describe('a trainer that diverges', () => {
  it('throws before the step that diverged updates anything, with that step’s metrics', () => {
    const exploding = new ScriptedTrainer(seed, [2.3, 2.3, 60, 80])
    const error = divergenceOf(exploding)
    expect(error.divergence).toMatchObject({ kind: 'exploded', step: 3 })
    expect(error.metrics).toMatchObject({ step: 3, loss: 60, epoch: 1, samplesSeen: 96 })
    expect(exploding.updates).toBe(2)
    expect(exploding.stepsCompleted).toBe(2)
    expect(error.message).toBe(
      'the loss exploded at step 3 (smoothed 23.59, over 10× its start): ' +
        'the learning rate is too high for this network'
    )

    const nan = new ScriptedTrainer(seed, [2.3, 2.2, Number.NaN])
    const notFinite = divergenceOf(nan)
    expect(notFinite.divergence).toMatchObject({ kind: 'not-finite', step: 3, loss: null })
    expect(notFinite.metrics).toBeNull() // NaN cannot be drawn nor saved in JSON
    expect(nan.updates).toBe(2)
    expect(notFinite.message).toBe(
      'the loss became infinite or NaN at step 3: the learning rate is too high for this network'
    )
  })

  it('catches the seed preset at learning rate 10 on the real MNIST, on both engines alike', () => {
    // Measured (seed 1): the batch loss goes 2.24 → 47 by step 3; the smoothed loss passes 23 there.
    const config: TrainConfig = { ...seed, learningRate: 10, seed: 1 }
    const reference = divergenceOf(new Trainer(config, mnist.train))
    const fast = new FastTrainer(config, mnist.train)
    const error = divergenceOf(fast)
    expect(error.divergence.kind).toBe('exploded')
    expect(error.step).toBe(reference.step)
    expect(error.step).toBeLessThanOrEqual(10)
    expect(error.metrics!.loss).toBeGreaterThan(EXPLOSION_FACTOR * LN10)
    expect(fast.stepsCompleted).toBe(error.step - 1)
    expect(fast.model.parameters().every((p) => p.data.every(Number.isFinite))).toBe(true)
  })

  it('lets the seed preset and a learning rate of 0.5 train to the end', () => {
    for (const learningRate of [0.03, 0.5]) {
      const trainer = new FastTrainer({ ...seed, learningRate, seed: 1 }, mnist.train)
      while (!trainer.done) trainer.step()
      expect(trainer.stepsCompleted).toBe(100)
    }
  })
})
