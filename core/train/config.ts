// The training configuration as plain, serialisable data, and its validation (it arrives from a UI,
// a command line or a file: untrusted until `parseTrainConfig` has checked every field).

import { NO_AUGMENTATION, type Augmentation } from '../data/augment'
import type { ModelArchitecture } from '../nn/architecture'
import { INIT_KINDS, type InitKind } from '../nn/init'
import { parseArchitecture } from './architecture-config'
import { expectObject, expectOnlyKeys, limited, oneOf } from './config-fields'

export {
  checkNumber,
  CONFIG_LIMITS,
  describeLimit,
  type LimitedField,
  type NumericLimit
} from './config-fields'
export { parseArchitecture, parseLayer } from './architecture-config'

export type OptimizerKind = 'sgd' | 'adam'
export const OPTIMIZER_KINDS: readonly OptimizerKind[] = ['sgd', 'adam']

/** The optimizer and its own options (the learning rate is shared, so it lives in TrainConfig). */
export type OptimizerConfig =
  | { readonly kind: 'sgd'; readonly momentum: number }
  | {
      readonly kind: 'adam'
      readonly beta1: number
      readonly beta2: number
      readonly epsilon: number
    }

/** Everything that determines a training run. Same config (seed included), same run, step for step. */
export interface TrainConfig {
  readonly architecture: ModelArchitecture
  readonly init: InitKind
  readonly optimizer: OptimizerConfig
  readonly learningRate: number
  /**
   * The learning rate's decay per epoch: epoch e (1-based) trains at learningRate · decay^(e − 1);
   * 1 keeps it constant. A smaller step late in a run lets the weights settle instead of jittering.
   */
  readonly learningRateDecay: number
  /** L2 penalty λ on weights (not biases); 0 turns it off. */
  readonly weightDecay: number
  /** Samples per minibatch. */
  readonly batchSize: number
  /** Minibatches per epoch, or 'all' for one pass over the training set. */
  readonly batchCount: number | 'all'
  readonly epochs: number
  readonly seed: number
  /** Evaluate on the test set every N batches; 0 = only at the end of each epoch. */
  readonly evaluateEvery: number
  /** Random shifts, rotations and scaling of the training images (all 0: off). Never at evaluation. */
  readonly augmentation: Augmentation
}

export const DEFAULT_ADAM: OptimizerConfig = {
  kind: 'adam',
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-8
}
export const DEFAULT_SGD: OptimizerConfig = { kind: 'sgd', momentum: 0 }

/**
 * Validates untrusted input (from IPC, a CLI or a file) and returns a well-formed TrainConfig,
 * or throws a ConfigError naming the first bad field, its allowed range and what it got.
 * Unknown fields are rejected too, so a typo never silently falls back to a default.
 */
export function parseTrainConfig(raw: unknown): TrainConfig {
  const o = expectObject(raw, 'config')
  expectOnlyKeys(o, 'config', [
    'architecture',
    'init',
    'optimizer',
    'learningRate',
    'learningRateDecay',
    'weightDecay',
    'batchSize',
    'batchCount',
    'epochs',
    'seed',
    'evaluateEvery',
    'augmentation'
  ])
  const batchCount = o.batchCount === 'all' ? 'all' : limited(o, 'batchCount', 'batchCount')
  return {
    architecture: parseArchitecture(o.architecture),
    init: oneOf(o.init, 'init', INIT_KINDS),
    optimizer: parseOptimizer(o.optimizer),
    learningRate: limited(o, 'learningRate', 'learningRate'),
    // NOTE: configs from before the schedule existed have no decay: constant, as they were trained.
    learningRateDecay:
      o.learningRateDecay === undefined ? 1 : limited(o, 'learningRateDecay', 'learningRateDecay'),
    weightDecay: limited(o, 'weightDecay', 'weightDecay'),
    batchSize: limited(o, 'batchSize', 'batchSize'),
    batchCount,
    epochs: limited(o, 'epochs', 'epochs'),
    seed: limited(o, 'seed', 'seed'),
    evaluateEvery: limited(o, 'evaluateEvery', 'evaluateEvery'),
    augmentation: parseAugmentation(o.augmentation)
  }
}

/** The augmentation settings; missing (configs from before augmentation existed) means off. */
function parseAugmentation(raw: unknown): Augmentation {
  if (raw === undefined) return NO_AUGMENTATION
  const o = expectObject(raw, 'augmentation')
  expectOnlyKeys(o, 'augmentation', ['shiftPixels', 'rotationDegrees', 'scale'])
  return {
    shiftPixels: limited(o, 'shiftPixels', 'shiftPixels', 'augmentation.shiftPixels'),
    rotationDegrees: limited(
      o,
      'rotationDegrees',
      'rotationDegrees',
      'augmentation.rotationDegrees'
    ),
    scale: limited(o, 'scale', 'scale', 'augmentation.scale')
  }
}

function parseOptimizer(raw: unknown): OptimizerConfig {
  const o = expectObject(raw, 'optimizer')
  const kind = oneOf(o.kind, 'optimizer.kind', OPTIMIZER_KINDS)
  if (kind === 'sgd') {
    expectOnlyKeys(o, 'optimizer', ['kind', 'momentum'])
    return { kind, momentum: limited(o, 'momentum', 'momentum', 'optimizer.momentum') }
  }
  expectOnlyKeys(o, 'optimizer', ['kind', 'beta1', 'beta2', 'epsilon'])
  return {
    kind,
    beta1: limited(o, 'beta1', 'beta1', 'optimizer.beta1'),
    beta2: limited(o, 'beta2', 'beta2', 'optimizer.beta2'),
    epsilon: limited(o, 'epsilon', 'epsilon', 'optimizer.epsilon')
  }
}
