// The reference engine's memory estimate (referenceEngineBytes) against what its layers really
// allocate, for a dense net and for conv nets with pooling, dropout and augmentation; and conv configs
// refused on it with the largest batch that fits (issue 15 item 5).

import { describe, expect, it } from 'vitest'
import {
  checkConfigFitsDataset,
  ConfigError,
  PRESETS,
  referenceEngineBytes,
  RUN_MEMORY_BUDGET_BYTES,
  Trainer,
  type Dataset,
  type TrainConfig
} from '../../../core'
import { runBytes } from '../../../core/train/memory-budget'

const BATCH = 32

/** BATCH 28×28 images of a fixed pattern, labelled 0…9 in turn. */
const DIGITS: Dataset = {
  name: 'patterned digits',
  count: BATCH,
  rows: 28,
  cols: 28,
  inputSize: 784,
  pixels: Uint8Array.from({ length: BATCH * 784 }, (_, i) => (i * 37) % 256),
  labels: Uint8Array.from({ length: BATCH }, (_, i) => i % 10)
}

/**
 * Bytes of every ArrayBuffer a Trainer holds after one step (its parameters, gradients, optimizer moments
 * and each layer's buffers), found by walking its objects; the dataset's own buffers are not counted.
 */
function heldBytes(config: TrainConfig): number {
  const trainer = new Trainer(config, DIGITS)
  trainer.step()
  const buffers = new Set<ArrayBufferLike>()
  const seen = new Set<object>([DIGITS])
  const visit = (value: unknown): void => {
    if (typeof value !== 'object' || value === null || seen.has(value)) return
    seen.add(value)
    if (ArrayBuffer.isView(value)) buffers.add(value.buffer)
    else if (value instanceof Map) for (const entry of value) visit(entry)
    else for (const field of Object.values(value)) visit(field)
  }
  visit(trainer)
  let bytes = 0
  for (const buffer of buffers) bytes += buffer.byteLength
  return bytes
}

const withBatch = (config: TrainConfig): TrainConfig => ({
  ...config,
  batchSize: BATCH,
  batchCount: 1,
  epochs: 1
})

describe('referenceEngineBytes', () => {
  const cases: [string, TrainConfig][] = [
    ['the MLP', withBatch(PRESETS.mlp.config)],
    ['LeNet, augmented', withBatch(PRESETS.lenet.config)],
    ['the cnn preset, with dropout', withBatch(PRESETS.cnn.config)]
  ]
  for (const [name, config] of cases) {
    it(`matches what ${name} allocates, to the byte`, () => {
      const estimate = referenceEngineBytes(
        config.architecture,
        BATCH,
        config.augmentation.shiftPixels > 0
      )
      const held = heldBytes(config)
      // NOTE: the trainer's visit order and the batch's labels (4 + 1 bytes per image) are not counted.
      expect(held).toBeGreaterThanOrEqual(estimate)
      expect(held).toBeLessThanOrEqual(estimate + 5 * BATCH)
    })
  }

  it('refuses a conv net too large for the budget on the batch size, naming the largest batch that fits', () => {
    const shape: Dataset = { ...DIGITS, count: 60_000 }
    const wide: TrainConfig = {
      ...PRESETS.cnn.config,
      architecture: {
        ...PRESETS.cnn.config.architecture,
        layers: [
          { kind: 'conv', filters: 256, kernel: 3, stride: 1, padding: 'same', activation: 'relu' },
          { kind: 'flatten' }
        ]
      },
      batchSize: 2_000
    }
    let error: unknown
    try {
      checkConfigFitsDataset(wide, shape, 10)
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(ConfigError)
    const match = /^batchSize: a batch of 2000 needs .* at most (\d+) images per batch fit/.exec(
      (error as ConfigError).message
    )
    expect(match).not.toBeNull()
    const largest = Number(match![1])
    expect(runBytes({ ...wide, batchSize: largest }, 60_000)).toBeLessThanOrEqual(
      RUN_MEMORY_BUDGET_BYTES
    )
    expect(runBytes({ ...wide, batchSize: largest + 1 }, 60_000)).toBeGreaterThan(
      RUN_MEMORY_BUDGET_BYTES
    )
  })
})
