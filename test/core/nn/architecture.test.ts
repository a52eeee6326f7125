// Architectures as layer lists: parsing (both forms), shape inference and its errors, names, notation.
import { describe, expect, it } from 'vitest'
import {
  ConfigError,
  countParameters,
  denseForm,
  describeArchitecture,
  formatLayerList,
  imageMismatch,
  inferShapes,
  layerNames,
  parseArchitecture,
  parseLayerList,
  parameterShapes,
  PRESETS,
  traceShapes,
  type LayerActivation,
  type LayerSpec,
  type ModelArchitecture
} from '../../../core'
import { denseNet } from '../../helpers/architectures'

const conv = (
  filters: number,
  kernel: number,
  padding: 'same' | 'valid' = 'same',
  stride: 1 | 2 = 1
): LayerSpec => ({ kind: 'conv', filters, kernel, stride, padding, activation: 'relu' })
const dense = (units: number, activation: LayerActivation = 'relu'): LayerSpec => ({
  kind: 'dense',
  units,
  activation
})
const pool: LayerSpec = { kind: 'maxpool', size: 2 }
const flatten: LayerSpec = { kind: 'flatten' }

/** LeNet-5 as the lenet preset has it: 1×28×28 → 6×28×28 → 6×14×14 → 16×10×10 → 16×5×5 → 120 → 84 → 10. */
const lenet: ModelArchitecture = {
  inputShape: [1, 28, 28],
  layers: [conv(6, 5), pool, conv(16, 5, 'valid'), pool, flatten, dense(120), dense(84)],
  outputSize: 10
}
const withLayers = (...layers: LayerSpec[]): ModelArchitecture => ({ ...lenet, layers })

describe('the dense form (model files v1, old settings) becomes the list form', () => {
  it('784 inputs are a 28×28 image, any s² an s×s image, anything else a 1×1×n strip', () => {
    const parse = (inputSize: number) =>
      parseArchitecture({ inputSize, hiddenSizes: [128], activation: 'tanh', outputSize: 10 })
    expect(parse(784)).toEqual({
      inputShape: [1, 28, 28],
      layers: [{ kind: 'dense', units: 128, activation: 'tanh' }],
      outputSize: 10
    })
    expect(parse(16).inputShape).toEqual([1, 4, 4])
    expect(parse(10).inputShape).toEqual([1, 1, 10])
  })

  it('keeps the parameter names and shapes of a dense net exactly', () => {
    expect(parameterShapes(denseNet([128, 64])).map((p) => [p.name, p.shape])).toEqual([
      ['dense1.weight', [128, 784]],
      ['dense1.bias', [128]],
      ['dense2.weight', [64, 128]],
      ['dense2.bias', [64]],
      ['dense3.weight', [10, 64]],
      ['dense3.bias', [10]]
    ])
    expect(describeArchitecture(denseNet([128]))).toBe('784 → 128 ReLU → 10')
    expect(denseForm(denseNet([32, 16], 'sigmoid'))).toEqual({
      inputSize: 784,
      hiddenSizes: [32, 16],
      activation: 'sigmoid',
      outputSize: 10
    })
  })

  it('denseForm is null for anything the dense form cannot say', () => {
    expect(denseForm(lenet)).toBeNull()
    expect(denseForm(withLayers(dense(8), { kind: 'dropout', rate: 0.5 }))).toBeNull()
    expect(denseForm(withLayers(dense(8), dense(8, 'tanh')))).toBeNull()
    expect(denseForm(withLayers(dense(8, 'none')))).toBeNull()
  })
})

