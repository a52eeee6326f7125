// What the worker shows of the model: first-layer weight snapshots, evaluation summaries, predictions.

import { classify, Conv2D, type Evaluation, type Sequential } from '../../core'
import type { EvaluationSummary, Prediction, WeightSnapshot } from '../contract'

/**
 * A copy of the first layer's weights, one row per picture: a dense layer's [out, in] (row r is unit r's
 * weights, a 28×28 image), or a conv layer's filters as rows of k·k values (row o·C + c is filter o's
 * channel c; for MNIST's one channel, row o is filter o).
 */
export function firstLayerSnapshot(model: Sequential, step: number): WeightSnapshot {
  const layer = model.firstWeightedLayer
  const [rows, cols] =
    layer instanceof Conv2D
      ? [layer.filters * layer.inputShape.channels, layer.kernel * layer.kernel]
      : [layer.outFeatures, layer.inFeatures]
  return {
    layer: layer.weight.name,
    step,
    rows,
    cols,
    // A dense first layer without a hidden layer after it is the output layer: one row per class.
    rowsAre:
      layer instanceof Conv2D ? 'filters' : model.denseLayers.length === 1 ? 'classes' : 'units',
    // NOTE: a copy, because training keeps changing the live array while the message is in flight.
    data: layer.weight.data.slice()
  }
}

/** The evaluation without its per-image arrays (10 000 predictions do not belong in a UI message). */
export function summarize(evaluation: Evaluation): EvaluationSummary {
  const { predictions: _predictions, confidences: _confidences, ...summary } = evaluation
  return summary
}

/** Class probabilities for one input row of C·H·W values in [0, 1]. */
export function predict(model: Sequential, pixels: Float32Array): Prediction {
  const { probabilities, predicted } = classify(model, pixels)
  if (!probabilities.every(Number.isFinite)) {
    throw new Error(
      'the model gives no finite probabilities (its weights diverged): reset or start a new run'
    )
  }
  return { probabilities: Array.from(probabilities), predicted }
}
