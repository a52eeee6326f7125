import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  createRng,
  decodeBase64,
  encodeBase64,
  loadModel,
  Matrix,
  ModelFileError,
  parseModelFile,
  PRESETS,
  Sequential,
  serializeModel,
  type ModelArchitecture
} from '../../../core'
import { seededValues } from '../../helpers/gradcheck'
import { denseNet } from '../../helpers/architectures'

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'models')
const architecture = denseNet([16, 8], 'tanh')
const makeModel = () => new Sequential(architecture, 'xavier', createRng(5))
const text = () =>
  serializeModel(makeModel(), {
    trainingConfig: PRESETS.seed.config,
    metrics: { testAccuracy: 0.61, steps: 100 },
    createdAt: '2026-11-28T12:00:00Z'
  })
/** A different but still valid base64 string of the same length: a silent edit of some weights. */
const flipFirstCharacter = (data: string) => (data[0] === 'A' ? 'B' : 'A') + data.slice(1)
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a test edits any field of the file
const mutate = (edit: (file: Record<string, any>) => void): string => {
  const file = JSON.parse(text())
  edit(file)
  return JSON.stringify(file)
}

describe('base64', () => {
  it('round-trips every length and matches known encodings', () => {
    expect(encodeBase64(new TextEncoder().encode('Man'))).toBe('TWFu')
    expect(encodeBase64(new TextEncoder().encode('Ma'))).toBe('TWE=')
    expect(encodeBase64(new TextEncoder().encode('M'))).toBe('TQ==')
    for (let n = 0; n < 70; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + n) % 256)
      expect(decodeBase64(encodeBase64(bytes))).toEqual(bytes)
    }
  })
  it('returns null for invalid input', () => {
    expect(decodeBase64('abc')).toBeNull()
    expect(decodeBase64('ab!d')).toBeNull()
    expect(decodeBase64('a=bc')).toBeNull()
  })
})

