// The worker's state: the datasets, the current model (and its cached evaluation) and at most one run;
// handles each host command.

import { randomUUID } from 'node:crypto'
import {
  DEFAULT_TRAIN_CONFIG,
  evaluateOnEngine,
  type Evaluation,
  firstLayerSnapshot,
  MNIST_CLASSES,
  type StepTrainer,
  switchOptimizer,
  type TrainConfig,
  Trainer
} from '../../core'
import {
  StudioError,
  type BinaryFile,
  type ControlCommand,
  type EvaluationSummary,
  type ExplainStepRequest,
  type FeatureMapsResult,
  type GradientCheckReport,
  type GradientCheckRequest,
  type ImageSource,
  type LiveUpdate,
  type ModelSummary,
  type NetworkAtStep,
  type Prediction,
  type RunPoint,
  type SaliencyRequest,
  type SaliencyResult,
  type StartOptions,
  type StepThrough,
  type TestImagePage,
  type TestImageQuery,
  type TextFile,
  type WeightSnapshot,
  type WorkerVerbs
} from '../contract'
import type { CheckpointFiles } from '../files/checkpoint-files'
import type { DatasetPair } from '../files/datasets'
import { createThreadedTrainer, type ThreadedTrainerOptions } from '../parallel/threaded-trainer'
import { CurrentModel, type CachedEvaluation } from './current-model'
import {
  explainStep,
  gradientCheck,
  gradientCheckBatch,
  saliencyOf,
  type CheckBatch
} from './inspection'
import { exportModelFile, exportNpzFile, exportOnnxFile, readModelFile } from './model-files'
import { featureMapsOf, predict, summarize } from './model-views'
import { inspectedImage, queryTestImages } from './test-images'
import { EMIT_INTERVAL_MS, Throttle } from './throttle'
import { checkForkConfig, TimeTravel } from './time-travel'
import { TrainingRun, type Emit } from './training-run'

/** The worker's half of the verb table: one method per worker verb, named by it, taking parsed arguments. */
export class WorkerSession implements WorkerVerbs {
  /** What predictions, evaluations, inspections and exports use. Never null: see the constructor. */
  private current: CurrentModel
  /** Bumped for every new model, so that (generation, step) names one set of weights. */
  private generation = 0
  private cached: CachedEvaluation | null = null
  private run: TrainingRun | null = null
  /** The id of `run` (the latest run's, once it has ended). */
  private runId: string | null = null
  private readonly timeTravel: TimeTravel
  private runDone: Promise<void> = Promise.resolve()
  private checkBatch: CheckBatch | null = null

  /**
   * `threading`: the built helper thread (out/main/train-helper.js) that runs share their steps with,
   * and a thread count that overrides the defaults (electron/parallel/threaded-trainer.ts).
   */
  constructor(
    private readonly data: DatasetPair,
    private readonly emit: Emit,
    checkpointFiles: CheckpointFiles | null = null,
    private readonly threading: Pick<ThreadedTrainerOptions, 'helperScript' | 'threads'> = {}
  ) {
    this.timeTravel = new TimeTravel(data, checkpointFiles)
    // NOTE: there is always a model: the seed preset's initial weights until the first start, reset
    // or load, so that classifying, evaluating and the backprop explorer work from the first click.
    this.current = this.resetModel(DEFAULT_TRAIN_CONFIG)
  }

