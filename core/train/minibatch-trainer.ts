// What every trainer shares, whatever engine computes its steps: the schedule (which batch of which
// epoch comes next, in which seeded order), the divergence check, the counters and the live settings
// (held by the optimizer, their one owner).

import { ConfigError } from '../errors'
import { augmentationRng, augmentBatch, isAugmenting } from '../data/augment'
import { fillBatch, fillBatchPixels, type Dataset } from '../data/dataset'
import type { Sequential } from '../nn/sequential'
import type { Optimizer } from '../optim/optimizer'
import { deriveRng, shuffleInPlace, type SeededRng } from '../random'
import { Matrix } from '../tensor/matrix'
import { checkNumber, type TrainConfig } from './config'
import { DivergenceWatch, TrainingDivergedError } from './divergence'
import type { HealthSample } from './health'
import { HealthProbe } from './health-probe'
import { createOptimizer } from './optimizers'
import {
  batchesPerEpoch,
  checkConfigFitsDataset,
  type BatchImage,
  type StepMetrics,
  type StepTrainer
} from './step-trainer'
import {
  captureSlots,
  checkStateFits,
  findSlot,
  type NamedValues,
  type SlotValues,
  type TrainerState,
  type TrainingEngine
} from './trainer-state'

/** Random stream used for the data order, independent of the one used to initialise weights. */
const SHUFFLE_STREAM = 1

/** How one minibatch went before the update: its mean loss and how many rows were classified right. */
export interface BatchOutcome {
  readonly loss: number
  readonly correct: number
}

/**
 * Minibatch training, one step at a time, so a caller (CLI, worker, test) decides the pace:
 *   for each step: x, y ← next minibatch (warped, when augmentation is on);  logits ← model(x);
 *                  L ← CE(softmax(logits), y)
 *                  if L is not finite, or its smoothed value exploded: stop, weights untouched
 *                  backprop ∂L/∂logits;  the optimizer updates every parameter
 * Each epoch visits the training set in a fresh seeded random order, and starts at the learning rate
 * of the one before times learningRateDecay (1: constant). With augmentation on, each image
 * of a batch is warped by a random shift, rotation and scale drawn for that step (core/data/augment.ts),
 * here, for both engines alike. Subclasses say how a batch is computed (`forward`, then `update`);
 * everything else lives here, once.
 */
export abstract class MinibatchTrainer implements StepTrainer {
  readonly optimizer: Optimizer
  readonly stepsPerEpoch: number
  readonly totalSteps: number
  /** The config the run started with; the live hyperparameters are the optimizer's (see `config`). */
  private readonly startConfig: TrainConfig
  private readonly orderRng: SeededRng
  private readonly divergence: DivergenceWatch
  private stepsDone = 0
  private samples = 0
  /** The current batch's warped images [batchSize, inputSize], when augmentation is on. */
  private readonly augmented: Uint8Array | null
  /** Whether the next step measures the network's health (requestHealth), and what the last one measured. */
  private healthWanted = false
  private health: HealthSample | null = null
  /** Where the last step's batch starts in the order, and its warped images (augmentation on). */
  private lastBatch: { start: number; augmented: Uint8Array | null } | null = null

  constructor(
    config: TrainConfig,
    readonly trainSet: Dataset
  ) {
    checkConfigFitsDataset(config, trainSet)
    this.startConfig = config
    this.optimizer = createOptimizer(config)
    this.stepsPerEpoch = batchesPerEpoch(config, trainSet.count)
    this.totalSteps = this.stepsPerEpoch * config.epochs
    this.orderRng = deriveRng(config.seed, SHUFFLE_STREAM)
    this.divergence = new DivergenceWatch(config.architecture.outputSize)
    this.augmented = isAugmenting(config.augmentation)
      ? new Uint8Array(config.batchSize * trainSet.inputSize)
      : null
  }

  /** The model with the current weights, in the canonical layout (W [out, in]). */
  abstract get model(): Sequential

  /** The order in which the training images are visited (reshuffled here at each epoch's start). */
  protected abstract get order(): Uint32Array

  /**
   * Forward pass (and whatever the engine does before the update) for the images order[start …
   * start+rows), or, when augmentation is on, for `augmented`: the same images warped, [rows, inputSize]
   * bytes in batch order (their labels are still those of order[start …]).
   */
  protected abstract forward(
    start: number,
    rows: number,
    augmented: Uint8Array | null
  ): BatchOutcome