describe('the list form', () => {
  it('accepts LeNet and gives it back unchanged; it is the lenet preset', () => {
    expect(parseArchitecture(structuredClone(lenet))).toEqual(lenet)
    expect(PRESETS.lenet.config.architecture).toEqual(lenet)
  })

  it('infers every shape and parameter count (LeNet-5: 61 706 parameters)', () => {
    expect(
      inferShapes(lenet).map((l) => [l.name, l.inputShape, l.outputShape, l.parameters])
    ).toEqual([
      ['conv1', [1, 28, 28], [6, 28, 28], 6 * 25 + 6],
      ['pool1', [6, 28, 28], [6, 14, 14], 0],
      ['conv2', [6, 14, 14], [16, 10, 10], 16 * 6 * 25 + 16],
      ['pool2', [16, 10, 10], [16, 5, 5], 0],
      ['flatten1', [16, 5, 5], [400], 0],
      ['dense1', [400], [120], 400 * 120 + 120],
      ['dense2', [120], [84], 120 * 84 + 84],
      ['dense3', [84], [10], 84 * 10 + 10]
    ])
    expect(countParameters(lenet)).toBe(61_706)
    expect(
      parameterShapes(lenet)
        .slice(0, 4)
        .map((p) => p.shape)
    ).toEqual([[6, 1, 5, 5], [6], [16, 6, 5, 5], [16]])
  })

  it("stride 2 with 'same' padding halves the image, rounding up; pooling rounds down", () => {
    const shapes = inferShapes(
      withLayers(conv(8, 3, 'same', 2), conv(8, 3, 'same', 2), pool, flatten)
    )
    expect(shapes.map((l) => l.outputShape)).toEqual([
      [8, 14, 14],
      [8, 7, 7],
      [8, 3, 3],
      [72],
      [10]
    ])
  })

  it('names layers per kind; the output layer is the last dense', () => {
    expect(layerNames(lenet)).toEqual([
      'conv1',
      'pool1',
      'conv2',
      'pool2',
      'flatten1',
      'dense1',
      'dense2',
      'dense3'
    ])
    expect(layerNames(withLayers(conv(4, 3), { kind: 'dropout', rate: 0.25 }, flatten))).toEqual([
      'conv1',
      'dropout1',
      'flatten1',
      'dense1'
    ])
  })

  it('writes CNNs in the usual notation', () => {
    expect(describeArchitecture(lenet)).toBe(
      '1×28×28 → conv 5×5×6 ReLU → pool 2 → conv 5×5×16 valid ReLU → pool 2 → flatten → 120 ReLU → 84 ReLU → 10'
    )
    expect(describeArchitecture(withLayers(conv(32, 3, 'same', 2), flatten))).toBe(
      '1×28×28 → conv 3×3×32 /2 ReLU → flatten → 10'
    )
  })

  const impossible: [string, ModelArchitecture, RegExp][] = [
    [
      'a filter larger than its input',
      withLayers(pool, pool, pool, conv(5, 5, 'valid'), flatten),
      /^architecture\.layers\[3\]: conv1 \(conv 5×5×5 valid ReLU\): a 5×5 filter does not fit its 3×3 input$/
    ],
    [
      'pooling after flatten',
      withLayers(conv(4, 3), flatten, pool),
      /^architecture\.layers\[2\]: pool1 \(pool 2\): it reads images .* but flatten1 gives a flat vector of 3136 values/
    ],
    [
      'a convolution after a dense layer',
      withLayers(dense(64), conv(4, 3)),
      /^architecture\.layers\[1\]: conv1 .* but dense1 gives a flat vector of 64 values/
    ],
    [
      'a dense layer straight after a conv layer',
      withLayers(conv(4, 3), dense(64)),
      /^architecture\.layers\[1\]: dense1 \(64 ReLU\): a dense layer reads a flat vector, but conv1 gives 4×28×28 images: put a flatten before it$/
    ],
    [
      'images left for the output layer',
      withLayers(conv(4, 3), pool),
      /^architecture\.layers: the output layer \(dense1\) reads a flat vector, but pool1 gives 4×14×14 images: end the list with a flatten$/
    ],
    [
      "'same' padding with an even kernel",
      withLayers(conv(4, 4), flatten),
      /^architecture\.layers\[0\]: conv1 .*'same' padding needs an odd kernel .* use 3 or 5, or 'valid'$/
    ],
    [
      'a pooling window larger than its input',
      withLayers(pool, pool, pool, pool, pool, flatten),
      /^architecture\.layers\[4\]: pool5 \(pool 2\): a 2×2 window does not fit its 1×1 input$/
    ],
    [
      'a flatten of a flat vector',
      withLayers(dense(8), flatten),
      /flatten1 .*dense1 already gives a flat vector/
    ]
  ]
  for (const [name, architecture, message] of impossible) {
    it(`refuses ${name}, naming the layer and why`, () => {
      expect(() => parseArchitecture(architecture)).toThrow(ConfigError)
      expect(() => parseArchitecture(architecture)).toThrow(message)
    })
    it(`traces ${name} up to the layer, with the same reason`, () => {
      const trace = traceShapes(architecture)
      expect(trace.problem?.message).toMatch(message)
      const failing = /^architecture\.layers\[(\d+)\]/.exec(trace.problem?.field ?? '')
      // Every layer before the failing one, with the shapes inferShapes gives the list cut there.
      const before = failing ? Number(failing[1]) : architecture.layers.length
      expect(trace.layers.map((l) => l.index)).toEqual([...Array(before).keys()])
    })
  }

  it('traces a list that works to the end, output layer included, exactly as inferShapes', () => {
    expect(traceShapes(lenet)).toEqual({ layers: inferShapes(lenet), problem: null })
  })

  const badFields: [string, unknown, RegExp][] = [
    [
      'an unknown kind',
      { kind: 'lstm' },
      /layers\[0\]\.kind: must be one of dense, conv, maxpool, flatten, dropout/
    ],
    ['stride 3', { ...conv(4, 3), stride: 3 }, /layers\[0\]\.stride: must be one of 1, 2, got 3/],
    [
      'a missing padding',
      { ...conv(4, 3), padding: undefined },
      /layers\[0\]\.padding: must be one of valid, same/
    ],
    [
      'too many filters',
      conv(1000, 3),
      /layers\[0\]\.filters: must be a whole number from 1 to 256/
    ],
    [
      'dropout rate 1',
      { kind: 'dropout', rate: 1 },
      /layers\[0\]\.rate: must be a number ≥ 0 and ≤ 0.9/
    ],
    [
      'a typo',
      { kind: 'maxpool', size: 2, stride: 2 },
      /layers\[0\]\.stride: is not a known setting/
    ]
  ]
  for (const [name, layer, message] of badFields) {
    it(`refuses a layer with ${name}`, () => {
      expect(() => parseArchitecture({ ...lenet, layers: [layer] })).toThrow(message)
    })
  }

  it('refuses a model too large to hold, and a bad input shape', () => {
    expect(() => parseArchitecture(withLayers(conv(256, 11), flatten, dense(4096)))).toThrow(
      /^architecture\.layers: the model's number of trainable values must be a whole number from 0 to 100000000/
    )
    expect(() => parseArchitecture({ ...lenet, inputShape: [1, 28] })).toThrow(
      /inputShape: must be \[channels, height, width\]/
    )
    expect(() => parseArchitecture({ ...lenet, inputShape: [0, 28, 28] })).toThrow(
      /inputShape\[0\]: must be a whole number from 1 to 64/
    )
  })

  it('says when images do not fit the net', () => {
    expect(imageMismatch(lenet, 28, 28, 'MNIST images')).toBeNull()
    expect(imageMismatch(lenet, 32, 32, 'these images')).toBe(
      'reads 1×28×28 images but these images are 1×32×32'
    )
    // A dense net only counts pixels: 784 values may come as 28×28 or 14×56.
    expect(imageMismatch(denseNet([8]), 14, 56, 'x')).toBeNull()
    expect(imageMismatch(denseNet([8]), 10, 10, 'these images')).toBe(
      'takes 784 inputs but these images have 10×10 = 100 pixels'
    )
  })
})

