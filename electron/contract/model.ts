// The current model as the views see it: predictions, test images, saliency, step-through, gradient
// checks, and the files it is saved to and loaded from.

import type { GradientCheck, ModelArchitecture, ModelMetrics, TrainConfig } from '../../core'

/** Class probabilities for one input, from the current model (training or loaded). */
export interface Prediction {
  readonly probabilities: readonly number[]
  readonly predicted: number
}

/** An image to inspect: a test-set image by index, or 784 pixels in [0, 1] the user dropped or drew. */
export type ImageSource =
  | { readonly kind: 'test'; readonly index: number }
  | { readonly kind: 'pixels'; readonly pixels: Float32Array }

/** Which test images to list. Filters combine; predictions come from the current model. */
export interface TestImageQuery {
  readonly trueClass?: number
  readonly predictedClass?: number
  readonly onlyMistakes?: boolean
  /** 'confidence-desc': most confident first (how a confusion cell's images are ranked). */
  readonly order: 'confidence-desc' | 'confidence-asc' | 'index'
  readonly offset: number
  /** At most MAX_TEST_IMAGES_PER_PAGE. */
  readonly limit: number
}

export const MAX_TEST_IMAGES_PER_PAGE = 200

export interface TestImage {
  readonly index: number
  readonly label: number
  readonly predicted: number
  /** The probability the model gave its prediction. */
  readonly confidence: number
  /** rows × cols bytes, 0 = background, 255 = ink, as in the IDX file. */
  readonly pixels: Uint8Array
}

export interface TestImagePage {
  /** How many images match the filters (for paging). */
  readonly total: number
  readonly offset: number
  readonly items: readonly TestImage[]
}

export interface SaliencyRequest {
  readonly source: ImageSource
  /** The class whose logit is explained; default: the predicted class. */
  readonly classIndex?: number
}

export interface SaliencyResult {
  /** The 784 input values the network saw, in [0, 1]. */
  readonly input: Float32Array
  /** ∂logit[classIndex]/∂input: positive pixels push the class up, negative ones down. */
  readonly map: Float32Array
  readonly classIndex: number
  readonly predicted: number
  readonly probabilities: readonly number[]
}

export interface ExplainStepRequest {
  readonly source: ImageSource
  /** The true label to compute the loss against; default: the test label, or the prediction for pixels. */
  readonly label?: number
  /** For the update stages; default: the current config's learning rate. */
  readonly learningRate?: number
}

export interface GradientCheckRequest {
  /** e.g. 'dense1.weight'. */
  readonly parameter: string
  /** Specific weights to check (e.g. the heatmap pixel clicked), at most MAX_GRADIENT_CHECKS. */
  readonly indices?: readonly number[]
  /** Or: this many weights sampled at random (seeded), at most MAX_GRADIENT_CHECKS. */
  readonly sampleCount?: number
  /**
   * Or: the this-many weights with the largest |dL/dw| on the check's batch, largest first, at most
   * MAX_GRADIENT_CHECKS: weights that matter, where a check says most (not a blank corner pixel).
   */
  readonly strongest?: number
}

export const MAX_GRADIENT_CHECKS = 1000

export interface GradientCheckReport {
  readonly checks: readonly GradientCheck[]
  /** The worst relative error among checks not on a ReLU kink (see GradientCheck.kink). */
  readonly worstRelativeError: number
  /** How many checks sat on a kink and were left out of the worst error. */
  readonly kinks: number
  /** The fixed minibatch the loss is computed on (the first test images). */
  readonly batchSize: number
}

/** The model the studio currently holds: from the current or last run, a reset, or a loaded file. */
export interface ModelSummary {
  readonly source: 'run' | 'reset' | 'loaded'
  readonly architecture: ModelArchitecture
  readonly trainingConfig: TrainConfig | null
  readonly metrics: ModelMetrics
  /** Training steps behind these weights (0 after a reset). */
  readonly step: number
  /** The loaded file's name, for 'loaded'. */
  readonly fileName: string | null
}

/** A file for the renderer to save (a download in browser mode; Electron shows its save dialog). */
export interface TextFile {
  readonly fileName: string
  readonly text: string
}

export interface BinaryFile {
  readonly fileName: string
  readonly bytes: Uint8Array
}

/** The largest model file importModel accepts (base64 JSON; the 784-128-10 MLP is about 0.6 MB). */
export const MAX_MODEL_FILE_BYTES = 64 * 1024 * 1024