  /** Backward pass and optimizer update for the batch `forward` just saw. */
  protected abstract update(rows: number): void

  /** Which engine this is (a state replays exactly only on the engine that captured it). */
  protected readonly engine: TrainingEngine = 'reference'

  /** The dropout masks' stream, or null when the engine draws none. */
  protected readonly dropoutRng: SeededRng | null = null

  /**
   * Copies of every parameter (canonical layout, model order) and the optimizer's nonzero slots: here,
   * of the model's own parameters, which the optimizer updates (an engine with working copies overrides).
   */
  protected captureValues(): { parameters: NamedValues[]; slots: SlotValues[] } {
    const params = this.model.parameters()
    const parameters = params.map((p) => ({ name: p.name, data: p.data.slice() }))
    const slots = captureSlots(this.optimizer, parameters, (slot) =>
      params.map((p) => this.optimizer.slot(slot, p))
    )
    return { parameters, slots }
  }

  /** Sets every parameter and optimizer slot from a state checkStateFits accepted (missing slots: 0). */
  protected restoreValues(state: TrainerState): void {
    this.model.parameters().forEach((p, i) => {
      p.data.set(state.parameters[i].data)
      for (const slot of this.optimizer.slotNames) {
        const buffer = this.optimizer.slot(slot, p)
        const values = findSlot(state, slot, p.name)
        if (values) buffer.set(values)
        else buffer.fill(0)
      }
    })
  }

  /** The trainer's whole state now, between steps (see TrainerState): restore it to go on exactly. */
  captureState(): TrainerState {
    const { parameters, slots } = this.captureValues()
    return {
      engine: this.engine,
      step: this.stepsDone,
      epoch: Math.floor(this.stepsDone / this.stepsPerEpoch) + 1,
      batchInEpoch: this.stepsDone % this.stepsPerEpoch,
      samplesSeen: this.samples,
      learningRate: this.optimizer.learningRate,
      momentum: this.optimizer.momentum ?? null,
      parameters,
      optimizerKind: this.startConfig.optimizer.kind,
      optimizerSteps: this.optimizer.stepCount ?? 0,
      slots,
      order: this.order.slice(),
      orderStream: this.orderRng.position(),
      dropoutStream: this.dropoutRng?.position() ?? 0,
      divergence: this.divergence.state
    }
  }

  /**
   * Puts this trainer where `state` was captured: the next step is the one that would have followed.
   * The trainer must be built from the same config (hyperparameters may differ: the state's are set,
   * change them afterwards to fork) on the same training set. Throws ConfigError when it does not fit.
   */
  restoreState(state: TrainerState): void {
    checkStateFits(
      state,
      this.engine,
      this.model.parameters(),
      this.startConfig.optimizer.kind,
      this.optimizer
    )
    if (state.order.length !== this.order.length || state.step > this.totalSteps)
      throw new ConfigError(
        'resume',
        `the checkpoint at step ${state.step} does not fit this run (${this.order.length} images, ` +
          `${this.totalSteps} steps)`
      )
    this.restoreValues(state)
    this.optimizer.learningRate = state.learningRate
    if (state.momentum !== null) this.optimizer.momentum = state.momentum
    if (this.optimizer.stepCount !== undefined) this.optimizer.stepCount = state.optimizerSteps
    this.order.set(state.order)
    this.orderRng.moveTo(state.orderStream)
    this.dropoutRng?.moveTo(state.dropoutStream)
    this.divergence.restore(state.divergence)
    this.stepsDone = state.step
    this.samples = state.samplesSeen
  }

