import { describe, expect, it } from 'vitest'
import {
  checkNumber,
  ConfigError,
  DEFAULT_TRAIN_CONFIG,
  describeLimit,
  CONFIG_LIMITS,
  parseTrainConfig,
  PRESETS
} from '../../../core'

/** The seed net in the dense form (model files v1, old settings and runs): still accepted. */
const DENSE_FORM = { inputSize: 784, hiddenSizes: [10], activation: 'relu', outputSize: 10 }

const withField = (patch: Record<string, unknown>) => ({
  ...structuredClone(DEFAULT_TRAIN_CONFIG),
  ...patch
})

describe('parseTrainConfig', () => {
  it('accepts every preset unchanged', () => {
    for (const preset of Object.values(PRESETS))
      expect(parseTrainConfig(structuredClone(preset.config))).toEqual(preset.config)
  })

  it('the seed preset is the original project: 784 → 10 ReLU → 10, SGD 0.03, batch 32, 100 batches, 1 epoch', () => {
    expect(DEFAULT_TRAIN_CONFIG).toMatchObject({
      architecture: {
        inputShape: [1, 28, 28],
        layers: [{ kind: 'dense', units: 10, activation: 'relu' }],
        outputSize: 10
      },
      init: 'he',
      optimizer: { kind: 'sgd', momentum: 0 },
      learningRate: 0.03,
      batchSize: 32,
      batchCount: 100,
      epochs: 1
    })
  })

  const cases: [string, Record<string, unknown>, RegExp][] = [
    [
      'negative learning rate',
      { learningRate: -1 },
      /^learningRate: must be a number > 0 and ≤ 10, got -1$/
    ],
    ['zero learning rate', { learningRate: 0 }, /learningRate: must be a number > 0/],
    ['text learning rate', { learningRate: 'abc' }, /learningRate: .*got "abc"/],
    ['NaN learning rate', { learningRate: Number.NaN }, /learningRate/],
    [
      'batch size 0',
      { batchSize: 0 },
      /^batchSize: must be a whole number from 1 to 60000, got 0$/
    ],
    ['fractional batch size', { batchSize: 2.5 }, /batchSize/],
    ['batch count word', { batchCount: 'some' }, /batchCount/],
    ['zero epochs', { epochs: 0 }, /epochs/],
    ['negative seed', { seed: -3 }, /seed/],
    [
      'unknown activation',
      { architecture: { ...DENSE_FORM, activation: 'gelu' } },
      /architecture.activation: must be one of relu, sigmoid, tanh, got "gelu"/
    ],
    [
      'hidden sizes not a list',
      { architecture: { ...DENSE_FORM, hiddenSizes: '128' } },
      /hiddenSizes: must be a list/
    ],
    [
      'zero-width layer',
      { architecture: { ...DENSE_FORM, hiddenSizes: [128, 0] } },
      /hiddenSizes\[1\]: layer width must be a whole number from 1 to 4096/
    ],
    [
      'too many layers',
      {
        architecture: { ...DENSE_FORM, hiddenSizes: [8, 8, 8, 8, 8, 8, 8] }
      },
      /number of hidden layers/
    ],
    [
      'momentum 1',
      { optimizer: { kind: 'sgd', momentum: 1 } },
      /optimizer.momentum: must be a number ≥ 0 and < 1/
    ],
    [
      'unknown optimizer',
      { optimizer: { kind: 'rmsprop' } },
      /optimizer.kind: must be one of sgd, adam/
    ],
    ['adam without betas', { optimizer: { kind: 'adam' } }, /optimizer.beta1: is missing/],
    ['unknown init', { init: 'zeros' }, /init: must be one of uniform, he, xavier/],
    [
      'unknown field (a typo never silently falls back to a default)',
      { learningrate: 0.1 },
      /config.learningrate: is not a known setting/
    ],
    ['missing field', { weightDecay: undefined }, /weightDecay: is missing/],
    [
      'a rotation beyond 30°',
      { augmentation: { shiftPixels: 0, rotationDegrees: 45, scale: 0 } },
      /^augmentation.rotationDegrees: must be a number ≥ 0 and ≤ 30, got 45$/
    ],
    [
      'an augmentation typo',
      { augmentation: { shift: 2 } },
      /augmentation.shift: is not a known setting/
    ]
  ]
  for (const [name, patch, message] of cases) {
    it(`rejects ${name} with a message naming the field`, () => {
      const raw = withField(patch)
      if ('weightDecay' in patch && patch.weightDecay === undefined)
        delete (raw as Record<string, unknown>).weightDecay
      expect(() => parseTrainConfig(raw)).toThrow(ConfigError)
      expect(() => parseTrainConfig(raw)).toThrow(message)
    })
  }

  it('rejects things that are not objects', () => {
    expect(() => parseTrainConfig(null)).toThrow(/config: must be an object, got null/)
    expect(() => parseTrainConfig([])).toThrow(/got a list/)
    expect(() => parseTrainConfig('x')).toThrow(/got string/)
  })

  it('accepts "all" batches and an empty hidden-layer list', () => {
    const config = parseTrainConfig(
      withField({
        batchCount: 'all',
        architecture: { ...DENSE_FORM, hiddenSizes: [] }
      })
    )
    expect(config.batchCount).toBe('all')
    expect(config.architecture.layers).toEqual([])
  })

  it('reads a config from before augmentation existed as one without it', () => {
    const { augmentation: _, ...old } = structuredClone(DEFAULT_TRAIN_CONFIG)
    expect(parseTrainConfig(old)).toEqual(DEFAULT_TRAIN_CONFIG)
    expect(DEFAULT_TRAIN_CONFIG.augmentation).toEqual({
      shiftPixels: 0,
      rotationDegrees: 0,
      scale: 0
    })
  })

  it('reads a config from before the learning-rate schedule as a constant rate; the decay is in (0, 1]', () => {
    const { learningRateDecay: _, ...old } = structuredClone(DEFAULT_TRAIN_CONFIG)
    expect(parseTrainConfig(old)).toEqual(DEFAULT_TRAIN_CONFIG)
    expect(DEFAULT_TRAIN_CONFIG.learningRateDecay).toBe(1)
    expect(parseTrainConfig(withField({ learningRateDecay: 0.8 })).learningRateDecay).toBe(0.8)
    for (const bad of [0, -0.5, 1.5, 'x'])
      expect(() => parseTrainConfig(withField({ learningRateDecay: bad }))).toThrow(
        /learningRateDecay/
      )
  })

  it('describes ranges in words for the UI', () => {
    expect(describeLimit(CONFIG_LIMITS.batchSize)).toBe('a whole number from 1 to 60000')
    expect(describeLimit(CONFIG_LIMITS.learningRate)).toBe('a number > 0 and ≤ 10')
    expect(checkNumber('epochs', 3)).toBeNull()
    expect(checkNumber('epochs', 3.5)).toMatch(/whole number/)
  })
})
