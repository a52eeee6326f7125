// One input through a model: the class probabilities and the predicted class (inference, no loss).

import type { Sequential } from '../nn/sequential'
import { argmax, softmaxRow } from '../nn/softmax'
import { Matrix } from '../tensor/matrix'

export interface Classification {
  /** p = softmax(z) over the model's logits z, float32 [classes]. */
  readonly probabilities: Float32Array
  /** argmax p: the first most probable class. */
  readonly predicted: number
}

/**
 * p = softmax(model(x)) and its argmax for one input x [inputSize] (pixels in [0, 1] for MNIST).
 * The parameters are left unchanged; only the layers' forward caches are overwritten.
 */
export function classify(model: Sequential, input: Float32Array): Classification {
  const logits = model.forward(new Matrix(1, input.length, input))
  const probabilities = new Float32Array(logits.cols)
  softmaxRow(logits.data, probabilities, 0, logits.cols)
  return { probabilities, predicted: argmax(probabilities) }
}
