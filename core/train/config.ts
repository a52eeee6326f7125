// The training configuration as plain, serialisable data, and its validation (it arrives from a UI,
// a command line or a file: untrusted until `parseTrainConfig` has checked every field).

import { ConfigError } from '../errors'
import { ACTIVATION_KINDS, type ActivationKind } from '../nn/activations'
import type { ModelArchitecture } from '../nn/architecture'
import { INIT_KINDS, type InitKind } from '../nn/init'

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
}

/** A numeric field's allowed range: what validation enforces and what the UI tells the user. */
export interface NumericLimit {
  readonly min: number
  readonly max: number
  /** Whether min itself is allowed (false for a learning rate, which must be > 0). */
  readonly minInclusive: boolean
  readonly maxInclusive: boolean
  readonly integer: boolean
}

const range = (
  min: number,
  max: number,
  integer: boolean,
  minInclusive = true,
  maxInclusive = true
): NumericLimit => ({
  min,
  max,
  integer,
  minInclusive,
  maxInclusive
})

/** The allowed range of every numeric field. */
export const CONFIG_LIMITS = {
  learningRate: range(0, 10, false, false),
  weightDecay: range(0, 1, false),
  batchSize: range(1, 60_000, true),
  batchCount: range(1, 1_000_000, true),
  epochs: range(1, 1_000, true),
  seed: range(0, 4_294_967_295, true),
  evaluateEvery: range(0, 1_000_000, true),
  hiddenLayers: range(0, 6, true),
  hiddenSize: range(1, 4_096, true),
  momentum: range(0, 1, false, true, false),
  beta1: range(0, 1, false, true, false),
  beta2: range(0, 1, false, true, false),
  epsilon: range(0, 1, false, false)
} as const satisfies Record<string, NumericLimit>

export type LimitedField = keyof typeof CONFIG_LIMITS

/** The range in words, e.g. "a number > 0 and ≤ 10" or "a whole number from 1 to 60000". */
export function describeLimit(limit: NumericLimit): string {
  if (limit.integer && limit.minInclusive && limit.maxInclusive) {
    return `a whole number from ${limit.min} to ${limit.max}`
  }
  const kind = limit.integer ? 'a whole number' : 'a number'
  return `${kind} ${limit.minInclusive ? '≥' : '>'} ${limit.min} and ${limit.maxInclusive ? '≤' : '<'} ${limit.max}`
}

/** Why `value` is not allowed for `field`, or null when it is. */
export function checkNumber(field: LimitedField, value: unknown): string | null {
  const limit: NumericLimit = CONFIG_LIMITS[field]
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!limit.integer || Number.isInteger(value)) &&
    (limit.minInclusive ? value >= limit.min : value > limit.min) &&
    (limit.maxInclusive ? value <= limit.max : value < limit.max)
  if (ok) return null
  const shown =
    typeof value === 'number' || typeof value === 'string' ? String(value) : typeof value
  return `must be ${describeLimit(limit)}, got ${typeof value === 'string' ? JSON.stringify(value) : shown}`
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
    'weightDecay',
    'batchSize',
    'batchCount',
    'epochs',
    'seed',
    'evaluateEvery'
  ])
  const batchCount = o.batchCount === 'all' ? 'all' : limited(o, 'batchCount', 'batchCount')
  return {
    architecture: parseArchitecture(o.architecture),
    init: oneOf(o.init, 'init', INIT_KINDS),
    optimizer: parseOptimizer(o.optimizer),
    learningRate: limited(o, 'learningRate', 'learningRate'),
    weightDecay: limited(o, 'weightDecay', 'weightDecay'),
    batchSize: limited(o, 'batchSize', 'batchSize'),
    batchCount,
    epochs: limited(o, 'epochs', 'epochs'),
    seed: limited(o, 'seed', 'seed'),
    evaluateEvery: limited(o, 'evaluateEvery', 'evaluateEvery')
  }
}

/** Validates a model architecture (see parseTrainConfig). */
export function parseArchitecture(raw: unknown, field = 'architecture'): ModelArchitecture {
  const o = expectObject(raw, field)
  expectOnlyKeys(o, field, ['inputSize', 'hiddenSizes', 'activation', 'outputSize'])
  const inputSize = o.inputSize
  if (
    typeof inputSize !== 'number' ||
    !Number.isInteger(inputSize) ||
    inputSize < 1 ||
    inputSize > 1_000_000
  ) {
    throw new ConfigError(
      `${field}.inputSize`,
      `must be a whole number from 1 to 1000000, got ${String(inputSize)}`
    )
  }
  const outputSize = o.outputSize
  if (
    typeof outputSize !== 'number' ||
    !Number.isInteger(outputSize) ||
    outputSize < 2 ||
    outputSize > 256
  ) {
    throw new ConfigError(
      `${field}.outputSize`,
      `must be a whole number from 2 to 256, got ${String(outputSize)}`
    )
  }
  if (!Array.isArray(o.hiddenSizes)) {
    throw new ConfigError(
      `${field}.hiddenSizes`,
      'must be a list of layer widths, e.g. [128, 64] (or [] for none)'
    )
  }
  const layersProblem = checkNumber('hiddenLayers', o.hiddenSizes.length)
  if (layersProblem)
    throw new ConfigError(`${field}.hiddenSizes`, `number of hidden layers ${layersProblem}`)
  const hiddenSizes = o.hiddenSizes.map((size: unknown, i: number) => {
    const problem = checkNumber('hiddenSize', size)
    if (problem) throw new ConfigError(`${field}.hiddenSizes[${i}]`, `layer width ${problem}`)
    return size as number
  })
  return {
    inputSize,
    hiddenSizes,
    activation: oneOf<ActivationKind>(o.activation, `${field}.activation`, ACTIVATION_KINDS),
    outputSize
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

function limited(
  o: Record<string, unknown>,
  key: string,
  limit: LimitedField,
  field = key
): number {
  const problem = checkNumber(limit, o[key])
  if (problem) throw new ConfigError(field, o[key] === undefined ? 'is missing' : problem)
  return o[key] as number
}

function oneOf<T extends string>(value: unknown, field: string, allowed: readonly T[]): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T
  throw new ConfigError(
    field,
    `must be one of ${allowed.join(', ')}, got ${value === undefined ? 'nothing' : JSON.stringify(value)}`
  )
}

function expectObject(raw: unknown, field: string): Record<string, unknown> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError(
      field,
      `must be an object, got ${raw === null ? 'null' : Array.isArray(raw) ? 'a list' : typeof raw}`
    )
  }
  return raw as Record<string, unknown>
}

function expectOnlyKeys(
  o: Record<string, unknown>,
  field: string,
  allowed: readonly string[]
): void {
  for (const key of Object.keys(o)) {
    if (!allowed.includes(key))
      throw new ConfigError(
        `${field}.${key}`,
        `is not a known setting (known: ${allowed.join(', ')})`
      )
  }
}
