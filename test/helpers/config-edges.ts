// Every CONFIG_LIMITS range at its edges: the bound itself, just inside it and just outside it, each as a
// whole raw config (the seed preset with that one value changed) and the field a refusal must name.
// Host and CLI tests drive the same table (test/electron/config-edges.test.ts).

import { CONFIG_LIMITS, PRESETS, type LayerSpec, type NumericLimit } from '../../core'

type LimitedField = keyof typeof CONFIG_LIMITS

/** One config at one edge of one field's range. */
export interface EdgeCase {
  readonly limit: LimitedField
  /** e.g. 'learningRate = 10 (the bound)'. */
  readonly name: string
  /** The seed preset's config with the value put in (untrusted: it may be out of range). */
  readonly config: Record<string, unknown>
  /** Whether the value is within the range (then the config runs, or is refused for another reason). */
  readonly inRange: boolean
  /** The bound itself, rather than a step inside or outside it. */
  readonly atBound: boolean
  /** The field a range refusal names, e.g. 'architecture.layers[0].units'. */
  readonly field: string
}

const SEED = PRESETS.seed.config
const dense = (units: number): LayerSpec => ({ kind: 'dense', units, activation: 'relu' })
const conv = (filters: number, kernel: number): Record<string, unknown> => ({
  kind: 'conv',
  filters,
  kernel,
  stride: 1,
  padding: 'valid',
  activation: 'relu'
})
const FLATTEN = { kind: 'flatten' }

/** The seed preset with its hidden layers (list form) replaced. */
const withLayers = (layers: readonly unknown[]): Record<string, unknown> => ({
  ...SEED,
  architecture: { ...SEED.architecture, layers }
})

/** How each limit reaches a config, and the field it is reported on. */
const PLACES: { readonly [L in LimitedField]: readonly [string, (value: number) => unknown] } = {
  learningRate: ['learningRate', (v) => ({ ...SEED, learningRate: v })],
  learningRateDecay: ['learningRateDecay', (v) => ({ ...SEED, learningRateDecay: v })],
  weightDecay: ['weightDecay', (v) => ({ ...SEED, weightDecay: v })],
  // one batch, so that every size up to the whole training set fits it
  batchSize: ['batchSize', (v) => ({ ...SEED, batchSize: v, batchCount: 1 })],
  batchCount: ['batchCount', (v) => ({ ...SEED, batchSize: 1, batchCount: v })],
  epochs: ['epochs', (v) => ({ ...SEED, epochs: v })],
  seed: ['seed', (v) => ({ ...SEED, seed: v })],
  evaluateEvery: ['evaluateEvery', (v) => ({ ...SEED, evaluateEvery: v })],
  hiddenLayers: [
    'architecture.hiddenSizes',
    (v) => ({
      ...SEED,
      architecture: {
        inputSize: 784,
        hiddenSizes: Array.from({ length: v }, () => 10),
        activation: 'relu',
        outputSize: 10
      }
    })
  ],
  hiddenSize: ['architecture.layers[0].units', (v) => withLayers([dense(v)])],
  layers: ['architecture.layers', (v) => withLayers(Array.from({ length: v }, () => dense(10)))],
  inputSide: [
    'architecture.inputShape[1]',
    (v) => ({ ...SEED, architecture: { ...SEED.architecture, inputShape: [1, v, v] } })
  ],
  inputChannels: [
    'architecture.inputShape[0]',
    (v) => ({ ...SEED, architecture: { ...SEED.architecture, inputShape: [v, 28, 28] } })
  ],
  filters: ['architecture.layers[0].filters', (v) => withLayers([conv(v, 5), FLATTEN])],
  kernel: ['architecture.layers[0].kernel', (v) => withLayers([conv(2, v), FLATTEN])],
  poolSize: [
    'architecture.layers[0].size',
    (v) => withLayers([{ kind: 'maxpool', size: v }, FLATTEN])
  ],
  dropoutRate: [
    'architecture.layers[1].rate',
    (v) => withLayers([dense(10), { kind: 'dropout', rate: v }])
  ],
  // A conv layer of 256 filters over 28×28 flattens to 200 704 values: a dense layer of n units after it
  // has 200 704 · n weights, so 498 units stay under 100 M parameters and 500 go over.
  parameters: ['architecture.layers', (v) => withLayers([conv(256, 1), FLATTEN, dense(v)])],
  momentum: ['optimizer.momentum', (v) => ({ ...SEED, optimizer: { kind: 'sgd', momentum: v } })],
  beta1: ['optimizer.beta1', (v) => ({ ...SEED, optimizer: { ...adam, beta1: v } })],
  beta2: ['optimizer.beta2', (v) => ({ ...SEED, optimizer: { ...adam, beta2: v } })],
  epsilon: ['optimizer.epsilon', (v) => ({ ...SEED, optimizer: { ...adam, epsilon: v } })],
  shiftPixels: ['augmentation.shiftPixels', (v) => augmented({ shiftPixels: v })],
  rotationDegrees: ['augmentation.rotationDegrees', (v) => augmented({ rotationDegrees: v })],
  scale: ['augmentation.scale', (v) => augmented({ scale: v })]
}

const adam = { kind: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }
const augmented = (change: Record<string, number>): Record<string, unknown> => ({
  ...SEED,
  augmentation: { shiftPixels: 0, rotationDegrees: 0, scale: 0, ...change }
})

/** A step just inside or outside a bound: 1 for whole numbers, a millionth of the range otherwise. */
function stepOf(limit: NumericLimit): number {
  return limit.integer ? 1 : (limit.max - limit.min) * 1e-6
}

/** The values at, just inside and just outside each bound of `limit`. */
export function edgeValues(
  limit: NumericLimit
): { value: number; inRange: boolean; edge: string }[] {
  const step = stepOf(limit)
  return [
    { value: limit.min, inRange: limit.minInclusive, edge: 'the lower bound' },
    { value: limit.min + step, inRange: true, edge: 'just above the lower bound' },
    { value: limit.min - step, inRange: false, edge: 'just below the lower bound' },
    { value: limit.max, inRange: limit.maxInclusive, edge: 'the upper bound' },
    { value: limit.max - step, inRange: true, edge: 'just below the upper bound' },
    { value: limit.max + step, inRange: false, edge: 'just above the upper bound' }
  ]
}

/**
 * Every edge of every limit. `parameters` (a count, not a value one types) is reached through a dense
 * layer's width after a wide conv layer: 498 units (99.96 M parameters, inside) and 500 (100.36 M, outside).
 */
export function configEdges(): EdgeCase[] {
  const cases: EdgeCase[] = []
  for (const limit of Object.keys(CONFIG_LIMITS) as LimitedField[]) {
    const [field, place] = PLACES[limit]
    const add = (name: string, value: number, inRange: boolean, atBound: boolean): void => {
      const config = place(value) as Record<string, unknown>
      cases.push({ limit, name, config, inRange, atBound, field })
    }
    if (limit === 'parameters') {
      add('a dense layer of 498 after 200 704 values (inside)', 498, true, false)
      add('a dense layer of 500 after 200 704 values (outside)', 500, false, false)
      continue
    }
    for (const { value, inRange, edge: where } of edgeValues(CONFIG_LIMITS[limit])) {
      // NOTE: a list cannot have −1 entries: those limits have no 'below'.
      if (value < 0 && (limit === 'hiddenLayers' || limit === 'layers')) continue
      add(
        `${limit} = ${value} (${where})`,
        value,
        inRange,
        where === 'the lower bound' || where === 'the upper bound'
      )
    }
  }
  return cases
}
