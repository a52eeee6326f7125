// What the rest of the studio relies on from a trainer, whichever engine computes its steps, and the
// checks that fit a config to a dataset.

import { ConfigError } from '../errors'
import { classCount, type Dataset } from '../data/dataset'
import { imageMismatch } from '../nn/architecture'
import type { Sequential } from '../nn/sequential'
import type { Optimizer } from '../optim/optimizer'
import type { TrainConfig } from './config'
import type { HealthSample } from './health'
import { checkConfigFitsMemory } from './memory-budget'
import type { StepMetrics } from './step-metrics'
import type { TrainerState } from './trainer-state'

export type { StepMetrics } from './step-metrics'

/** The first image of a step's batch, as the network saw it (warped, when augmentation is on). */
export interface BatchImage {
  /** rows × cols bytes, 0 = background, 255 = ink. */
  readonly pixels: Uint8Array
  readonly label: number
}

/** How many minibatches one epoch has for this config and training set (the last may be smaller). */
export function batchesPerEpoch(config: TrainConfig, trainSize: number): number {
  const available = Math.ceil(trainSize / config.batchSize)
  return config.batchCount === 'all' ? available : config.batchCount
}

/**
 * Checks what parseTrainConfig cannot know: that the config fits this dataset, and the run fits the
 * memory budget (memory-budget.ts). Throws a ConfigError naming the field, e.g. a batch larger than the
 * training set. `classes`: how many classes the labels name (the host, holding no labels, says).
 */
export function checkConfigFitsDataset(
  config: TrainConfig,
  train: Dataset,
  classes = classCount(train.labels)
): void {
  const mismatch = imageMismatch(
    config.architecture,
    train.rows,
    train.cols,
    `${train.name} images`
  )
  if (mismatch) throw new ConfigError('architecture.inputShape', `the model ${mismatch}`)
  // NOTE: at least, not exactly: an output with no images of its class is still a well-defined class
  // (its logit is only ever pushed down), and a custom IDX set with fewer classes (digits 0–4) can still
  // train the ten-output presets. Fewer outputs than classes would read outside the probability rows.
  if (config.architecture.outputSize < classes) {
    throw new ConfigError(
      'architecture.outputSize',
      `the model has ${config.architecture.outputSize} outputs but ${train.name} has ${classes} ` +
        `classes (labels 0–${classes - 1}): it needs at least ${classes}, one per class`
    )
  }
  if (train.count === 0) throw new ConfigError('dataset', `${train.name} has no images`)
  if (config.batchSize > train.count) {
    throw new ConfigError(
      'batchSize',
      `${config.batchSize} is larger than the training set (${train.count} images)`
    )
  }
  const available = Math.ceil(train.count / config.batchSize)
  if (config.batchCount !== 'all' && config.batchCount > available) {
    throw new ConfigError(
      'batchCount',
      `${config.batchCount} batches of ${config.batchSize} need ${config.batchCount * config.batchSize} images per ` +
        `epoch, but ${train.name} has ${train.count} (at most ${available} batches; or use "all")`
    )
  }
  checkConfigFitsMemory(config, train.count)
}

/**
 * What the app needs of a trainer, whichever engine computes the steps: Trainer (the reference),
 * FastTrainer (core/train/fast-trainer.ts) and ParallelTrainer (electron/parallel/) provide it.
 */
export interface StepTrainer {
  /** The model with the current weights in the canonical layout (W [out, in]). */
  readonly model: Sequential
  readonly optimizer: Optimizer
  readonly stepsPerEpoch: number
  readonly totalSteps: number
  readonly config: TrainConfig
  readonly stepsCompleted: number
  readonly samplesSeen: number
  readonly epoch: number
  readonly done: boolean
  readonly atEpochEnd: boolean
  step(): StepMetrics
  setLearningRate(learningRate: number): void
  setMomentum(momentum: number): void
  /** Asks the next step to measure the network's health on its batch (core/train/health-probe.ts). */
  requestHealth(): void
  /** What the last step measured, when requestHealth asked it to; else null. */
  readonly lastHealth: HealthSample | null
  /** The first image of the last step's batch, with its label (null before any step). */
  lastBatchImage(): BatchImage | null
  /** The whole state between steps (core/train/trainer-state.ts). */
  captureState(): TrainerState
  /** Goes on from `state` as if never stopped (same config and data; throws ConfigError otherwise). */
  restoreState(state: TrainerState): void
}
