// The reference trainer: one training run computed by the readable engine (core/nn, core/optim), the
// specification the fast engine must match. Pure: no I/O, no timers, no globals.

import { fillBatch, fillBatchPixels, type Dataset } from '../data/dataset'
import { argmax } from '../nn/softmax'
import { SoftmaxCrossEntropy } from '../nn/softmax-cross-entropy'
import { Sequential } from '../nn/sequential'
import { createRng, deriveRng, type SeededRng } from '../random'
import { MatrixBuffer } from '../tensor/matrix'
import type { TrainConfig } from './config'
import { MinibatchTrainer, type BatchOutcome } from './minibatch-trainer'

export {
  batchesPerEpoch,
  checkConfigFitsDataset,
  type StepMetrics,
  type StepTrainer
} from './step-trainer'

/** Random stream of dropout's masks, independent of the weights' (createRng(seed)) and the data order's. */
const DROPOUT_STREAM = 2

/** The generator of a run's dropout masks: both engines draw the same masks from it, in the same order. */
export const dropoutMaskRng = (seed: number): SeededRng => deriveRng(seed, DROPOUT_STREAM)

/**
 * Trains with the layers' own forward and backward passes and the optimizer classes: every number of
 * a step can be followed in core/nn and core/optim. The schedule lives in MinibatchTrainer.
 */
export class Trainer extends MinibatchTrainer {
  readonly model: Sequential
  protected override readonly dropoutRng: SeededRng
  private readonly lossLayer: SoftmaxCrossEntropy
  private readonly visitOrder: Uint32Array
  private readonly batchInput = new MatrixBuffer()
  private readonly batchLabels: Uint8Array

  constructor(config: TrainConfig, trainSet: Dataset) {
    super(config, trainSet) // throws ConfigError when the config does not fit the data
    this.dropoutRng = dropoutMaskRng(config.seed)
    this.model = new Sequential(
      config.architecture,
      config.init,
      createRng(config.seed),
      this.dropoutRng
    )
    this.lossLayer = new SoftmaxCrossEntropy(config.architecture.outputSize)
    this.visitOrder = Uint32Array.from({ length: trainSet.count }, (_, i) => i)
    this.batchLabels = new Uint8Array(config.batchSize)
  }

  protected get order(): Uint32Array {
    return this.visitOrder
  }

  /** x, y ← the batch (pixels / 255);  logits ← model(x) in training mode;  L ← CE(softmax(logits), y). */
  protected forward(start: number, rows: number, augmented: Uint8Array | null): BatchOutcome {
    const x = this.batchInput.take(rows, this.trainSet.inputSize)
    const labels = this.batchLabels.subarray(0, rows)
    fillBatch(this.trainSet, this.visitOrder, start, x, labels)
    if (augmented) fillBatchPixels(augmented, x) // the same images, warped
    const loss = this.lossLayer.forward(this.model.forward(x, true), labels)
    const { data: p, cols: classes } = this.lossLayer.probabilities
    let correct = 0
    for (let r = 0; r < rows; r++) if (argmax(p, r * classes, classes) === labels[r]) correct++
    return { loss, correct }
  }

  /** Zero the gradients, back-propagate ∂L/∂logits = (p − onehot(y)) / B, and let the optimizer step. */
  protected update(): void {
    this.model.zeroGrad()
    this.model.backward(this.lossLayer.backward())
    this.optimizer.step(this.model.parameters())
  }
}
