// The host's validation of the requests that inspect or replace the model, name runs and change settings.

import { describe, expect, it } from 'vitest'
import { PRESETS } from '../../core'
import {
  MAX_GRADIENT_CHECKS,
  MAX_MODEL_FILE_BYTES,
  MAX_TEST_IMAGES_PER_PAGE
} from '../../electron/contract'
import {
  checkGradientRequestFits,
  parseExplainStepRequest,
  parseFileName,
  parseGradientCheckRequest,
  parseImageSource,
  parseModelText,
  parseName,
  parseSaliencyRequest,
  parseTestImageQuery
} from '../../electron/host/model-requests'
import { parseRunId } from '../../electron/host/run-file'
import { parseSettingsPatch, parseWindowBounds } from '../../electron/host/settings-store'

const MNIST = { testCount: 10_000, inputSize: 784 }
const QUERY = { order: 'confidence-desc', offset: 0, limit: 20 } as const

describe('test-image queries', () => {
  it('accepts filters by class, mistakes, order and a page', () => {
    expect(parseTestImageQuery(QUERY)).toEqual(QUERY)
    const full = { ...QUERY, trueClass: 3, predictedClass: 5, onlyMistakes: true }
    expect(parseTestImageQuery(full)).toEqual(full)
  })

  it('rejects classes outside 0..9, oversized pages and unknown fields, naming the field', () => {
    expect(() => parseTestImageQuery({ ...QUERY, trueClass: 10 })).toThrow(
      'query.trueClass: must be a whole number from 0 to 9, got 10'
    )
    expect(() => parseTestImageQuery({ ...QUERY, predictedClass: 2.5 })).toThrow(
      /^query\.predictedClass: /
    )
    expect(() => parseTestImageQuery({ ...QUERY, limit: MAX_TEST_IMAGES_PER_PAGE + 1 })).toThrow(
      `query.limit: must be a whole number from 1 to ${MAX_TEST_IMAGES_PER_PAGE}`
    )
    expect(() => parseTestImageQuery({ ...QUERY, offset: -1 })).toThrow(/^query\.offset: /)
    expect(() => parseTestImageQuery({ ...QUERY, order: 'random' })).toThrow(/^query\.order: /)
    expect(() => parseTestImageQuery({ ...QUERY, sql: 'drop' })).toThrow(
      /^query\.sql: is not a known/
    )
    expect(() => parseTestImageQuery('all')).toThrow(/^query: /)
  })
})

describe('image sources and inspection requests', () => {
  it('accepts a test index in range, or exactly one image of pixels', () => {
    expect(parseImageSource({ kind: 'test', index: 9999 }, MNIST)).toEqual({
      kind: 'test',
      index: 9999
    })
    const pixels = new Float32Array(784).fill(0.25)
    expect(parseImageSource({ kind: 'pixels', pixels }, MNIST)).toEqual({ kind: 'pixels', pixels })
    expect(() => parseImageSource({ kind: 'test', index: 10_000 }, MNIST)).toThrow(
      'source.index: must be a whole number from 0 to 9999, got 10000'
    )
    expect(() => parseImageSource({ kind: 'test', index: -3 }, MNIST)).toThrow(/^source\.index: /)
    expect(() =>
      parseImageSource({ kind: 'pixels', pixels: new Float32Array(783) }, MNIST)
    ).toThrow(/^pixels: must hold exactly 784 values/)
    expect(() => parseImageSource({ kind: 'file', path: '/etc/passwd' }, MNIST)).toThrow(
      /^source\.kind: /
    )
  })

  it('checks saliency and step-through options', () => {
    const source = { kind: 'test', index: 0 } as const
    expect(parseSaliencyRequest({ source, classIndex: 7 }, MNIST)).toEqual({
      source,
      classIndex: 7
    })
    expect(() => parseSaliencyRequest({ source, classIndex: 11 }, MNIST)).toThrow(
      /^request\.classIndex: /
    )
    expect(() => parseSaliencyRequest({ source: { kind: 'test', index: 1e6 } }, MNIST)).toThrow(
      /^request\.source\.index: /
    )
    expect(parseExplainStepRequest({ source, label: 4, learningRate: 0.1 }, MNIST)).toEqual({
      source,
      label: 4,
      learningRate: 0.1
    })
    expect(parseExplainStepRequest({ source }, MNIST)).toEqual({ source })
    expect(() => parseExplainStepRequest({ source, learningRate: 0 }, MNIST)).toThrow(
      /^request\.learningRate: must be a number > 0/
    )
    expect(() => parseExplainStepRequest({ source, label: -1 }, MNIST)).toThrow(/^request\.label: /)
  })

  it('checks gradient-check requests, and that the parameter and indices exist in the model', () => {
    expect(parseGradientCheckRequest({ parameter: 'dense1.weight', indices: [0, 5] })).toEqual({
      parameter: 'dense1.weight',
      indices: [0, 5]
    })
    expect(parseGradientCheckRequest({ parameter: 'dense1.weight', strongest: 1 })).toEqual({
      parameter: 'dense1.weight',
      strongest: 1
    })
    expect(() => parseGradientCheckRequest({ parameter: 'dense1.weight' })).toThrow(
      /give exactly one of indices, sampleCount and strongest/
    )
    expect(() =>
      parseGradientCheckRequest({ parameter: 'dense1.weight', indices: [1], sampleCount: 2 })
    ).toThrow(/exactly one/)
    expect(() =>
      parseGradientCheckRequest({ parameter: 'dense1.weight', sampleCount: 2, strongest: 1 })
    ).toThrow(/exactly one/)
    expect(() => parseGradientCheckRequest({ parameter: 'dense1.weight', strongest: 0 })).toThrow(
      /^request\.strongest: /
    )
    expect(() => parseGradientCheckRequest({ parameter: '../etc', sampleCount: 2 })).toThrow(
      /^request\.parameter: /
    )
    expect(() =>
      parseGradientCheckRequest({
        parameter: 'dense1.weight',
        sampleCount: MAX_GRADIENT_CHECKS + 1
      })
    ).toThrow(/^request\.sampleCount: /)
    expect(() =>
      parseGradientCheckRequest({
        parameter: 'dense1.weight',
        indices: new Array(MAX_GRADIENT_CHECKS + 1).fill(0)
      })
    ).toThrow(/^request\.indices: /)
    expect(() => parseGradientCheckRequest({ parameter: 'dense1.weight', indices: [0.5] })).toThrow(
      /^request\.indices\.0: /
    )

    const seedNet = PRESETS.seed.config.architecture // 784 → 10 → 10
    expect(() =>
      checkGradientRequestFits({ parameter: 'dense2.bias', indices: [9] }, seedNet)
    ).not.toThrow()
    expect(() =>
      checkGradientRequestFits({ parameter: 'dense3.weight', sampleCount: 1 }, seedNet)
    ).toThrow(
      'request.parameter: the current model has no dense3.weight; it has dense1.weight, dense1.bias, dense2.weight, dense2.bias'
    )
    expect(() =>
      checkGradientRequestFits({ parameter: 'dense1.weight', indices: [0, 7840] }, seedNet)
    ).toThrow(
      'request.indices[1]: must be a whole number from 0 to 7839 (dense1.weight has 7840 values), got 7840'
    )
  })
})

