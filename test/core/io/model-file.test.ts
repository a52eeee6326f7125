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
  serializeModel
} from '../../../core'
import { seededValues } from '../../helpers/gradcheck'

const architecture = {
  inputSize: 784,
  hiddenSizes: [16, 8],
  activation: 'tanh',
  outputSize: 10
} as const
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

  it('records format, version, shapes and a checksum', () => {
    const file = JSON.parse(text())
    expect(file.format).toBe('backprop-studio-model')
    expect(file.version).toBe(1)
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
    ['a newer version', mutate((f) => (f.version = 2)), /newer Backprop Studio \(format version 2/],
    [
      'a bad architecture',
      mutate((f) => (f.architecture.activation = 'swish')),
      /invalid architecture.activation/
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
