// What the worker shows of the model: first-layer weight snapshots, evaluation summaries, predictions.

import { classify, type Evaluation, type Sequential } from '../../core'
import type { EvaluationSummary, Prediction, WeightSnapshot } from '../contract'

/** A copy of the first dense layer's weight [out, in]: row r is unit r's weights (a 28×28 image). */
export function firstLayerSnapshot(model: Sequential, step: number): WeightSnapshot {
  const dense = model.denseLayers[0]
  return {
    layer: dense.weight.name,
    step,
    rows: dense.outFeatures,
    cols: dense.inFeatures,
    // Without a hidden layer the first layer is the output layer: one row per class (a digit).
    rowsAre: model.denseLayers.length === 1 ? 'classes' : 'units',
    // NOTE: a copy, because training keeps changing the live array while the message is in flight.
    data: dense.weight.data.slice()
  }
}

/** The evaluation without its per-image arrays (10 000 predictions do not belong in a UI message). */
export function summarize(evaluation: Evaluation): EvaluationSummary {
  const { predictions: _predictions, confidences: _confidences, ...summary } = evaluation
  return summary
}

/** Class probabilities for one input row of `inputSize` values in [0, 1]. */
export function predict(model: Sequential, pixels: Float32Array): Prediction {
  const { probabilities, predicted } = classify(model, pixels)
  if (!probabilities.every(Number.isFinite)) {
    throw new Error(
      'the model gives no finite probabilities (its weights diverged): reset or start a new run'
    )
  }
  return { probabilities: Array.from(probabilities), predicted }
}
