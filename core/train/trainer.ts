// One training run: owns the model, the optimizer and the data order. Pure: no I/O, no timers, no globals.

import { ConfigError, TrainingDivergedError } from '../errors'
import { fillBatch, type Dataset } from '../data/dataset'
import { argmaxRow, SoftmaxCrossEntropy } from '../nn/softmax-cross-entropy'
import { Sequential } from '../nn/sequential'
import type { Optimizer } from '../optim/optimizer'
import { Sgd } from '../optim/sgd'
import { createRng, deriveRng, shuffleInPlace, type Rng } from '../random'
import { MatrixBuffer } from '../tensor/matrix'
import { checkNumber, type TrainConfig } from './config'
import { createOptimizer } from './optimizers'

/** What one training step reports. Counters are 1-based: the first step is step 1 of epoch 1. */
export interface StepMetrics {
  readonly step: number
  readonly epoch: number
  readonly batchInEpoch: number
  /** Mean cross-entropy of this minibatch, before the update. */
  readonly loss: number
  /** Fraction of this minibatch classified correctly, before the update. */
  readonly accuracy: number
  readonly samplesSeen: number
  readonly learningRate: number
}

/** Random stream used for the data order, independent of the one used to initialise weights. */
const SHUFFLE_STREAM = 1

/** How many minibatches one epoch has for this config and training set (the last may be smaller). */
export function batchesPerEpoch(config: TrainConfig, trainSize: number): number {
  const available = Math.ceil(trainSize / config.batchSize)
  return config.batchCount === 'all' ? available : config.batchCount
}

/**
 * Checks what parseTrainConfig cannot know: that the config fits this dataset.
 * Throws a ConfigError naming the field, e.g. a batch larger than the training set.
 */
export function checkConfigFitsDataset(config: TrainConfig, train: Dataset): void {
  if (config.architecture.inputSize !== train.inputSize) {
    throw new ConfigError(
      'architecture.inputSize',
      `the model takes ${config.architecture.inputSize} inputs but ${train.name} images have ` +
        `${train.rows}×${train.cols} = ${train.inputSize} pixels`
    )
  }
  if (train.count === 0) throw new ConfigError('dataset', `${train.name} has no images`)
  if (config.batchSize > train.count) {
    throw new ConfigError('batchSize', `${config.batchSize} is larger than the training set (${train.count} images)`)
  }
  const available = Math.ceil(train.count / config.batchSize)
  if (config.batchCount !== 'all' && config.batchCount > available) {
    throw new ConfigError(
      'batchCount',
      `${config.batchCount} batches of ${config.batchSize} need ${config.batchCount * config.batchSize} images per ` +
        `epoch, but ${train.name} has ${train.count} (at most ${available} batches; or use "all")`
    )
  }
}

/**
 * What the app needs of a trainer, whichever engine computes the steps: Trainer (the reference, below),
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
}

/**
 * Runs minibatch SGD-style training one step at a time, so a caller (CLI, worker, test) decides the pace:
 *   for each step: x, y ← next minibatch;  logits ← model(x);  L ← CE(softmax(logits), y)
 *                  zero grads;  backprop ∂L/∂logits;  optimizer updates every parameter
 * Each epoch visits the training set in a fresh seeded random order.
 */
export class Trainer implements StepTrainer {
  readonly model: Sequential
  readonly optimizer: Optimizer
  readonly stepsPerEpoch: number
  readonly totalSteps: number
  private settings: TrainConfig
  private readonly lossLayer: SoftmaxCrossEntropy
  private readonly order: Uint32Array
  private readonly orderRng: Rng
  private readonly batchInput = new MatrixBuffer()
  private readonly batchLabels: Uint8Array
  private stepsDone = 0
  private samples = 0