describe('model files, names and ids', () => {
  it('takes model text up to the size limit, and a file name without folders', () => {
    expect(parseModelText('{}')).toBe('{}')
    expect(() => parseModelText(new Uint8Array(3))).toThrow(/^text: must be the model file's text/)
    expect(() => parseModelText('x'.repeat(MAX_MODEL_FILE_BYTES + 1))).toThrow(
      /^text: the file is 64\.0 MB; model files are at most 64\.0 MB/
    )
    expect(parseFileName('model.json')).toBe('model.json')
    expect(parseFileName('C:\\Users\\me\\model.json')).toBe('model.json')
    expect(() => parseFileName('')).toThrow(/^fileName: must be 1 to 200 characters/)
    expect(() => parseName('a\nb', 'name')).toThrow('name: must not contain control characters')
    expect(() => parseName('x'.repeat(201), 'name')).toThrow(
      /^name: must be 1 to 200 characters, got 201/
    )
    expect(parseName('  best run  ', 'name')).toBe('best run')
  })

  it('accepts run ids of the safe form only', () => {
    expect(parseRunId('0b6f3c1e-9a2d-4b1e-8f00-123456789abc')).toBe(
      '0b6f3c1e-9a2d-4b1e-8f00-123456789abc'
    )
    for (const bad of [
      '../settings',
      'a/b',
      'a\\b',
      '..',
      '',
      'x'.repeat(101),
      'run.json',
      42,
      null
    ]) {
      expect(() => parseRunId(bad)).toThrow(/^id: must be a run id/)
    }
  })
})

describe('settings patches', () => {
  it('accepts a theme and a config core accepts, and nothing else', () => {
    expect(parseSettingsPatch({ theme: 'dark' })).toEqual({ theme: 'dark' })
    expect(parseSettingsPatch({ lastConfig: PRESETS.mlp.config })).toEqual({
      lastConfig: PRESETS.mlp.config
    })
    expect(parseSettingsPatch({ lastConfig: null })).toEqual({ lastConfig: null })
    expect(() => parseSettingsPatch({ theme: 'purple' })).toThrow(/^settings\.theme: /)
    expect(() =>
      parseSettingsPatch({ lastConfig: { ...PRESETS.seed.config, learningRate: -1 } })
    ).toThrow(/^settings\.lastConfig\.learningRate: must be a number > 0/)
    expect(() => parseSettingsPatch({ lastConfig: { ...PRESETS.seed.config, colour: 1 } })).toThrow(
      /^settings\.lastConfig\.colour: is not a known setting/
    )
    expect(() => parseSettingsPatch({ lastConfig: 'fast' })).toThrow(
      /^settings\.lastConfig: must be an object/
    )
    expect(() => parseSettingsPatch({ windowBounds: { x: 0, y: 0, width: 1, height: 1 } })).toThrow(
      /^settings\.windowBounds: is not a known setting/
    )
  })

  it('checks window bounds from main', () => {
    const bounds = { x: -10, y: 20, width: 1280, height: 840, maximized: false }
    expect(parseWindowBounds(bounds)).toEqual(bounds)
    expect(() => parseWindowBounds({ ...bounds, width: 0 })).toThrow(/^windowBounds\.width: /)
  })
})
