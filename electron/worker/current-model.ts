// The model the studio currently holds (a run's, a reset's or a loaded file's) and what it says about itself.

import {
  DEFAULT_TRAIN_CONFIG,
  type Evaluation,
  type ModelFile,
  type Sequential,
  type StepTrainer
} from '../../core'
import type { ModelMetrics, ModelSummary, TrainConfig } from '../contract'
import type { TrainingRun } from './training-run'

/** Where the weights came from; each source knows its own config and step count. */
export type ModelOrigin =
  | { readonly source: 'run'; readonly trainer: StepTrainer; readonly run: TrainingRun }
  | { readonly source: 'reset'; readonly config: TrainConfig }
  | { readonly source: 'loaded'; readonly file: ModelFile; readonly fileName: string }

/** A cached test-set evaluation, valid only while the model's `version` is the one it was computed for. */
export interface CachedEvaluation {
  readonly version: string
  readonly evaluation: Evaluation
}

export class CurrentModel {
  /**
   * @param generation bumped by the session for every new model (start, reset, load), so that with
   *   the step count it names one set of weights: see `version`.
   */
  constructor(
    private readonly weights: Sequential,
    readonly origin: ModelOrigin,
    readonly generation: number
  ) {}

  /**
   * The weights as they are now.
   * NOTE: a run's trainer is asked every time: the fast engine trains a working copy of the weights
   * and refreshes its canonical model (W [out, in]) only when `trainer.model` is read.
   */
  get model(): Sequential {
    return this.origin.source === 'run' ? this.origin.trainer.model : this.weights
  }

  /** Training steps behind these weights. */
  get step(): number {
    const origin = this.origin
    if (origin.source === 'run') return origin.trainer.stepsCompleted
    if (origin.source === 'reset') return 0
    return origin.file.metrics.steps ?? 0
  }

  /**
   * Changes whenever the weights do: a new model (generation) or a training step (step).
   * NOTE: derived rather than counted, so the training loop needs no hook to keep it up to date.
   */
  get version(): string {
    return `${this.generation}:${this.step}`
  }

  get trainingConfig(): TrainConfig | null {
    const origin = this.origin
    if (origin.source === 'run') return origin.trainer.config // live: learning rate may have changed
    if (origin.source === 'reset') return origin.config
    return origin.file.trainingConfig
  }

  /** The default learning rate for "what would one SGD step do" (a loaded file may have no config). */
  get learningRate(): number {
    return this.trainingConfig?.learningRate ?? DEFAULT_TRAIN_CONFIG.learningRate
  }

  /** What a saved model file records; test results only from an evaluation of exactly these weights. */
  metrics(cached: CachedEvaluation | null): ModelMetrics {
    const origin = this.origin
    const base: ModelMetrics =
      origin.source === 'run'
        ? {
            steps: origin.trainer.stepsCompleted,
            samplesSeen: origin.trainer.samplesSeen,
            trainSeconds: origin.run.elapsedSeconds
          }
        : origin.source === 'reset'
          ? { steps: 0, samplesSeen: 0 }
          : origin.file.metrics
    if (!cached || cached.version !== this.version) return base
    return { ...base, testAccuracy: cached.evaluation.accuracy, testLoss: cached.evaluation.loss }
  }

  summary(cached: CachedEvaluation | null): ModelSummary {
    return {
      source: this.origin.source,
      architecture: this.model.architecture,
      trainingConfig: this.trainingConfig,
      metrics: this.metrics(cached),
      step: this.step,
      fileName: this.origin.source === 'loaded' ? this.origin.fileName : null
    }
  }
}
