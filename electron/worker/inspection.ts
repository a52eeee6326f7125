// Looking inside the current model: saliency maps, one step of backprop laid open, gradient checks.
// Thin adapters from the contract's requests to core/explain; they never change the weights.

import {
  analyticGradient,
  checkGradients,
  createRng,
  fillBatch,
  Matrix,
  saliency,
  sampleIndices,
  sequentialOrder,
  stepThrough,
  strongestIndices,
  type Dataset,
  type Sequential,
  type StepThrough
} from '../../core'
import type { GradientCheckReport, GradientCheckRequest, SaliencyResult } from '../contract'
import { predict } from './model-views'
import type { InspectedImage } from './test-images'

/** The fixed minibatch gradient checks compute the loss on: the first test images. */
export const GRADIENT_CHECK_BATCH = 32
/** Seed of the sampler for "check N random weights": the same request checks the same weights. */
const GRADIENT_SAMPLE_SEED = 1

export interface CheckBatch {
  readonly x: Matrix
  readonly labels: Uint8Array
}

/** ∂logit[c]/∂input for one image; c defaults to the predicted class. */
export function saliencyOf(
  model: Sequential,
  input: Float32Array,
  classIndex?: number
): SaliencyResult {
  const { probabilities, predicted } = predict(model, input)
  const explained = classIndex ?? predicted
  return {
    input,
    map: saliency(model, input, explained),
    classIndex: explained,
    predicted,
    probabilities
  }
}

/** core's stepThrough; the label defaults to the test label, or to the prediction for the user's own image. */
export function explainStep(
  model: Sequential,
  image: InspectedImage,
  learningRate: number,
  label?: number
): StepThrough {
  const target = label ?? image.label ?? predict(model, image.input).predicted
  return stepThrough(model, image.input, target, learningRate)
}

/** The first GRADIENT_CHECK_BATCH test images as a batch (fewer if the test set is smaller). */
export function gradientCheckBatch(test: Dataset): CheckBatch {
  const rows = Math.min(GRADIENT_CHECK_BATCH, test.count)
  const x = new Matrix(rows, test.inputSize)
  const labels = new Uint8Array(rows)
  fillBatch(test, sequentialOrder(rows), 0, x, labels)
  return { x, labels }
}

/**
 * Checks the requested weights (or a seeded sample of them) and reports the worst relative error among
 * the checks that are not on a ReLU kink (there the finite difference measures no derivative at all).
 */
export function gradientCheck(
  model: Sequential,
  batch: CheckBatch,
  request: GradientCheckRequest
): GradientCheckReport {
  const parameter = model.parameters().find((p) => p.name === request.parameter)
  if (!parameter)
    throw new RangeError(`parameter: the current model has no parameter named ${request.parameter}`)
  const indices =
    request.indices ??
    (request.strongest !== undefined
      ? strongestIndices(
          analyticGradient(model, batch.x, batch.labels, request.parameter),
          request.strongest
        )
      : sampleIndices(
          parameter.data.length,
          request.sampleCount ?? 1,
          createRng(GRADIENT_SAMPLE_SEED)
        ))
  const checks = checkGradients(model, batch.x, batch.labels, request.parameter, indices)
  const worstRelativeError = checks.reduce(
    (worst, check) => (check.kink ? worst : Math.max(worst, check.relativeError)),
    0
  )
  const kinks = checks.filter((check) => check.kink).length
  return { checks, worstRelativeError, kinks, batchSize: batch.x.rows }
}
