// The step-through's vocabulary: a stage (one tensor of one forward, backward or update, with its
// formula and shapes) and the whole step on one image. Dense and conv step-throughs both produce it.

import type { ConvStepDetails } from './conv-window'

export interface StageMatrix {
  readonly rows: number
  readonly cols: number
  readonly values: Float32Array
}

export type StagePhase = 'forward' | 'backward' | 'update'

export interface Stage {
  /** Short symbol: 'x', 'z1', 'a1', 'p', 'loss', 'dz2', 'dW2', 'db2', 'da1', 'dz1', 'W1′', … */
  readonly id: string
  readonly phase: StagePhase
  /** What the learner is looking at, in words. */
  readonly title: string
  /** The formula, e.g. 'z1 = x · W1 + b1'. */
  readonly formula: string
  /** The shapes of the formula, e.g. '(1, 784) · (784, 10) + (1, 10) → (1, 10)'. */
  readonly shapes: string
  readonly value: StageMatrix
  /** For weight-shaped stages (W, dW, W′): the stored layout is [units, inputs], the transpose of the numpy shape. */
  readonly storedTransposed: boolean
  /**
   * Conv nets' stages only: the tensor's shape as stored, e.g. [6, 28, 28] for feature maps (then
   * value.rows = 6 maps of value.cols = 28·28), [6, 1, 5, 5] for filters, [1, 400] for a row.
   */
  readonly dims?: readonly number[]
  /** Conv nets' stages only: the engine layer the stage belongs to ('conv1', 'pool1', 'dense2'). */
  readonly layer?: string
  /** Conv nets' weight and bias stages only: the engine's parameter ('conv1.weight'). */
  readonly parameter?: string
}

export interface StepThrough {
  readonly stages: readonly Stage[]
  readonly label: number
  readonly predicted: number
  readonly loss: number
  readonly probabilities: Float32Array
  /**
   * Each weighted layer's weights before the update (layer 1 first), stored like the W′ stages: a
   * dense layer's [out, in], a conv layer's [O, C, k, k].
   */
  readonly weightsBefore: readonly Float32Array[]
  /** A conv net's conv and pooling layers, to write out one pixel's window (conv-window). */
  readonly convolution?: ConvStepDetails
}
