// How much working memory a run needs, on either engine, and the budget it must fit in: a config too
// large for it is refused before anything is allocated, with the largest batch that fits.

import { ConfigError } from '../errors'
import { fastEngineBytes } from '../fast/engine'
import { isAugmenting } from '../data/augment'
import { inputSize, type ModelArchitecture } from '../nn/architecture'
import { inferShapes, shapeSize } from '../nn/shapes'
import type { TrainConfig } from './config'

/**
 * The most working memory one run may use: 2 GiB.
 * NOTE: the fast engine's WebAssembly memory could grow to 4 GiB (65 536 pages of 64 KiB), but its
 * byte addresses are i32 in the kernels and are turned into indices with JS's signed `>>`, so every
 * address must stay below 2³¹. The reference engine's typed arrays get the same budget: one number to
 * state, and a run the studio's worker can hold next to the datasets on an ordinary machine.
 */
export const RUN_MEMORY_BUDGET_BYTES = 2 ** 31

/** Bytes the fast engine's memory needs (core/fast/engine.ts), with the whole training set resident. */
function fastRunBytes(
  architecture: ModelArchitecture,
  batchSize: number,
  trainCount: number
): number {
  // NOTE: the resident set holds each image's nonzero pixels; count × inputSize bounds them (MNIST: 47 MB
  // bound for 9 M entries), so the check never needs the pixels, only the dataset's shape.
  return fastEngineBytes(architecture, batchSize, trainCount, trainCount * inputSize(architecture))
}

/**
 * Bytes the reference engine (Trainer) allocates, as float32 unless said:
 *   parameters P, their gradients, and the optimizer's two moments (Adam; SGD's velocity is one): 4P
 *   per sample of the batch (core/nn's layers each keep their output and ∂input, MatrixBuffers):
 *     the batch x                    in
 *     dense, conv                    out + in            (y, and ∂x)
 *     its activation (unless none)   2 · out             (its output, and ∂input)
 *     max-pool                       out + out + in      (y, the argmax as uint32, ∂x)
 *     dropout                        3 · in              (the mask, y, ∂x)
 *     flatten                        0                   (a view of its input)
 *     softmax + cross-entropy        2 · classes         (p, and ∂logits)
 *   and, with augmentation on, the warped batch as bytes: in / 4 floats per sample.
 * The first layer keeps no ∂input: nothing reads it (Sequential.backward does not ask for it).
 * NOTE: what the layers hold after their first step, which is also the peak: no layer allocates
 * anything else per step. test/core/train/reference-memory.test.ts checks it to the byte.
 */
export function referenceEngineBytes(
  architecture: ModelArchitecture,
  batchSize: number,
  augmenting = false
): number {
  const layers = inferShapes(architecture)
  const input = inputSize(architecture)
  let perSample = input + 2 * architecture.outputSize + (augmenting ? input / 4 : 0)
  for (const { spec, inputShape, outputShape } of layers) {
    const inValues = spec === layers[0].spec ? 0 : shapeSize(inputShape) // ∂input
    const outValues = shapeSize(outputShape)
    switch (spec.kind) {
      case 'dense':
      case 'conv':
        perSample += outValues + inValues + (spec.activation === 'none' ? 0 : 2 * outValues)
        break
      case 'maxpool':
        perSample += 2 * outValues + inValues
        break
      case 'dropout':
        perSample += 2 * shapeSize(outputShape) + inValues
        break
      case 'flatten':
        break
    }
  }
  const parameters = layers.reduce((total, layer) => total + layer.parameters, 0)
  return 4 * (4 * parameters + batchSize * perSample)
}

/** The larger of the two engines' needs: a config is accepted only if it runs on either. */
export function runBytes(config: TrainConfig, trainCount: number): number {
  const { architecture, batchSize } = config
  return Math.max(
    fastRunBytes(architecture, batchSize, trainCount),
    referenceEngineBytes(architecture, batchSize, isAugmenting(config.augmentation))
  )
}

/**
 * Throws a ConfigError when the run would not fit RUN_MEMORY_BUDGET_BYTES: on `batchSize` with the
 * largest batch that fits these layers, or on the hidden sizes when not even one image does.
 */
export function checkConfigFitsMemory(config: TrainConfig, trainCount: number): void {
  const needed = runBytes(config, trainCount)
  if (needed <= RUN_MEMORY_BUDGET_BYTES) return
  const fits = (batchSize: number): boolean =>
    runBytes({ ...config, batchSize }, trainCount) <= RUN_MEMORY_BUDGET_BYTES
  const budget = `the studio's budget of ${gigabytes(RUN_MEMORY_BUDGET_BYTES)} per run`
  if (!fits(1)) {
    throw new ConfigError(
      'architecture.hiddenSizes',
      `these layers need more than ${budget} even one image at a time: use fewer or narrower hidden layers`
    )
  }
  // The need grows with the batch: the largest batch that fits, by bisection.
  let fitting = 1
  let tooLarge = config.batchSize
  while (tooLarge - fitting > 1) {
    const middle = Math.floor((fitting + tooLarge) / 2)
    if (fits(middle)) fitting = middle
    else tooLarge = middle
  }
  throw new ConfigError(
    'batchSize',
    `a batch of ${config.batchSize} needs ${gigabytes(needed)} of working memory with these layers, ` +
      `over ${budget}: at most ${fitting} images per batch fit (or use narrower hidden layers)`
  )
}

function gigabytes(bytes: number): string {
  return `${(bytes / 2 ** 30).toFixed(1)} GB`
}
