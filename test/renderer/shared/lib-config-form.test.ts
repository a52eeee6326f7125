// The hyperparameter form: text → TrainConfig, messages that name the range, reset-needing edits.
import { describe, expect, it } from 'vitest'
import { CONFIG_LIMITS, describeLimit, PRESETS } from '@core/index'
import { StudioError } from '@contract'
import {
  allowedRange,
  configFromDraft,
  draftFromConfig,
  explainHostError,
  fieldOfPath,
  fieldsNeedingReset,
  summarise,
  validateDraft,
  type ConfigDraft
} from '@/shared/config/config-form'
import { changesFrom, describeChanges } from '@/shared/config/config-changes'
import { shortcutFor, type KeyPress } from '@/shared/shortcuts'

const seed = PRESETS.seed.config
const draft = (changes: Partial<ConfigDraft> = {}): ConfigDraft => ({
  ...draftFromConfig(seed),
  ...changes
})

describe('config form', () => {
  it('round-trips every preset: draft → config gives the preset back', () => {
    for (const preset of Object.values(PRESETS)) {
      expect(configFromDraft(draftFromConfig(preset.config), preset.config)).toEqual({
        ok: true,
        config: preset.config
      })
    }
  })

  it('explains a bad learning rate with the range from core, and what was typed', () => {
    expect(validateDraft(draft({ learningRate: '-1' })).learningRate).toBe(
      'must be a number > 0 and ≤ 10, got -1'
    )
    expect(validateDraft(draft({ learningRate: 'abc' })).learningRate).toBe(
      'must be a number > 0 and ≤ 10, got "abc"'
    )
    expect(validateDraft(draft({ learningRate: ' ' })).learningRate).toMatch(
      /^is required: enter a number > 0/
    )
    expect(allowedRange('learningRate')).toBe(describeLimit(CONFIG_LIMITS.learningRate))
    expect(configFromDraft(draft({ learningRate: '0' }), seed).ok).toBe(false)
  })

  it('accepts "all" batches and exponents, and parses hidden layers from "128, 64"', () => {
    const result = configFromDraft(
      draft({ batchCount: 'ALL', learningRate: '1e-3', layers: '128, 64' }),
      seed
    )
    expect(result.ok && result.config.batchCount).toBe('all')
    expect(result.ok && result.config.learningRate).toBe(0.001)
    expect(result.ok && result.config.architecture.layers).toEqual([
      { kind: 'dense', units: 128, activation: 'relu' },
      { kind: 'dense', units: 64, activation: 'relu' }
    ])
    const none = configFromDraft(draft({ layers: '  ' }), seed)
    expect(none.ok && none.config.architecture.layers).toEqual([])
  })

  it('names what is wrong with batch counts and hidden layers', () => {
    expect(validateDraft(draft({ batchCount: '2.5' })).batchCount).toBe(
      'must be a whole number from 1 to 1000000, or "all", got 2.5'
    )
    expect(validateDraft(draft({ layers: '128,,64' })).layers).toBe(
      'layer 2 is empty: separate layers with single commas'
    )
    expect(validateDraft(draft({ layers: '0' })).layers).toBe(
      'each width must be a whole number from 1 to 4096, got 0'
    )
    const thirtyThree = Array.from({ length: 33 }, () => '8').join(',')
    expect(validateDraft(draft({ layers: thirtyThree })).layers).toBe(
      'allows at most 32 layers, got 33'
    )
  })

  it('reads convolutional layers in the compact syntax, and files an impossible list under them', () => {
    const lenet = configFromDraft(
      draft({ layers: 'conv5x5x6, pool2, conv5x5x16valid, pool2, 120, 84:tanh' }),
      seed
    )
    expect(lenet.ok && lenet.config.architecture.layers).toEqual([
      { kind: 'conv', filters: 6, kernel: 5, stride: 1, padding: 'same', activation: 'relu' },
      { kind: 'maxpool', size: 2 },
      { kind: 'conv', filters: 16, kernel: 5, stride: 1, padding: 'valid', activation: 'relu' },
      { kind: 'maxpool', size: 2 },
      { kind: 'flatten' },
      { kind: 'dense', units: 120, activation: 'relu' },
      { kind: 'dense', units: 84, activation: 'tanh' }
    ])
    expect(summarise(draft({ layers: 'conv5x5x6, pool2' }), seed)).toBe(
      '1×28×28 → conv 5×5×6 ReLU → pool 2 → flatten → 10 · 11\u202f926 parameters'
    )
    const tooSmall = configFromDraft(draft({ layers: 'pool4, pool4, conv5x5x8valid' }), seed)
    expect(tooSmall).toEqual({
      ok: false,
      errors: { layers: 'conv1 (conv 5×5×8 valid ReLU): a 5×5 filter does not fit its 1×1 input' }
    })
    expect(validateDraft(draft({ layers: 'conv5x5x0' })).layers).toBe(
      'layer 1 (conv 5×5×0 ReLU): filters must be a whole number from 1 to 256, got 0'
    )
    expect(validateDraft(draft({ layers: 'pool2:relu' })).layers).toMatch(
      /^layer 1 "pool2:relu" has an activation, but only conv and dense layers take one/
    )
  })

  it('only checks the options of the selected optimizer', () => {
    expect(validateDraft(draft({ optimizer: 'sgd', beta1: 'x' }))).toEqual({})
    expect(validateDraft(draft({ optimizer: 'adam', beta1: '1' })).beta1).toMatch(/< 1/)
    const adam = configFromDraft(draft({ optimizer: 'adam' }), seed)
    expect(adam.ok && adam.config.optimizer).toEqual({
      kind: 'adam',
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-8
    })
  })

  it('marks edits a running run cannot take, but not live fields or equal numbers', () => {
    expect(fieldsNeedingReset(draft({ learningRate: '0.5', momentum: '0.9' }), seed)).toEqual([])
    expect(fieldsNeedingReset(draft({ batchSize: '32.0', layers: '10 ' }), seed)).toEqual([])
    expect(fieldsNeedingReset(draft({ batchSize: '64', layers: '128', seed: '7' }), seed)).toEqual([
      'batchSize',
      'layers',
      'seed'
    ])
    expect(fieldsNeedingReset(draft({ optimizer: 'adam' }), seed)).toEqual(['optimizer'])
  })

  it('names a host config error by the field’s visible label, from its code and field', () => {
    const configError = (field: string, message: string) =>
      new StudioError({ code: 'invalid-config', field, message })
    expect(
      explainHostError(
        configError('learningRate', 'learningRate: must be a number > 0 and ≤ 10, got -1')
      )
    ).toBe('Learning rate must be a number > 0 and ≤ 10, got -1')
    expect(
      explainHostError(
        configError(
          'architecture.hiddenSizes[1]',
          'architecture.hiddenSizes[1]: layer width must be …'
        )
      )
    ).toBe('Hidden layers layer width must be …')
    expect(
      explainHostError(configError('optimizer.momentum', 'optimizer.momentum: only SGD …'))
    ).toBe('Momentum only SGD …')
    // No field of the form's, or not a config error: the host's own words, whatever they look like.
    expect(explainHostError(configError('dataset', 'dataset: MNIST has no images'))).toBe(
      'dataset: MNIST has no images'
    )
    const request = new StudioError({
      code: 'invalid-request',
      field: 'learningRate',
      message: 'learningRate: looks like a field'
    })
    expect(explainHostError(request)).toBe('learningRate: looks like a field')
    expect(
      explainHostError(
        new Error('loss diverged at step 412 (it became NaN): try a lower learning rate')
      )
    ).toBe('loss diverged at step 412 (it became NaN): try a lower learning rate')
  })

  it('shows a problem no field owns as a general error, never under the learning rate', () => {
    const fashion32 = { name: 'Fashion 32×32', count: 60_000, rows: 32, cols: 32, classes: 10 }
    const result = configFromDraft(draft(), seed, fashion32)
    expect(result).toEqual({
      ok: false,
      errors: {},
      general: expect.stringMatching(/^the model takes 784 inputs but Fashion 32×32 images/)
    })
    expect(fieldOfPath('architecture.layers[2].kernel')).toBe('layers')
    expect(fieldOfPath('architecture.hiddenSizes[2]')).toBe('layers')
    expect(fieldOfPath('augmentation.rotationDegrees')).toBe('rotationDegrees')
    expect(fieldOfPath('architecture.inputShape')).toBeNull()
    expect(fieldOfPath('optimizer.kind')).toBe('optimizer')
    expect(fieldOfPath('config.colour')).toBeNull()
  })

  it('summarises the network being edited', () => {
    expect(summarise(draft(), seed)).toBe('784 → 10 ReLU → 10 · 7\u202f960 parameters')
    expect(summarise(draft({ layers: 'x' }), seed)).toBe('784 → ? → 10 (check the layers below)')
    expect(summarise(draft({ layers: 'pool8, conv5x5x4valid' }), seed)).toBe(
      '1×28×28 → ? → 10 (check the layers below)'
    )
  })
})

