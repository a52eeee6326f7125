// evaluateFast (forward passes on the WebAssembly kernels) against evaluate (the reference layers), on
// the real MNIST test set: the same accuracy, loss, confusion matrix and per-image results, up to
// float32 rounding of the logits.

import { describe, expect, it } from 'vitest'
import {
  evaluate,
  evaluateFast,
  FastTrainer,
  PRESETS,
  Sequential,
  createRng,
  takeFirst,
  type Evaluation,
  type ModelArchitecture,
  type TrainConfig
} from '../../../core'
import { denseNet } from '../../helpers/architectures'
import { useMnist } from '../../helpers/mnist'

const mnist = useMnist()

/** A model trained briefly on the fast engine, so that its predictions are varied and mostly right. */
function trained(config: TrainConfig): Sequential {
  const trainer = new FastTrainer({ ...config, batchCount: 200, epochs: 1 }, mnist.train)
  while (!trainer.done) trainer.step()
  return trainer.model
}

function expectSameEvaluation(fast: Evaluation, reference: Evaluation): void {
  expect(fast.count).toBe(reference.count)
  // A prediction may flip only where two logits tie to within float32 rounding: a handful at most.
  let flipped = 0
  for (let i = 0; i < reference.count; i++)
    if (fast.predictions[i] !== reference.predictions[i]) flipped++
  expect(flipped).toBeLessThanOrEqual(3)
  expect(Math.abs(fast.accuracy - reference.accuracy)).toBeLessThanOrEqual(3 / reference.count)
  expect(fast.loss).toBeCloseTo(reference.loss, 5)
  const confusionGap = fast.confusion
    .flat()
    .reduce((gap, n, k) => gap + Math.abs(n - reference.confusion.flat()[k]), 0)
  expect(confusionGap).toBeLessThanOrEqual(2 * flipped)
  expect(fast.classCounts).toEqual(reference.classCounts)
  let worstConfidence = 0
  for (let i = 0; i < reference.count; i++) {
    if (fast.predictions[i] === reference.predictions[i])
      worstConfidence = Math.max(
        worstConfidence,
        Math.abs(fast.confidences[i] - reference.confidences[i])
      )
  }
  expect(worstConfidence).toBeLessThan(1e-4)
}

describe('evaluateFast', () => {
  it('agrees with evaluate on trained models of every shape the studio builds', () => {
    const seed = PRESETS.seed.config
    const configs: TrainConfig[] = [
      seed,
      PRESETS.softmax.config, // no hidden layer
      {
        ...seed,
        architecture: denseNet([128]),
        batchSize: 64,
        learningRate: 0.1
      },
      {
        ...seed,
        architecture: denseNet([32, 16], 'tanh'),
        init: 'xavier'
      },
      {
        ...seed,
        architecture: denseNet([20], 'sigmoid'),
        init: 'xavier',
        learningRate: 0.5
      }
    ]
    for (const config of configs) {
      const model = trained(config)
      const reference = evaluate(model, mnist.test)
      expect(reference.accuracy).toBeGreaterThan(0.3) // it learned something: the comparison means something
      expectSameEvaluation(evaluateFast(model, mnist.test), reference)
    }
  })

  it('reads untrained weights too (large, mixed-sign logits), and changes nothing in the model', () => {
    const architecture: ModelArchitecture = denseNet([64])
    const model = new Sequential(architecture, 'uniform', createRng(3))
    const before = model.denseLayers.map((layer) => Float32Array.from(layer.weight.data))
    expectSameEvaluation(evaluateFast(model, mnist.test), evaluate(model, mnist.test))
    model.denseLayers.forEach((layer, i) => expect(layer.weight.data).toEqual(before[i]))
  })

  it('handles a set smaller than one batch, and one that does not divide into batches, with progress', () => {
    const model = trained(PRESETS.seed.config)
    for (const count of [1, 7, 300]) {
      const subset = takeFirst(mnist.test, count)
      const progress: number[] = []
      const fast = evaluateFast(model, subset, { onProgress: (done) => progress.push(done) })
      expectSameEvaluation(fast, evaluate(model, subset))
      expect(progress.at(-1)).toBe(count)
    }
  })
})