  /** The config as it stands now: the start config with the optimizer's learning rate and momentum
   *  (both may change mid-run). */
  get config(): TrainConfig {
    const { learningRate, momentum } = this.optimizer
    const start = this.startConfig
    return {
      ...start,
      learningRate,
      optimizer: momentum === undefined ? start.optimizer : { kind: 'sgd', momentum }
    }
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
    return Math.min(Math.floor(this.stepsDone / this.stepsPerEpoch) + 1, this.startConfig.epochs)
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
   * Throws TrainingDivergedError (before touching the weights) when the loss is NaN or infinite, or
   * when its smoothed value exploded far above its start (core/train/divergence.ts); the error carries
   * the step's metrics when its loss was finite.
   */
  step(): StepMetrics {
    if (this.done)
      throw new Error(`training is complete (${this.totalSteps} steps); start a new run`)
    const batchInEpoch = this.stepsDone % this.stepsPerEpoch
    if (batchInEpoch === 0) {
      shuffleInPlace(this.order, this.orderRng)
      // The schedule: lr ← lr · decay between epochs (learningRateDecay), from whatever rate is live.
      if (this.stepsDone > 0) this.optimizer.learningRate *= this.startConfig.learningRateDecay
    }
    const start = batchInEpoch * this.startConfig.batchSize
    const rows = Math.min(this.startConfig.batchSize, this.trainSet.count - start)

    const augmented = this.augmentBatch(start, rows)
    this.lastBatch = { start, augmented }
    this.health = null
    // NOTE: the probe runs before the engine's forward pass: on the reference engine it shares the
    // layers' caches, which the step's own forward then overwrites.
    const probe = this.healthWanted ? this.probeHealth(start, rows, augmented) : null
    this.healthWanted = false
    const { loss, correct } = this.forward(start, rows, augmented)
    const stepNumber = this.stepsDone + 1
    const metrics: StepMetrics = {
      step: stepNumber,
      epoch: Math.floor((stepNumber - 1) / this.stepsPerEpoch) + 1,
      batchInEpoch: batchInEpoch + 1,
      loss,
      accuracy: correct / rows,
      samplesSeen: this.samples + rows,
      learningRate: this.optimizer.learningRate
    }
    const diverged = this.divergence.observe(stepNumber, loss)
    if (diverged) {
      // The weights are still those that gave the loss: measure them there, for the culprit's name.
      const health = (probe ?? this.probeHealth(start, rows, augmented)).finish(null)
      throw new TrainingDivergedError(diverged, Number.isFinite(loss) ? metrics : null, health)
    }
    this.update(rows)
    if (probe) this.health = probe.finish(this.model)

    this.stepsDone = stepNumber
    this.samples += rows
    return metrics
  }

  /** Asks the next step to measure the network's health on its batch (see HealthProbe). */
  requestHealth(): void {
    this.healthWanted = true
  }

  /** What the last step measured, when requestHealth asked it to; else null. */
  get lastHealth(): HealthSample | null {
    return this.health
  }

  /** The first image of the last step's batch (a diverged step's too), with its label; null before any. */
  lastBatchImage(): BatchImage | null {
    if (!this.lastBatch) return null
    const { start, augmented } = this.lastBatch
    const size = this.trainSet.inputSize
    const sample = this.order[start]
    const pixels = augmented
      ? augmented.slice(0, size)
      : this.trainSet.pixels.slice(sample * size, (sample + 1) * size)
    return { pixels, label: this.trainSet.labels[sample] }
  }

  /** A health probe of the canonical model on the batch order[start …] (or its warped images). */
  private probeHealth(start: number, rows: number, augmented: Uint8Array | null): HealthProbe {
    const x = new Matrix(rows, this.trainSet.inputSize)
    const labels = new Uint8Array(rows)
    fillBatch(this.trainSet, this.order, start, x, labels)
    if (augmented) fillBatchPixels(augmented, x)
    return HealthProbe.measure(this.model, x, labels, this.stepsDone + 1)
  }

  /** The next step's images, warped, or null when augmentation is off. */
  private augmentBatch(start: number, rows: number): Uint8Array | null {
    if (!this.augmented) return null
    const rng = augmentationRng(this.startConfig.seed, this.stepsDone)
    const { augmentation } = this.startConfig
    augmentBatch(this.trainSet, this.order, start, rows, augmentation, rng, this.augmented)
    return this.augmented.subarray(0, rows * this.trainSet.inputSize)
  }

  /** Changes the learning rate from the next step on. */
  setLearningRate(learningRate: number): void {
    const problem = checkNumber('learningRate', learningRate)
    if (problem) throw new ConfigError('learningRate', problem)
    this.optimizer.learningRate = learningRate
  }

  /** Changes SGD's momentum from the next step on (Adam has no momentum setting). */
  setMomentum(momentum: number): void {
    const problem = checkNumber('momentum', momentum)
    if (problem) throw new ConfigError('optimizer.momentum', problem)
    if (this.optimizer.momentum === undefined)
      throw new ConfigError('optimizer.momentum', 'only SGD has a momentum setting')
    this.optimizer.momentum = momentum
  }
}
