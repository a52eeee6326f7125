// Picks the engine a run trains and evaluates on: the fast WebAssembly engine where it can run, else the reference.

import type { Dataset } from '../data/dataset'
import { MAX_ENCODED_PIXELS } from '../fast/encoding'
import { fastEngineBytes } from '../fast/engine'
import type { ModelArchitecture } from '../nn/architecture'
import type { Sequential } from '../nn/sequential'
import type { TrainConfig } from './config'
import { evaluate, type EvaluateOptions, type Evaluation } from './evaluate'
import { evaluateFast } from './fast-evaluate'
import { FastTrainer } from './fast-trainer'
import { Trainer, type StepTrainer } from './trainer'
import type { TrainingEngine } from './trainer-state'

/**
 * 'reference': the readable Trainer (plain TypeScript loops, the specification).
 * 'fast': FastTrainer, the same run computed by our WebAssembly SIMD kernels (about 15× faster per step).
 */
export type { TrainingEngine }

export const TRAINING_ENGINES: readonly TrainingEngine[] = ['reference', 'fast']

/** Whether the fast engine can train on `trainSet` here (WebAssembly present; images ≤ 65 536 pixels). */
export function fastEngineAvailable(trainSet: Dataset): boolean {
  return (
    typeof (globalThis as { WebAssembly?: unknown }).WebAssembly === 'object' &&
    trainSet.inputSize <= MAX_ENCODED_PIXELS
  )
}

/**
 * Whether the fast engine can run this architecture: every list whose shapes check out (dense nets
 * on FastNetwork, every other list of conv, pool, flatten, dropout and dense layers on ConvNetwork).
 */
export function fastEngineSupports(architecture: ModelArchitecture): boolean {
  try {
    fastEngineBytes(architecture, 1)
    return true
  } catch {
    return false
  }
}

/** Whether asking for `engine` gives the fast engine here: 'fast', where it can run (see createTrainer). */
export function trainsOnFastEngine(
  config: TrainConfig,
  trainSet: Dataset,
  engine: TrainingEngine = 'fast'
): boolean {
  return (
    engine === 'fast' && fastEngineAvailable(trainSet) && fastEngineSupports(config.architecture)
  )
}

/**
 * A trainer for `config` on `trainSet`. Both engines give the same run (same initial weights, data
 * order and formulas) up to float32 rounding; 'fast' falls back to the reference where it cannot run
 * (no WebAssembly, or a net it does not support: fastEngineSupports).
 */
export function createTrainer(
  config: TrainConfig,
  trainSet: Dataset,
  engine: TrainingEngine = 'fast'
): StepTrainer {
  return trainsOnFastEngine(config, trainSet, engine)
    ? new FastTrainer(config, trainSet)
    : new Trainer(config, trainSet)
}

/**
 * `evaluate(model, dataset)` on `engine`: the fast engine's forward passes (evaluateFast, ~16× faster on
 * the MLP) where it can run, else the reference layers. The same Evaluation up to float32 rounding.
 */
export function evaluateOnEngine(
  model: Sequential,
  dataset: Dataset,
  options: EvaluateOptions = {},
  engine: TrainingEngine = 'fast'
): Evaluation {
  return engine === 'fast' && fastEngineAvailable(dataset) && fastEngineSupports(model.architecture)
    ? evaluateFast(model, dataset, options)
    : evaluate(model, dataset, options)
}
