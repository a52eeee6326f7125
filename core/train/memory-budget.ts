// How much working memory a run needs, on either engine, and the budget it must fit in: a config too
// large for it is refused before anything is allocated, with the largest batch that fits.

import { ConfigError } from '../errors'
import { fastEngineBytes } from '../fast/engine'
import { denseForm, inputSize, type ModelArchitecture } from '../nn/architecture'
import { countParameters } from '../nn/shapes'
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
 * Bytes the reference engine (Trainer) allocates, as float32:
 *   parameters P, their gradients, and the optimizer's two moments (Adam; SGD's velocity is one): 4P
 *   the batch x [B, in]; per dense layer its output [B, out] and ∂x [B, in]; per activation its output
 *   and ∂input [B, width]; the loss's probabilities and ∂logits [B, C]
 */
export function referenceEngineBytes(architecture: ModelArchitecture, batchSize: number): number {
  const dense = denseForm(architecture)
  if (!dense) return 0 // NOTE: conv nets are not estimated yet (see runBytes)
  const { inputSize: pixels, hiddenSizes, outputSize } = dense
  const sizes = [pixels, ...hiddenSizes, outputSize]
  let perRow = pixels + 2 * outputSize
  for (let i = 0; i + 1 < sizes.length; i++) perRow += sizes[i + 1] + sizes[i]
  for (const width of hiddenSizes) perRow += 2 * width
  return 4 * (4 * countParameters(architecture) + batchSize * perRow)
}

/** The larger of the two engines' needs: a config is accepted only if it runs on either. */
export function runBytes(config: TrainConfig, trainCount: number): number {
  const { architecture, batchSize } = config
  const fast = fastRunBytes(architecture, batchSize, trainCount)
  // TODO(issue 15 item 5): the reference engine's conv layers have no estimate yet; conv nets train on
  // the fast engine, whose plan is exact.
  if (!denseForm(architecture)) return fast
  return Math.max(fast, referenceEngineBytes(architecture, batchSize))
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