  /**
   * Ends any current run, then starts a new one: from fresh weights (config.seed), or for a fork
   * (options.fork) from exactly the parent's state at that step, with this config's hyperparameters.
   */
  async startTraining(config: TrainConfig, options: StartOptions = {}): Promise<void> {
    const { paused = false, pace = null, preset = null, autoPause = true, fork = null } = options
    await this.endRun()
    // Throws ConfigError if the config does not fit the data, an Error if a helper thread cannot start.
    const { trainer, close } = await createThreadedTrainer(config, this.data.train, this.threading)
    if (fork) await this.continueFrom(trainer, config, fork).catch(closeAndThrow(close))
    const runId = randomUUID()
    const checkpoints = this.timeTravel.begin(
      runId,
      config,
      trainer.stepsCompleted,
      trainer.totalSteps
    )
    const run = new TrainingRun(
      trainer,
      this.data.test,
      this.emit,
      { paused, pace, autoPause, checkpoints },
      (evaluation) => this.remember(evaluation)
    )
    this.replaceModel(
      new CurrentModel(trainer.model, { source: 'run', trainer, run }, this.nextGeneration())
    )
    this.run = run
    this.runId = runId
    this.emit({
      type: 'started',
      runId,
      config,
      preset,
      parent: fork,
      totalSteps: trainer.totalSteps,
      stepsPerEpoch: trainer.stepsPerEpoch,
      state: run.control.state
    })
    // NOTE: the run is over once its last event is out: a command after 'finished' must find no run.
    // Its last checkpoints are written before that event (TrainingRun.saveCheckpoints; the finish()
    // here only covers a run() that threw). Its helper threads end with it (the model, read by later
    // commands, stays readable), before any next run starts.
    const ended = run.run().finally(async () => {
      if (this.run === run) this.run = null
      await close()
    })
    this.runDone = ended.then(() => checkpoints.saver?.finish())
  }

  /** The network after a step of a run (current or recorded): see TimeTravel.networkAt. */
  networkAtStep(point: RunPoint): Promise<NetworkAtStep> {
    return this.timeTravel.networkAt(point, this.liveStepsOf(point.runId))
  }

  /** A conv net's feature maps for one image after a step of a run: see TimeTravel.featureMapsAt. */
  featureMapsAtStep(point: RunPoint, source: ImageSource): Promise<FeatureMapsResult> {
    const image = inspectedImage(source, this.data.test)
    return this.timeTravel.featureMapsAt(point, this.liveStepsOf(point.runId), image)
  }

  /** The steps run `runId` has trained so far when it is the one training, else null (it has ended). */
  private liveStepsOf(runId: string): number | null {
    return this.run && this.runId === runId ? this.current.step : null
  }

  controlTraining(command: ControlCommand): void {
    if (this.run) this.run.apply(command)
    else if (command !== 'stop') {
      throw new StudioError({
        code: 'no-run',
        message: `cannot ${command}: no training run is in progress (start one first)`
      })
    }
  }

  updateTraining(update: LiveUpdate): void {
    this.run?.update(update)
  }

  /** Ends any run and rebuilds the model from config: the same seed gives the same initial weights. */
  async resetTraining(config: TrainConfig): Promise<void> {
    await this.endRun()
    this.replaceModel(this.resetModel(config))
    this.emit({ type: 'reset', config })
    this.emit({ type: 'weights', snapshot: firstLayerSnapshot(this.current.model, 0) })
  }

  predict(pixels: Float32Array): Prediction {
    return predict(this.current.model, pixels)
  }

  /** The whole test set through the current model, with progress events; reuses a fresh cached result. */
  evaluateModel(): EvaluationSummary {
    const total = this.data.test.count
    const evaluation = this.evaluation((done) =>
      this.emit({ type: 'evaluationProgress', done, total })
    )
    return summarize(evaluation)
  }

  queryTestImages(query: TestImageQuery): TestImagePage {
    return queryTestImages(this.data.test, this.evaluation(), query)
  }

  saliency(request: SaliencyRequest): SaliencyResult {
    const image = inspectedImage(request.source, this.data.test)
    return saliencyOf(this.current.model, image.input, request.classIndex)
  }

  featureMaps(source: ImageSource): FeatureMapsResult {
    const image = inspectedImage(source, this.data.test)
    return featureMapsOf(this.current.model, image, this.current.step)
  }

  explainStep(request: ExplainStepRequest): StepThrough {
    const image = inspectedImage(request.source, this.data.test)
    return explainStep(
      this.current.model,
      image,
      request.learningRate ?? this.current.learningRate,
      request.label
    )
  }

  checkGradients(request: GradientCheckRequest): GradientCheckReport {
    this.checkBatch ??= gradientCheckBatch(this.data.test)
    return gradientCheck(this.current.model, this.checkBatch, request)
  }

