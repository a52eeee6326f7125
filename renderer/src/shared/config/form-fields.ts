// The hyperparameter form's fields: what the user has typed (the draft), and what each field is called
// and means, in words for a learner. config-form.ts turns a draft into a TrainConfig.

import type { ActivationKind } from '@core/nn/activations'
import type { InitKind } from '@core/nn/init'
import type { OptimizerKind } from '@core/train/config'

/** What the user has typed: text for numbers (so "abc" can be shown and explained), choices as-is. */
export interface ConfigDraft {
  readonly learningRate: string
  readonly batchCount: string
  readonly batchSize: string
  readonly epochs: string
  /** The hidden layers in the compact syntax (core/nn/layer-syntax.ts): "128, 64" or "conv5x5x6, pool2, …". */
  readonly layers: string
  readonly activation: ActivationKind
  readonly init: InitKind
  readonly optimizer: OptimizerKind
  readonly momentum: string
  readonly beta1: string
  readonly beta2: string
  readonly epsilon: string
  readonly weightDecay: string
  readonly seed: string
  readonly evaluateEvery: string
  readonly shiftPixels: string
  readonly rotationDegrees: string
  readonly scale: string
}

export type FieldKey = keyof ConfigDraft

export interface FieldSpec {
  readonly key: FieldKey
  readonly label: string
  /** One or two sentences for a learner, shown on hover and focus. */
  readonly help: string
  /** Takes effect in a running run; every other field needs a reset. */
  readonly live: boolean
}

export const FIELDS: Readonly<Record<FieldKey, FieldSpec>> = {
  learningRate: {
    key: 'learningRate',
    label: 'Learning rate',
    help: 'How far each step moves the weights along the negative gradient. Too high and the loss jumps or diverges; too low and it crawls. Changes apply live.',
    live: true
  },
  batchCount: {
    key: 'batchCount',
    label: 'Batches per epoch',
    help: 'How many minibatches make one epoch, or "all" for one full pass over the 60 000 training images.',
    live: false
  },
  batchSize: {
    key: 'batchSize',
    label: 'Batch size',
    help: 'Images averaged into each gradient step. Bigger batches give smoother but fewer updates per epoch.',
    live: false
  },
  epochs: {
    key: 'epochs',
    label: 'Epochs',
    help: 'How many times training repeats its batches, reshuffled each time.',
    live: false
  },
  layers: {
    key: 'layers',
    label: 'Hidden layers',
    help: 'The hidden layers, comma-separated: "128, 64" builds 784 → 128 → 64 → 10; leave empty for none (softmax regression). Convolutions too: "conv5x5x6, pool2, conv5x5x16valid, pool2, 120, 84" is LeNet (flatten is added where needed; dropout0.25 drops a quarter while training).',
    live: false
  },
  activation: {
    key: 'activation',
    label: 'Activation',
    help: 'The non-linearity after each hidden layer. Without one, stacked layers collapse into a single linear map.',
    live: false
  },
  init: {
    key: 'init',
    label: 'Initialiser',
    help: 'How the starting weights are drawn. He suits ReLU, Xavier suits sigmoid and tanh; the seed makes the draw repeatable.',
    live: false
  },
  optimizer: {
    key: 'optimizer',
    label: 'Optimizer',
    help: 'The update rule. SGD steps straight down the gradient (optionally with momentum); Adam adapts a step size per weight.',
    live: false
  },
  momentum: {
    key: 'momentum',
    label: 'Momentum',
    help: 'The fraction of the previous update carried into the next one (0 = plain SGD, 0.9 is typical). Changes apply live.',
    live: true
  },
  beta1: {
    key: 'beta1',
    label: 'β1',
    help: "Adam's decay rate for its running mean of gradients (0.9 is standard).",
    live: false
  },
  beta2: {
    key: 'beta2',
    label: 'β2',
    help: "Adam's decay rate for its running mean of squared gradients (0.999 is standard).",
    live: false
  },
  epsilon: {
    key: 'epsilon',
    label: 'ε',
    help: "A tiny number added to Adam's denominator so it never divides by zero.",
    live: false
  },
  weightDecay: {
    key: 'weightDecay',
    label: 'Weight decay',
    help: 'L2 penalty λ that pulls weights (not biases) towards zero each step, discouraging over-fitting. 0 turns it off.',
    live: false
  },
  seed: {
    key: 'seed',
    label: 'Seed',
    help: 'Picks the initial weights and the data order. The same seed and settings replay the same run exactly.',
    live: false
  },
  evaluateEvery: {
    key: 'evaluateEvery',
    label: 'Evaluate every',
    help: 'Measure accuracy on the 10 000 test images every N batches. 0 evaluates only at the end of each epoch.',
    live: false
  },
  shiftPixels: {
    key: 'shiftPixels',
    label: 'Random shift',
    help: 'Augmentation: each training image is moved by up to this many pixels in each direction, so the network learns that a digit off-centre is the same digit. 0 turns it off; test images are never changed.',
    live: false
  },
  rotationDegrees: {
    key: 'rotationDegrees',
    label: 'Random rotation',
    help: 'Augmentation: each training image is turned by up to this many degrees either way. 0 turns it off.',
    live: false
  },
  scale: {
    key: 'scale',
    label: 'Random scale',
    help: 'Augmentation: each training image is resized by a factor between 1 − x and 1 + x (0.1 is ±10%). 0 turns it off.',
    live: false
  }
}
