// What the conv step-through keeps between its forward and backward passes: each tensor with its
// symbol and shape, each layer's record, and how a tensor becomes a stage.

import type { ActivationKind } from '../nn/activations'
import type { Conv2D } from '../nn/conv2d'
import type { Dense } from '../nn/dense'
import type { MaxPool2D } from '../nn/maxpool2d'
import type { Stage, StagePhase } from './stages'

/** A tensor of the step: its symbol ('z1'), its shape as stored, its values. */
export interface Tensor {
  readonly symbol: string
  readonly dims: readonly number[]
  readonly values: Float32Array
}

/** What the forward pass remembers of each layer for the backward pass. */
export type Traced =
  | { readonly kind: 'conv'; readonly layer: Conv2D; readonly l: number; readonly input: Tensor }
  | { readonly kind: 'dense'; readonly layer: Dense; readonly l: number; readonly input: Tensor }
  | {
      readonly kind: 'activation'
      readonly activation: ActivationKind
      readonly layerName: string
      readonly input: Tensor
      readonly output: Tensor
    }
  | {
      readonly kind: 'pool'
      readonly layer: MaxPool2D
      readonly input: Tensor
      readonly winners: Uint32Array
    }
  | { readonly kind: 'flatten'; readonly name: string; readonly input: Tensor }

/** How a formula writes each nonlinearity. */
export const ACTIVATION_NAMES: Record<ActivationKind, string> = {
  relu: 'ReLU',
  sigmoid: 'σ',
  tanh: 'tanh'
}

/** A shape as the learner reads it: (6, 28, 28). */
export const shape = (dims: readonly number[]) => `(${dims.join(', ')})`

/** A stage's words: its title, formula and shapes, and the engine layer and parameter it shows. */
export interface StageDetails {
  readonly title: string
  readonly formula: string
  readonly shapes: string
  readonly layer?: string
  readonly parameter?: string
  /** A dense weight stage, stored [out, in] while its formula reads (in, out). */
  readonly storedTransposed?: boolean
}

/** Appends one tensor as a stage. */
export type AddStage = (phase: StagePhase, tensor: Tensor, details: StageDetails) => void

/** The stage of `tensor`: a [C, H, W] tensor is C rows of H·W values, a row (1, n) one row of n. */
export function tensorStage(phase: StagePhase, tensor: Tensor, details: StageDetails): Stage {
  const { dims, values } = tensor
  const rows = dims.length === 1 ? 1 : dims[0]
  return {
    id: tensor.symbol,
    phase,
    value: { rows, cols: values.length / rows, values },
    dims,
    ...details,
    storedTransposed: details.storedTransposed ?? false
  }
}