  constructor(
    config: TrainConfig,
    readonly trainSet: Dataset
  ) {
    checkConfigFitsDataset(config, trainSet)
    this.settings = config
    this.model = new Sequential(config.architecture, config.init, createRng(config.seed))
    this.optimizer = createOptimizer(config)
    this.lossLayer = new SoftmaxCrossEntropy(config.architecture.outputSize)
    this.stepsPerEpoch = batchesPerEpoch(config, trainSet.count)
    this.totalSteps = this.stepsPerEpoch * config.epochs
    this.order = Uint32Array.from({ length: trainSet.count }, (_, i) => i)
    this.orderRng = deriveRng(config.seed, SHUFFLE_STREAM)
    this.batchLabels = new Uint8Array(config.batchSize)
  }

  /** The config as it stands now (learning rate and momentum may have changed since the start). */
  get config(): TrainConfig {
    return this.settings
  }

  /** Steps completed so far. */
  get stepsCompleted(): number {
    return this.stepsDone
  }

  get samplesSeen(): number {
    return this.samples
  }

  /** The epoch the next step belongs to (1-based), or the last epoch when done. */
  get epoch(): number {
    return Math.min(Math.floor(this.stepsDone / this.stepsPerEpoch) + 1, this.settings.epochs)
  }

  get done(): boolean {
    return this.stepsDone >= this.totalSteps
  }

  /** True when the last completed step finished an epoch. */
  get atEpochEnd(): boolean {
    return this.stepsDone > 0 && this.stepsDone % this.stepsPerEpoch === 0
  }

  /**
   * Trains on one minibatch and returns its metrics.
   * Throws TrainingDivergedError (before touching the weights) when the loss is NaN or infinite.
   */
  step(): StepMetrics {
    if (this.done) throw new Error(`training is complete (${this.totalSteps} steps); start a new run`)
    const batchInEpoch = this.stepsDone % this.stepsPerEpoch
    if (batchInEpoch === 0) shuffleInPlace(this.order, this.orderRng)

    const start = batchInEpoch * this.settings.batchSize
    const rows = Math.min(this.settings.batchSize, this.trainSet.count - start)
    const x = this.batchInput.take(rows, this.trainSet.inputSize)
    const labels = this.batchLabels.subarray(0, rows)
    fillBatch(this.trainSet, this.order, start, x, labels)

    const logits = this.model.forward(x)
    const loss = this.lossLayer.forward(logits, labels)
    const stepNumber = this.stepsDone + 1
    if (!Number.isFinite(loss)) throw new TrainingDivergedError(stepNumber, loss)
    const probabilities = this.lossLayer.probabilities
    let correct = 0
    for (let r = 0; r < rows; r++) if (argmaxRow(probabilities, r) === labels[r]) correct++

    this.model.zeroGrad()
    this.model.backward(this.lossLayer.backward())
    this.optimizer.step(this.model.parameters())

    this.stepsDone = stepNumber
    this.samples += rows
    return {
      step: stepNumber,
      epoch: Math.floor((stepNumber - 1) / this.stepsPerEpoch) + 1,
      batchInEpoch: batchInEpoch + 1,
      loss,
      accuracy: correct / rows,
      samplesSeen: this.samples,
      learningRate: this.optimizer.learningRate
    }
  }

  /** Changes the learning rate from the next step on. */
  setLearningRate(learningRate: number): void {
    const problem = checkNumber('learningRate', learningRate)
    if (problem) throw new ConfigError('learningRate', problem)
    this.optimizer.learningRate = learningRate
    this.settings = { ...this.settings, learningRate }
  }

  /** Changes SGD's momentum from the next step on (Adam has no momentum setting). */
  setMomentum(momentum: number): void {
    const problem = checkNumber('momentum', momentum)
    if (problem) throw new ConfigError('optimizer.momentum', problem)
    if (!(this.optimizer instanceof Sgd) || this.settings.optimizer.kind !== 'sgd') {
      throw new ConfigError('optimizer.momentum', 'only SGD has a momentum setting')
    }
    this.optimizer.momentum = momentum
    this.settings = { ...this.settings, optimizer: { kind: 'sgd', momentum } }
  }
}