  /** The current model's first layer, for a window that opens after the last 'weights' event. */
  getWeights(): WeightSnapshot {
    return firstLayerSnapshot(this.current.model, this.current.step)
  }

  getModel(): ModelSummary {
    return this.current.summary(this.cached)
  }

  exportModel(): TextFile {
    return exportModelFile(this.current, this.data.train, this.cached)
  }

  exportNpz(): BinaryFile {
    return exportNpzFile(this.current, this.data.train)
  }

  exportOnnx(): BinaryFile {
    return exportOnnxFile(this.current, this.data.train)
  }

  /**
   * Makes a model file the current model. Everything that can fail (parsing, validation, fitting the
   * dataset) happens before anything changes, so a bad file leaves the run and the model as they were.
   */
  importModel(text: string, fileName: string): Promise<ModelSummary> {
    return this.load(text, fileName)
  }

  /** Makes an ONNX file the current model, as importModel does (read operator by operator first). */
  importOnnx(bytes: Uint8Array, fileName: string): Promise<ModelSummary> {
    return this.load(bytes, fileName)
  }

  private async load(content: string | Uint8Array, fileName: string): Promise<ModelSummary> {
    const { model, file } = readModelFile(content, this.data.train, MNIST_CLASSES)
    await this.endRun()
    this.replaceModel(
      new CurrentModel(model, { source: 'loaded', file, fileName }, this.nextGeneration())
    )
    const summary = this.getModel()
    this.emit({ type: 'modelLoaded', model: summary })
    this.emit({ type: 'weights', snapshot: firstLayerSnapshot(model, summary.step) })
    return summary
  }

  /**
   * The test-set evaluation of the current weights: the cached one if it is of exactly these weights,
   * else a new one. `onProgress` hears about 10 times a second, and always at the start and the end.
   */
  private evaluation(onProgress?: (done: number) => void): Evaluation {
    const version = this.current.version
    const total = this.data.test.count
    if (this.cached?.version === version) {
      onProgress?.(total)
      return this.cached.evaluation
    }
    onProgress?.(0)
    const throttle = new Throttle(EMIT_INTERVAL_MS)
    // NOTE: synchronous, like the run's own evaluations: a run waits for it between two steps.
    const evaluation = evaluateOnEngine(this.current.model, this.data.test, {
      onProgress: (done) => {
        if (done < total && !throttle.due) return
        onProgress?.(done)
        throttle.mark()
      }
    })
    this.cached = { version, evaluation }
    return evaluation
  }

  private remember(evaluation: Evaluation): void {
    this.cached = { version: this.current.version, evaluation }
  }

  private resetModel(config: TrainConfig): CurrentModel {
    const trainer = new Trainer(config, this.data.train) // the run's own construction: same seed, same weights
    return new CurrentModel(trainer.model, { source: 'reset', config }, this.nextGeneration())
  }

  private replaceModel(model: CurrentModel): void {
    this.current = model
    this.cached = null // PERF: 10 000 predictions of weights that are gone
  }

  private nextGeneration(): number {
    return ++this.generation
  }

  /** Puts a fork's fresh trainer at its parent's state (its optimizer's state mapped to the fork's
   *  optimizer: switchOptimizer), then sets the fork's own hyperparameters. */
  private async continueFrom(
    trainer: StepTrainer,
    config: TrainConfig,
    fork: RunPoint
  ): Promise<void> {
    const { parent, state } = await this.timeTravel.stateAt(fork)
    checkForkConfig(parent, config)
    trainer.restoreState(switchOptimizer(state, parent.optimizer, config.optimizer))
    trainer.setLearningRate(config.learningRate)
    if (config.optimizer.kind === 'sgd') trainer.setMomentum(config.optimizer.momentum)
  }

  private async endRun(): Promise<void> {
    this.run?.apply('stop')
    await this.runDone
  }
}

/** A rejection handler that ends a trainer's helper threads, then rethrows. */
function closeAndThrow(close: () => Promise<void>): (error: unknown) => Promise<never> {
  return async (error) => {
    await close()
    throw error
  }
}
