// What `npm run train` prints: a start line, a progress bar (or JSON lines with --json), the
// evaluations, notes and the summary. train.ts decides what happens; this file only says it.

import {
  batchesPerEpoch,
  describeArchitecture,
  describeAugmentation,
  isAugmenting,
  type Evaluation,
  type StepMetrics,
  type StepTrainer,
  type TrainConfig
} from '../../core'
import { formatDuration, formatRate, ProgressReporter } from './progress'

const JSON_PROGRESS_INTERVAL_MS = 250

/** Everything the command prints, as human text or as JSON lines. */
export class TrainOutput {
  private readonly progressBar = new ProgressReporter(process.stderr)
  private lastJsonProgress = 0

  constructor(
    private readonly json: boolean,
    private readonly config: TrainConfig,
    private readonly trainer: StepTrainer
  ) {}

  start(trainName: string, trainCount: number, threads: number): void {
    const c = this.config
    const batches = batchesPerEpoch(c, trainCount)
    if (this.json) {
      this.line({
        event: 'start',
        config: c,
        totalSteps: this.trainer.totalSteps,
        stepsPerEpoch: batches,
        threads
      })
      return
    }
    const optimizer =
      c.optimizer.kind === 'sgd'
        ? `SGD${c.optimizer.momentum ? ` (momentum ${c.optimizer.momentum})` : ''}`
        : 'Adam'
    process.stdout.write(
      `Training ${describeArchitecture(c.architecture)} on ${trainName} (${trainCount} images)\n` +
        `${optimizer}, learning rate ${c.learningRate}, batch ${c.batchSize}, ${batches} batches × ${c.epochs} epoch${c.epochs > 1 ? 's' : ''}, ` +
        `${c.init} init, seed ${c.seed}` +
        (isAugmenting(c.augmentation)
          ? `, augmentation ${describeAugmentation(c.augmentation)}`
          : '') +
        `, ${threads} thread${threads > 1 ? 's' : ''}\n`
    )
  }

  progress(metrics: StepMetrics, trainMilliseconds: number): void {
    const samplesPerSec = metrics.samplesSeen / Math.max(trainMilliseconds / 1000, 1e-9)
    const stepsPerSec = metrics.step / Math.max(trainMilliseconds / 1000, 1e-9)
    const etaSeconds = (this.trainer.totalSteps - metrics.step) / stepsPerSec
    if (!this.json) {
      this.progressBar.update({
        metrics,
        totalSteps: this.trainer.totalSteps,
        epochs: this.config.epochs,
        samplesPerSec,
        etaSeconds
      })
      return
    }
    const now = performance.now()
    if (
      now - this.lastJsonProgress < JSON_PROGRESS_INTERVAL_MS &&
      metrics.step < this.trainer.totalSteps
    )
      return
    this.lastJsonProgress = now
    this.line({
      event: 'progress',
      ...metrics,
      totalSteps: this.trainer.totalSteps,
      samplesPerSec,
      etaSeconds
    })
  }

  evaluation(metrics: StepMetrics, evaluation: Evaluation): void {
    if (this.json) {
      this.line({
        event: 'evaluation',
        step: metrics.step,
        epoch: metrics.epoch,
        testAccuracy: evaluation.accuracy,
        testLoss: evaluation.loss
      })
      return
    }
    const where = this.trainer.atEpochEnd
      ? `epoch ${metrics.epoch}/${this.config.epochs}`
      : `step ${metrics.step}`
    this.progressBar.log(
      `${where}: test accuracy ${(evaluation.accuracy * 100).toFixed(2)}%, test loss ${evaluation.loss.toFixed(4)}`
    )
  }

  note(message: string): void {
    if (this.json) this.line({ event: 'note', message })
    else this.progressBar.log(message)
  }

  done(
    final: Evaluation,
    run: {
      samplesPerSec: number
      steps: number
      trainSeconds: number
      /** CPU seconds of all the threads while training (evaluations excepted). */
      trainCpuSeconds: number
      savePath: string | null
      stopped: boolean
      threads: number
      sharedFraction: number
    }
  ): void {
    this.progressBar.finish()
    if (this.json) {
      this.line({
        event: 'done',
        testAccuracy: final.accuracy,
        testLoss: final.loss,
        samplesPerSec: run.samplesPerSec,
        steps: run.steps,
        trainSeconds: run.trainSeconds,
        trainCpuSeconds: run.trainCpuSeconds,
        stopped: run.stopped,
        sharedFraction: run.sharedFraction,
        ...(run.savePath ? { saved: run.savePath } : {})
      })
      return
    }
    const cpuShare = run.trainCpuSeconds / Math.max(run.trainSeconds, 1e-9)
    process.stdout.write(
      `Test accuracy ${(final.accuracy * 100).toFixed(2)}% (loss ${final.loss.toFixed(4)}) after ${run.steps} steps; ` +
        `trained in ${formatDuration(run.trainSeconds)} at ${formatRate(run.samplesPerSec)} samples/s ` +
        `(${run.threads} thread${run.threads > 1 ? 's' : ''} using ${Math.round(cpuShare * 100)} % CPU` +
        (run.threads > 1
          ? `; the helper threads took part in ${Math.round(run.sharedFraction * 100)} % of the steps)`
          : ')') +
        '\n' +
        (run.savePath ? `Saved the model to ${run.savePath}\n` : '')
    )
  }

  private line(value: unknown): void {
    process.stdout.write(JSON.stringify(value) + '\n')
  }
}
