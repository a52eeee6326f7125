// The fast trainer: the same run as Trainer (same init, same data order, same formulas, same metrics)
// computed by the WebAssembly SIMD engine in core/fast/, optionally with helper threads.

import { ConfigError, TrainingDivergedError } from '../errors'
import type { Dataset } from '../data/dataset'
import { encodedOffsets } from '../fast/encoding'
import { FastNetwork } from '../fast/network'
import { planNetwork } from '../fast/layout'
import { serialWork, type WorkSharing } from '../fast/step-work'
import { Sequential } from '../nn/sequential'
import type { Optimizer } from '../optim/optimizer'
import { Sgd } from '../optim/sgd'
import { createRng, deriveRng, shuffleInPlace, type Rng } from '../random'
import { createMemory, type WasmMemory } from '../wasm/runtime'
import { checkNumber, type TrainConfig } from './config'
import { createOptimizer } from './optimizers'
import { batchesPerEpoch, checkConfigFitsDataset, type StepMetrics, type StepTrainer } from './trainer'

/** Same stream number as Trainer's, so both visit the data in the same order. */
const SHUFFLE_STREAM = 1

export interface FastTrainerOptions {
  /** Who runs the chunks of each step: this thread alone (default) or helper threads too. */
  readonly work?: WorkSharing
  /** The memory to build the engine in (shared with the helper threads, if any; at least
   *  planNetwork(architecture, batchSize, trainSet.count, encodedOffsets(trainSet)[count]).bytes). */
  readonly memory?: WasmMemory
  /** encodedOffsets(trainSet), when the caller has already computed it. */
  readonly datasetOffsets?: Uint32Array
}

/**
 * Trains exactly like Trainer, step for step, but on the fast engine (core/fast/network.ts):
 * same initial weights (built by Sequential from config.seed), same shuffled order, same loss and metrics.
 * Results match Trainer's up to float32 rounding (sums run in a different order), and are identical
 * from run to run, and with or without helper threads.
 *
 * NOTE: the weights live in the engine's working layout while training. `model` returns the Sequential
 * holding the canonical weights (W [out, in]), copied back from the working layout when it is read:
 * read `trainer.model` after a step (the object stays the same; its arrays are refreshed on access).
 * PERF: plain SGD and momentum run as SIMD kernels; Adam runs core/optim/adam.ts over the working copies.
 */
export class FastTrainer implements StepTrainer {
  readonly optimizer: Optimizer
  readonly stepsPerEpoch: number
  readonly totalSteps: number
  readonly network: FastNetwork
  private readonly canonical: Sequential
  private canonicalStale = false
  private settings: TrainConfig
  private readonly orderRng: Rng
  private readonly work: WorkSharing
  private stepsDone = 0
  private samples = 0

  constructor(
    config: TrainConfig,
    readonly trainSet: Dataset,
    { work = serialWork, memory, datasetOffsets }: FastTrainerOptions = {}
  ) {
    checkConfigFitsDataset(config, trainSet)
    this.settings = config
    this.work = work
    this.canonical = new Sequential(config.architecture, config.init, createRng(config.seed))
    // PERF: the training set is encoded once into the engine's memory (nonzero pixels only: 27 MB for
    // MNIST, ~0.1 s), so a step gathers its images' pixel lists instead of copying and scanning bytes.
    const offsets = datasetOffsets ?? encodedOffsets(trainSet)
    const { count } = trainSet
    const entries = offsets[count]
    const layoutBytes = planNetwork(config.architecture, config.batchSize, count, entries).bytes
    this.network = new FastNetwork(config.architecture, config.batchSize, memory ?? createMemory(layoutBytes, false), count, entries)
    this.network.initialise()
    this.network.loadWeights(this.canonical)
    this.network.loadDataset(trainSet, offsets)
    const order = this.network.order
    for (let i = 0; i < order.length; i++) order[i] = i
    this.network.setGradientRowWeights(0, pixelOccupancy(trainSet))
    this.optimizer = createOptimizer(config)
    this.stepsPerEpoch = batchesPerEpoch(config, trainSet.count)
    this.totalSteps = this.stepsPerEpoch * config.epochs
    this.orderRng = deriveRng(config.seed, SHUFFLE_STREAM)
  }

  /** The model with the current weights (copied back from the working layout when they changed). */
  get model(): Sequential {
    if (this.canonicalStale) {
      this.network.storeWeights(this.canonical)
      this.canonicalStale = false
    }
    return this.canonical
  }

  get config(): TrainConfig {
    return this.settings
  }

  get stepsCompleted(): number {
    return this.stepsDone
  }

  get samplesSeen(): number {
    return this.samples
  }

  get epoch(): number {
    return Math.min(Math.floor(this.stepsDone / this.stepsPerEpoch) + 1, this.settings.epochs)
  }

  get done(): boolean {
    return this.stepsDone >= this.totalSteps
  }

  get atEpochEnd(): boolean {
    return this.stepsDone > 0 && this.stepsDone % this.stepsPerEpoch === 0
  }

  /** One minibatch, as Trainer.step; throws TrainingDivergedError before touching the weights. */
  step(): StepMetrics {
    if (this.done) throw new Error(`training is complete (${this.totalSteps} steps); start a new run`)
    const batchInEpoch = this.stepsDone % this.stepsPerEpoch
    const net = this.network
    if (batchInEpoch === 0) shuffleInPlace(net.order, this.orderRng)
    const start = batchInEpoch * this.settings.batchSize
    const rows = Math.min(this.settings.batchSize, this.trainSet.count - start)
    const batch = net.datasetBatch(start)

    // Job 1, shared by batch rows: forward, loss, backward.
    const plan = this.work.beginStep(rows)
    this.work.run({ kind: 'rows', chunks: plan.rowChunks, rows, source: batch }, net)
    let totalLoss = 0
    let correct = 0
    for (let r = 0; r < rows; r++) {
      totalLoss += net.rowLoss(r)
      if (net.rowCorrect(r)) correct++
    }
    const loss = totalLoss / rows
    const stepNumber = this.stepsDone + 1
    if (!Number.isFinite(loss)) throw new TrainingDivergedError(stepNumber, loss)

    // Job 2, shared by weight rows: gradients, with the SGD update fused in (other optimizers after).
    const sgd = this.optimizer instanceof Sgd ? this.optimizer : null
    this.work.run({ kind: 'gradients', splits: plan.gradientSplits, rows, sgd }, net)
    if (!sgd) this.optimizer.step(net.parameters)
    this.canonicalStale = true

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

  setLearningRate(learningRate: number): void {
    const problem = checkNumber('learningRate', learningRate)
    if (problem) throw new ConfigError('learningRate', problem)
    this.optimizer.learningRate = learningRate
    this.settings = { ...this.settings, learningRate }
  }

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

/** How often each pixel is nonzero in (up to) the first 2 000 images: the cost of its gradient row. */
function pixelOccupancy(dataset: Dataset): Float64Array {
  const counts = new Float64Array(dataset.inputSize)
  const images = Math.min(dataset.count, 2000)
  for (let i = 0; i < images * dataset.inputSize; i++) if (dataset.pixels[i] !== 0) counts[i % dataset.inputSize]++
  for (let p = 0; p < counts.length; p++) counts[p] += 1 // every row costs something, even an empty one
  return counts
}
