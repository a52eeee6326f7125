// Configs that parse but cannot run on this data or in this memory are refused up front, naming the
// field (issue 15 item 5); and the engines never read outside a buffer when a label is out of range.

import { describe, expect, it } from 'vitest'
import {
  checkConfigFitsDataset,
  ConfigError,
  denseArchitecture,
  FastTrainer,
  planNetwork,
  PRESETS,
  RUN_MEMORY_BUDGET_BYTES,
  ShapeError,
  Trainer,
  type Dataset,
  type TrainConfig
} from '../../../core'
import { FastNetwork } from '../../../core/fast/network'
import { SoftmaxCrossEntropy } from '../../../core/nn/softmax-cross-entropy'
import { runBytes } from '../../../core/train/memory-budget'
import { createMemory } from '../../../core/wasm/runtime'
import { MatrixBuffer } from '../../../core/tensor/matrix'

/** `count` 28×28 images of faint noise, labelled 0, 1, …, classes − 1 in turn. */
function digits(count: number, classes = 10): Dataset {
  return {
    name: 'tiny digits',
    count,
    rows: 28,
    cols: 28,
    inputSize: 784,
    pixels: Uint8Array.from({ length: count * 784 }, (_, i) => (i * 37) % 256),
    labels: Uint8Array.from({ length: count }, (_, i) => i % classes)
  }
}

/** A dataset with only the shape (what the host knows): MNIST's training set. */
const MNIST_SHAPE: Dataset = { ...digits(0), name: 'MNIST', count: 60_000 }

const withOutputs = (outputSize: number): TrainConfig => ({
  ...PRESETS.seed.config,
  batchSize: 8,
  batchCount: 'all',
  architecture: { ...PRESETS.seed.config.architecture, outputSize }
})

function refusal(run: () => unknown): ConfigError {
  try {
    run()
  } catch (error) {
    if (error instanceof ConfigError) return error
    throw error
  }
  throw new Error('expected a ConfigError')
}

describe('the model and the data agree', () => {
  it('refuses fewer outputs than the labels have classes, on the output size', () => {
    const error = refusal(() => checkConfigFitsDataset(withOutputs(2), digits(64)))
    expect(error.field).toBe('architecture.outputSize')
    expect(error.message).toBe(
      'architecture.outputSize: the model has 2 outputs but tiny digits has 10 classes (labels 0–9): ' +
        'it needs at least 10, one per class'
    )
    // The host holds no labels: it says how many classes there are.
    expect(refusal(() => checkConfigFitsDataset(withOutputs(9), MNIST_SHAPE, 10)).field).toBe(
      'architecture.outputSize'
    )
  })

  it('accepts exactly as many outputs as classes, or more (classes with no images)', () => {
    expect(() => checkConfigFitsDataset(withOutputs(10), digits(64))).not.toThrow()
    expect(() => checkConfigFitsDataset(withOutputs(12), digits(64))).not.toThrow()
    expect(() => checkConfigFitsDataset(withOutputs(5), digits(64, 5))).not.toThrow()
  })

  it('both trainers refuse the mismatch before allocating anything', () => {
    const config = withOutputs(2)
    for (const create of [
      () => new Trainer(config, digits(64)),
      () => new FastTrainer(config, digits(64))
    ])
      expect(refusal(create).field).toBe('architecture.outputSize')
  })

  it('the engines refuse a label beyond their outputs instead of reading past a row', () => {
    const loss = new SoftmaxCrossEntropy(2)
    const logits = new MatrixBuffer().take(2, 2)
    expect(() => loss.forward(logits, Uint8Array.of(1, 7))).toThrow(ShapeError)
    expect(() => loss.forward(logits, Uint8Array.of(1, 7))).toThrow(
      'SoftmaxCrossEntropy.forward: label 7 needs at least 8 outputs, the model has 2'
    )

    const architecture = withOutputs(2).architecture
    const data = digits(16)
    const network = new FastNetwork(
      architecture,
      8,
      createMemory(planNetwork(architecture, 8, 16, 16 * 784).bytes, false),
      16,
      16 * 784
    )
    network.initialise()
    const order = Uint32Array.from({ length: 16 }, (_, i) => i)
    expect(() => network.setBatch(data, order, 0, 8)).toThrow(
      /setBatch: label 7 needs at least 8 outputs, the model has 2/
    )
  })
})

describe('the run fits the memory budget', () => {
  const mlp = (hidden: number[], batchSize: number): TrainConfig => ({
    ...PRESETS.mlp.config,
    architecture: denseArchitecture({
      inputSize: 784,
      hiddenSizes: hidden,
      activation: 'relu',
      outputSize: 10
    }),
    batchSize,
    batchCount: 'all'
  })

  it('refuses --batch-size 60000 --hidden 4096 on the batch size, with the largest batch that fits', () => {
    const error = refusal(() => checkConfigFitsDataset(mlp([4096], 60_000), MNIST_SHAPE, 10))
    expect(error.field).toBe('batchSize')
    const match =
      /^batchSize: a batch of 60000 needs (\d+\.\d) GB of working memory with these layers, over the studio's budget of 2\.0 GB per run: at most (\d+) images per batch fit/.exec(
        error.message
      )
    expect(match).not.toBeNull()
    expect(Number(match![1])).toBeGreaterThan(2)
    // The size it names is exactly the edge: it fits, one more does not.
    const largest = Number(match![2])
    expect(runBytes(mlp([4096], largest), 60_000)).toBeLessThanOrEqual(RUN_MEMORY_BUDGET_BYTES)
    expect(runBytes(mlp([4096], largest + 1), 60_000)).toBeGreaterThan(RUN_MEMORY_BUDGET_BYTES)
    expect(() => checkConfigFitsDataset(mlp([4096], largest), MNIST_SHAPE, 10)).not.toThrow()
  })

  it('accepts every preset, and the widest and deepest net at small batches', () => {
    for (const preset of Object.values(PRESETS))
      expect(() => checkConfigFitsDataset(preset.config, MNIST_SHAPE, 10)).not.toThrow()
    const deepest = mlp([4096, 4096, 4096, 4096, 4096, 4096], 32)
    expect(() => checkConfigFitsDataset(deepest, MNIST_SHAPE, 10)).not.toThrow()
    // The largest batch of all with the preset's layers.
    expect(() => checkConfigFitsDataset(mlp([128], 60_000), MNIST_SHAPE, 10)).not.toThrow()
  })
})