describe('model files', () => {
  it('round-trip: the loaded model has identical parameters and outputs', () => {
    const original = makeModel()
    const { model, file } = loadModel(text())
    expect(file.architecture).toEqual(architecture)
    expect(file.trainingConfig).toEqual(PRESETS.seed.config)
    expect(file.metrics).toEqual({ testAccuracy: 0.61, steps: 100 })
    expect(file.createdAt).toBe('2026-11-28T12:00:00Z')
    model.parameters().forEach((p, i) => expect(p.data).toEqual(original.parameters()[i].data))
    const x = new Matrix(3, 784, seededValues(3 * 784, 1, 0, 1))
    expect(Array.from(model.forward(x).data)).toEqual(Array.from(original.forward(x).data))
  })

  it('reads a version 1 file (the dense form) unchanged: same parameters, same outputs', () => {
    // Written by the version 1 writer before the list form existed: 16 → 5 tanh → 4 tanh → 3.
    const v1 = readFileSync(join(FIXTURES, 'v1-dense-16-5-4-3.json'), 'utf8')
    expect(JSON.parse(v1)).toMatchObject({ version: 1, architecture: { hiddenSizes: [5, 4] } })
    const { model, file } = loadModel(v1)
    expect(file.architecture).toEqual(denseNet([5, 4], 'tanh', 16, 3))
    expect(file.architecture.inputShape).toEqual([1, 4, 4]) // 16 = 4²: read as a 4×4 image
    expect(file.trainingConfig?.architecture).toEqual(file.architecture)
    expect(model.parameters().map((p) => p.name)).toEqual([
      'dense1.weight',
      'dense1.bias',
      'dense2.weight',
      'dense2.bias',
      'dense3.weight',
      'dense3.bias'
    ])
    const x = new Matrix(
      2,
      16,
      Float32Array.from({ length: 32 }, (_, i) => ((i * 7) % 11) / 10)
    )
    // The logits the version 1 engine computed for this input when it wrote the file.
    const expected = [
      0.41215160489082336, 0.5713495016098022, 0.17246980965137482, -0.09499824047088623,
      0.3834618628025055, 0.2421148121356964
    ]
    expect(Array.from(model.forward(x).data)).toEqual(expected)
    // Saved again, it is a version 2 file that reads back the same.
    const again = loadModel(serializeModel(model, { trainingConfig: file.trainingConfig }))
    expect(again.file.architecture).toEqual(file.architecture)
    expect(Array.from(again.model.forward(x).data)).toEqual(expected)
  })

  it('round-trips a conv net: its layer list and [out, in, k, k] filters', () => {
    const cnn: ModelArchitecture = {
      inputShape: [1, 28, 28],
      layers: [
        { kind: 'conv', filters: 3, kernel: 5, stride: 2, padding: 'same', activation: 'tanh' },
        { kind: 'maxpool', size: 2 },
        { kind: 'dropout', rate: 0.25 },
        { kind: 'flatten' },
        { kind: 'dense', units: 8, activation: 'none' }
      ],
      outputSize: 10
    }
    const original = new Sequential(cnn, 'he', createRng(3))
    const written = serializeModel(original)
    expect(JSON.parse(written).parameters.map((p: { shape: number[] }) => p.shape)).toEqual([
      [3, 1, 5, 5],
      [3],
      [8, 147],
      [8],
      [10, 8],
      [10]
    ])
    const { model, file } = loadModel(written)
    expect(file.architecture).toEqual(cnn)
    const x = new Matrix(2, 784, seededValues(2 * 784, 4, 0, 1))
    expect(Array.from(model.forward(x).data)).toEqual(Array.from(original.forward(x).data))
    expect(() => loadModel(written.replace('"kernel": 5', '"kernel": 3'))).toThrow(
      /conv1.weight: shape \[3,1,5,5\] does not match the architecture's \[3, 1, 3, 3\]/
    )
  })

  it('records format, version, shapes and a checksum', () => {
    const file = JSON.parse(text())
    expect(file.format).toBe('backprop-studio-model')
    expect(file.version).toBe(2)
    expect(file.parameters.map((p: { shape: number[] }) => p.shape)).toEqual([
      [16, 784],
      [16],
      [8, 16],
      [8],
      [10, 8],
      [10]
    ])
    expect(file.checksum).toMatch(/^crc32:[0-9a-f]{8}$/)
  })

  const rejections: [string, string, RegExp][] = [
    ['not JSON', 'hello', /not a model file \(it is not JSON\)/],
    ['truncated', text().slice(0, 2000), /not valid JSON: it is probably truncated/],
    [
      'another format',
      mutate((f) => (f.format = 'keras')),
      /not a Backprop Studio model file \(format is "keras"/
    ],
    ['a newer version', mutate((f) => (f.version = 3)), /newer Backprop Studio \(format version 3/],
    [
      'a bad architecture',
      mutate((f) => (f.architecture.layers[0].activation = 'swish')),
      /invalid architecture.layers\[0\].activation/
    ],
    [
      'a bad training config',
      mutate((f) => (f.trainingConfig.learningRate = -1)),
      /invalid trainingConfig.learningRate/
    ],
    [
      'a missing parameter',
      mutate((f) => f.parameters.pop()),
      /needs 6 parameter tensors, the file has 5/
    ],
    [
      'renamed parameters',
      mutate((f) => (f.parameters[0].name = 'conv.weight')),
      /parameter 1 should be "dense1.weight"/
    ],
    [
      'a wrong shape',
      mutate((f) => (f.parameters[2].shape = [16, 8])),
      /dense2.weight: shape \[16,8\] does not match the architecture's \[8, 16\]/
    ],
    [
      'invalid base64',
      mutate((f) => (f.parameters[1].data = '!!!!')),
      /dense1.bias: the values are not valid base64/
    ],
    [
      'cut values',
      mutate((f) => (f.parameters[1].data = f.parameters[1].data.slice(0, 8))),
      /dense1.bias: 6 bytes of values, expected 64/
    ],
    [
      'tampered values',
      mutate((f) => (f.parameters[4].data = flipFirstCharacter(f.parameters[4].data))),
      /do not match the file's checksum/
    ],
    ['no checksum', mutate((f) => delete f.checksum), /no valid checksum/],
    [
      'metrics that are not numbers',
      mutate((f) => (f.metrics.testAccuracy = 'high')),
      /metrics.testAccuracy/
    ]
  ]
  for (const [name, bad, message] of rejections) {
    it(`rejects ${name} with a clear message`, () => {
      expect(() => parseModelFile(bad)).toThrow(ModelFileError)
      expect(() => parseModelFile(bad)).toThrow(message)
    })
  }

  it('rejects non-finite parameter values even with a matching checksum', () => {
    const model = makeModel()
    model.parameters()[1].data[3] = Number.NaN
    expect(() => parseModelFile(serializeModel(model))).toThrow(/dense1.bias: value 3 is NaN/)
  })
})