describe('the compact syntax (--layers, the Train view)', () => {
  it('reads LeNet, inserting the flatten, and writes it back', () => {
    const layers = parseLayerList('conv5x5x6, pool2, conv5x5x16valid, pool2, dense120, 84', 'relu')
    expect(layers).toEqual(lenet.layers)
    expect(formatLayerList(layers, 'relu')).toBe(
      'conv5x5x6, pool2, conv5x5x16valid, pool2, flatten, 120, 84'
    )
    expect(parseLayerList(formatLayerList(layers, 'relu'), 'relu')).toEqual(layers)
  })

  it('stride, padding, dropout, per-layer activations, and a flatten at the end', () => {
    expect(parseLayerList('Conv3x3x32s2Valid:tanh, dropout0.25, conv1x1x4:none', 'relu')).toEqual([
      { kind: 'conv', filters: 32, kernel: 3, stride: 2, padding: 'valid', activation: 'tanh' },
      { kind: 'dropout', rate: 0.25 },
      { kind: 'conv', filters: 4, kernel: 1, stride: 1, padding: 'same', activation: 'none' },
      { kind: 'flatten' }
    ])
    expect(formatLayerList([dense(8), dense(4, 'tanh')], 'relu')).toBe('8, 4:tanh')
    expect(parseLayerList('', 'relu')).toEqual([])
    expect(parseLayerList('none', 'relu')).toEqual([])
  })

  it('names the token it cannot read', () => {
    expect(() => parseLayerList('conv5x5, pool2', 'relu')).toThrow(
      /^architecture\.layers: layer 1 "conv5x5" is not a layer: write e\.g\. conv5x5x6/
    )
    expect(() => parseLayerList('conv3x5x8', 'relu')).toThrow(/is not square/)
    expect(() => parseLayerList('128,,64', 'relu')).toThrow(/layer 2 is empty/)
    expect(() => parseLayerList('dense8:swish', 'relu')).toThrow(/unknown activation "swish"/)
  })
})
