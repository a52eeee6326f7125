// The worker's state: the datasets, the current model and at most one run; handles each host command.

import { randomUUID } from 'node:crypto'
import { Trainer, type TrainConfig } from '../../core'
import type { ControlCommand, LiveUpdate, Prediction } from '../contract'
import type { DatasetPair } from '../host/datasets'
import { firstLayerSnapshot, predict } from './model-views'
import { TrainingRun, type Emit } from './training-run'

export class WorkerSession {
  /** The model predictions use: the current run's, or the last one built (finished, stopped or reset). */
  private trainer: Trainer | null = null
  private run: TrainingRun | null = null
  private runDone: Promise<void> = Promise.resolve()

  constructor(
    private readonly data: DatasetPair,
    private readonly emit: Emit
  ) {}

  /** Ends any current run, then starts a new one from fresh weights (config.seed). */
  async start(config: TrainConfig, paused: boolean): Promise<void> {
    await this.endRun()
    const trainer = new Trainer(config, this.data.train) // throws ConfigError if it does not fit the data
    const run = new TrainingRun(trainer, this.data.test, this.emit, paused)
    this.trainer = trainer
    this.run = run
    this.emit({
      type: 'started',
      runId: randomUUID(),
      config,
      totalSteps: trainer.totalSteps,
      stepsPerEpoch: trainer.stepsPerEpoch,
      state: run.control.state
    })
    this.runDone = run.run().finally(() => {
      if (this.run === run) this.run = null
    })
  }

  control(command: ControlCommand): void {
    if (this.run) this.run.apply(command)
    else if (command !== 'stop') throw new Error(`cannot ${command}: no training run is in progress (start one first)`)
  }

  update(update: LiveUpdate): void {
    this.run?.update(update)
  }

  /** Ends any run and rebuilds the model from config: the same seed gives the same initial weights. */
  async reset(config: TrainConfig): Promise<void> {
    await this.endRun()
    const trainer = new Trainer(config, this.data.train)
    this.trainer = trainer
    this.emit({ type: 'reset', config })
    this.emit({ type: 'weights', snapshot: firstLayerSnapshot(trainer.model, 0) })
  }

  predict(pixels: Float32Array): Prediction {
    if (!this.trainer) throw new Error('there is no model yet: start training or reset first')
    return predict(this.trainer.model, pixels)
  }

  private async endRun(): Promise<void> {
    this.run?.apply('stop')
    await this.runDone
  }
}
