// Evaluation on a held-out set: accuracy, loss, the confusion matrix and per-class accuracy.

import { fillBatch, sequentialOrder, type Dataset } from '../data/dataset'
import type { Sequential } from '../nn/sequential'
import { argmax } from '../nn/softmax'
import { SoftmaxCrossEntropy } from '../nn/softmax-cross-entropy'
import { MatrixBuffer } from '../tensor/matrix'

export interface Evaluation {
  readonly count: number
  /** Fraction classified correctly. */
  readonly accuracy: number
  /** Mean cross-entropy. */
  readonly loss: number
  /** confusion[trueClass][predictedClass] = number of images. Rows sum to each class's count. */
  readonly confusion: number[][]
  /** Images of each true class. */
  readonly classCounts: number[]
  /** Per true class: correct / count (0 for a class with no images; see classCounts). */
  readonly perClassAccuracy: number[]
  /** The predicted class of every image, in dataset order. */
  readonly predictions: Uint8Array
  /** The probability the model gave its prediction, for every image (how confident it was). */
  readonly confidences: Float32Array
}

export interface EvaluateOptions {
  /** Images per forward pass; larger is faster, up to cache limits. */
  batchSize?: number
  /** Called after each batch with (images done, total), for progress bars. */
  onProgress?: (done: number, total: number) => void
}

/** Runs the model over the whole dataset (no training) and summarises how it did. */
export function evaluate(
  model: Sequential,
  dataset: Dataset,
  { batchSize = 500, onProgress }: EvaluateOptions = {}
): Evaluation {
  const classes = model.architecture.outputSize
  const loss = new SoftmaxCrossEntropy(classes)
  const input = new MatrixBuffer()
  const labels = new Uint8Array(batchSize)
  const order = sequentialOrder(dataset.count)
  const tally = new EvaluationTally(dataset.count, classes)

  for (let start = 0; start < dataset.count; start += batchSize) {
    const rows = Math.min(batchSize, dataset.count - start)
    const x = input.take(rows, dataset.inputSize)
    const batchLabels = labels.subarray(0, rows)
    fillBatch(dataset, order, start, x, batchLabels)
    const batchLoss = loss.forward(model.forward(x), batchLabels)
    const p = loss.probabilities
    for (let r = 0; r < rows; r++) {
      const predicted = argmax(p.data, r * classes, classes)
      tally.add(start + r, batchLabels[r], predicted, p.data[r * classes + predicted])
    }
    tally.addLoss(batchLoss * rows)
    onProgress?.(start + rows, dataset.count)
  }
  return tally.result()
}

/**
 * Collects per-image outcomes into an Evaluation; shared by `evaluate` (the reference layers) and
 * `evaluateFast` (the fast engine), so both summarise in exactly the same way.
 */
export class EvaluationTally {
  private readonly confusion: number[][]
  private readonly predictions: Uint8Array
  private readonly confidences: Float32Array
  private totalLoss = 0
  private correct = 0

  constructor(
    private readonly count: number,
    classes: number
  ) {
    this.confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0))
    this.predictions = new Uint8Array(count)
    this.confidences = new Float32Array(count)
  }

  /** Image `index` (true class `label`) was read as `predicted`, with probability `confidence`. */
  add(index: number, label: number, predicted: number, confidence: number): void {
    this.predictions[index] = predicted
    this.confidences[index] = confidence
    this.confusion[label][predicted]++
    if (predicted === label) this.correct++
  }

  /** Adds to the summed cross-entropy (the mean is taken over all images at the end). */
  addLoss(summedLoss: number): void {
    this.totalLoss += summedLoss
  }

  result(): Evaluation {
    const { count, confusion } = this
    const classCounts = confusion.map((row) => row.reduce((a, b) => a + b, 0))
    return {
      count,
      accuracy: count === 0 ? 0 : this.correct / count,
      loss: count === 0 ? 0 : this.totalLoss / count,
      confusion,
      classCounts,
      perClassAccuracy: confusion.map((row, c) =>
        classCounts[c] === 0 ? 0 : row[c] / classCounts[c]
      ),
      predictions: this.predictions,
      confidences: this.confidences
    }
  }
}