describe('what the draft changed from its preset', () => {
  it('lists each changed field with its old and new value, in the form’s order', () => {
    expect(describeChanges(draft({ learningRate: '0.2', layers: '64,32' }), seed)).toBe(
      'modified: dense1 10 → 64 units, + dense 32 after dense1, lr 0.03 → 0.2'
    )
    expect(describeChanges(draft(), seed)).toBeNull()
  })

  it('ignores a value typed differently, and options of the optimizer not in use', () => {
    expect(changesFrom(draft({ learningRate: '0.030', layers: ' 10 ' }), seed)).toEqual([])
    expect(changesFrom(draft({ beta1: '0.5' }), seed)).toEqual([]) // SGD: Adam's β1 does nothing
    expect(changesFrom(draft({ optimizer: 'adam' }), seed).map((c) => c.text)).toEqual([
      'optimizer SGD → Adam'
    ])
  })

  it('names choices as the form shows them, and a removed layer by its name', () => {
    expect(
      changesFrom(draft({ layers: '', init: 'uniform', batchCount: 'all' }), seed).map(
        (c) => c.text
      )
    ).toEqual(['− dense1 (10 units)', 'init He (normal) → Uniform (−1, 1)', 'batches 100 → all'])
  })
})

describe('keyboard shortcuts', () => {
  const press = (key: string, extra: Partial<KeyPress> = {}): KeyPress => ({
    key,
    shiftKey: false,
    ctrlKey: false,
    metaKey: false,
    altKey: false,
    repeat: false,
    target: document.body,
    defaultPrevented: false,
    ...extra
  })

  it('maps Space, S/→, Esc, R and Shift+R', () => {
    expect(shortcutFor(press(' '))).toBe('toggle')
    expect(shortcutFor(press('s'))).toBe('step')
    expect(shortcutFor(press('ArrowRight'))).toBe('step')
    expect(shortcutFor(press('Escape'))).toBe('stop')
    expect(shortcutFor(press('r'))).toBe('reset')
    expect(shortcutFor(press('R', { shiftKey: true }))).toBe('resetNewSeed')
    expect(shortcutFor(press('x'))).toBeNull()
    expect(shortcutFor(press('r', { ctrlKey: true }))).toBeNull() // Ctrl+R stays the browser's
  })

  it('never fires while typing in a field, nor doubles a focused button’s own Space/Enter', () => {
    const input = document.createElement('input')
    const select = document.createElement('select')
    const button = document.createElement('button')
    expect(shortcutFor(press('s', { target: input }))).toBeNull()
    expect(shortcutFor(press(' ', { target: input }))).toBeNull()
    expect(shortcutFor(press('ArrowRight', { target: select }))).toBeNull()
    expect(shortcutFor(press(' ', { target: button }))).toBeNull()
    expect(shortcutFor(press('s', { target: button }))).toBe('step')
  })

  it('leaves a key to the widget that already handled it (arrows over the weight tiles)', () => {
    expect(shortcutFor(press('ArrowRight', { defaultPrevented: true }))).toBeNull()
    expect(shortcutFor(press(' ', { defaultPrevented: true }))).toBeNull()
  })

  it('ignores auto-repeat for toggling and resetting', () => {
    expect(shortcutFor(press(' ', { repeat: true }))).toBeNull()
    expect(shortcutFor(press('r', { repeat: true }))).toBeNull()
    expect(shortcutFor(press('s', { repeat: true }))).toBe('step')
  })
})

describe('config form against the training set', () => {
  it('uses core’s check that the batches fit in the training set, once its size is known', () => {
    const train = { name: 'train-images', count: 60_000, rows: 28, cols: 28, classes: 10 }
    const result = configFromDraft(draft({ batchCount: '3000' }), seed, train)
    expect(result.ok).toBe(false)
    expect(!result.ok && result.errors.batchCount).toMatch(
      /need 96000 images per epoch, .*at most 1875 batches/
    )
    expect(configFromDraft(draft({ batchCount: '3000' }), seed, null).ok).toBe(true) // unknown: the host checks
    expect(configFromDraft(draft({ batchCount: '1875' }), seed, train).ok).toBe(true)
  })
})
