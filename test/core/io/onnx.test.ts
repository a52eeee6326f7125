// ONNX as plain data (no protobuf here): what our export writes, that the importer reads it back
// unchanged, how it reads other exporters' operator choices, and that it refuses everything else with
// the node and the reason. ONNX Runtime and PyTorch check the meaning: test/electron/onnx-*.test.ts.

import { describe, expect, it } from 'vitest'
import {
  createRng,
  modelToOnnx,
  ModelFileError,
  ONNX_IR_VERSION,
  ONNX_OPSET,
  onnxToModelFile,
  Sequential,
  type ModelArchitecture,
  type OnnxModel
} from '../../../core'
import { denseNet, SMALL_CONV_NET } from '../../helpers/architectures'
import {
  chainModel,
  floatConstant,
  int,
  int64Constant,
  ints,
  values
} from '../../helpers/onnx-graphs'

const convNet = SMALL_CONV_NET

const parametersOf = (model: Sequential) =>
  new Map(model.parameters().map((p) => [p.name, p.data] as const))
const exported = (architecture: ModelArchitecture, seed = 1) => {
  const model = new Sequential(architecture, 'he', createRng(seed))
  return { model, onnx: modelToOnnx(architecture, parametersOf(model)) }
}
const ops = (onnx: OnnxModel) => onnx.graph!.node!.map((n) => n.opType)

describe('modelToOnnx', () => {
  it('writes one standard operator per layer, opset 17, input [N, 1, 28, 28], logits and probabilities', () => {
    const { onnx } = exported(convNet)
    expect(onnx.irVersion).toBe(ONNX_IR_VERSION)
    expect(onnx.opsetImport).toEqual([{ domain: '', version: ONNX_OPSET }])
    expect(ops(onnx)).toEqual([
      'Conv',
      'Relu',
      'MaxPool',
      'Conv',
      'Tanh',
      'Flatten',
      'Gemm',
      'Sigmoid',
      'Dropout',
      'Gemm',
      'Softmax'
    ])
    const graph = onnx.graph!
    expect(graph.input!.map((v) => v.name)).toEqual(['input'])
    expect(graph.input![0].type!.tensorType!.shape!.dim).toEqual([
      { dimParam: 'N' },
      { dimValue: 1 },
      { dimValue: 28 },
      { dimValue: 28 }
    ])
    expect(graph.output!.map((v) => v.name)).toEqual(['logits', 'probabilities'])
    expect(graph.initializer!.map((t) => [t.name, t.dims])).toEqual([
      ['conv1.weight', [4, 1, 5, 5]],
      ['conv1.bias', [4]],
      ['conv2.weight', [8, 4, 3, 3]],
      ['conv2.bias', [8]],
      ['dense1.weight', [24, 288]],
      ['dense1.bias', [24]],
      ['dense2.weight', [10, 24]],
      ['dense2.bias', [10]],
      ['dropout1.ratio', []]
    ])
    const conv2 = graph.node![3]
    expect(conv2.attribute).toEqual([
      ints('kernel_shape', [3, 3]),
      ints('strides', [2, 2]),
      ints('pads', [0, 0, 0, 0])
    ])
    expect(graph.node![0].attribute![2]).toEqual(ints('pads', [2, 2, 2, 2]))
  })

  it('flattens the image before the first Gemm of a dense net', () => {
    expect(ops(exported(denseNet([32], 'sigmoid')).onnx)).toEqual([
      'Flatten',
      'Gemm',
      'Sigmoid',
      'Gemm',
      'Softmax'
    ])
  })

  it('refuses a model with a parameter that is not finite, naming it, before writing anything', () => {
    const model = new Sequential(convNet, 'he', createRng(1))
    const parameters = parametersOf(model)
    parameters.get('dense1.bias')![3] = Number.NaN
    expect(() => modelToOnnx(convNet, parameters)).toThrow(
      new ModelFileError('cannot export: dense1.bias value 3 is NaN, not a number')
    )
    parameters.delete('conv2.weight')
    expect(() => modelToOnnx(convNet, parameters)).toThrow(/no parameter conv2\.weight/)
  })
})

describe('onnxToModelFile', () => {
  const nets: [string, ModelArchitecture][] = [
    ['a conv net with stride 2, same and valid padding, pooling and dropout', convNet],
    ['a dense net', denseNet([24, 12], 'tanh')],
    ['softmax regression', denseNet([])],
    ['a dense net on a strip of 100 inputs', denseNet([8], 'relu', 100, 3)]
  ]
  for (const [name, architecture] of nets) {
    it(`reads our export back unchanged: ${name}`, () => {
      const { model, onnx } = exported(architecture, 7)
      const file = onnxToModelFile(onnx)
      expect(file.architecture).toEqual(architecture)
      expect([...file.parameters.keys()]).toEqual(model.parameters().map((p) => p.name))
      for (const p of model.parameters()) expect(file.parameters.get(p.name)).toEqual(p.data)
    })
  }

  it("reads PyTorch's choices: Flatten first, Gemm with transB, bias-less Conv, Relu after MaxPool", () => {
    const w1 = values(4 * 9)
    const onnx = chainModel(
      [1, 8, 8],
      [
        { op: 'Conv', constants: [floatConstant('c.w', [4, 1, 3, 3], w1)] }, // no B: zero bias
        { op: 'MaxPool', attribute: [ints('kernel_shape', [2, 2]), ints('strides', [2, 2])] },
        { op: 'Relu' },
        { op: 'Flatten', attribute: [int('axis', 1)] },
        {
          op: 'Gemm',
          attribute: [int('transB', 1)],
          constants: [
            floatConstant('fc.w', [10, 36], values(360)),
            floatConstant('fc.b', [10], values(10))
          ]
        },
        { op: 'Softmax', attribute: [int('axis', 1)] }
      ]
    )
    const file = onnxToModelFile(onnx)
    expect(file.architecture).toEqual({
      inputShape: [1, 8, 8],
      layers: [
        { kind: 'conv', filters: 4, kernel: 3, stride: 1, padding: 'valid', activation: 'relu' },
        { kind: 'maxpool', size: 2 },
        { kind: 'flatten' }
      ],
      outputSize: 10
    })
    expect(file.parameters.get('conv1.weight')).toEqual(Float32Array.from(w1))
    expect(file.parameters.get('conv1.bias')).toEqual(new Float32Array(4))
    expect(file.parameters.get('dense1.weight')).toEqual(Float32Array.from(values(360)))
  })

  it('turns MatMul (+ Add) and Gemm without transB into our [out, in] weights; Reshape [0, −1] is a flatten', () => {
    // B [in = 3, out = 2] = [[1, 2], [3, 4], [5, 6]] → our weight [[1, 3, 5], [2, 4, 6]]
    const b = floatConstant('B', [3, 2], [1, 2, 3, 4, 5, 6])
    const onnx = chainModel(
      [1, 1, 3],
      [
        { op: 'Reshape', constants: [int64Constant('shape', [0, -1])] },
        { op: 'MatMul', constants: [b] },
        { op: 'Add', constants: [floatConstant('bias', [2], [0.5, -0.5])] },
        { op: 'Tanh' },
        {
          op: 'Gemm',
          attribute: [{ name: 'alpha', type: 1, f: 2 }],
          constants: [
            floatConstant('B2', [2, 10], values(20)),
            floatConstant('C2', [1, 10], values(10))
          ]
        }
      ]
    )
    const file = onnxToModelFile(onnx)
    expect(file.architecture).toEqual({
      inputShape: [1, 1, 3],
      layers: [{ kind: 'dense', units: 2, activation: 'tanh' }],
      outputSize: 10
    })
    expect(file.parameters.get('dense1.weight')).toEqual(Float32Array.of(1, 3, 5, 2, 4, 6))
    expect(file.parameters.get('dense1.bias')).toEqual(Float32Array.of(0.5, -0.5))
    const b2 = values(20)
    const expected = Float32Array.from(
      { length: 20 },
      (_, i) => 2 * b2[(i % 2) * 10 + Math.floor(i / 2)]
    )
    expect(file.parameters.get('dense2.weight')).toEqual(expected)
  })

  const denseSteps = () => [
    { op: 'Flatten' },
    {
      op: 'Gemm',
      attribute: [int('transB', 1)],
      constants: [floatConstant('w', [10, 16], values(160))]
    }
  ]
  const refusals: [string, OnnxModel, RegExp | string][] = [
    [
      'an unsupported operator, named with its node',
      chainModel(
        [1, 4, 4],
        [
          { op: 'Flatten' },
          {
            op: 'Gemm',
            attribute: [int('transB', 1)],
            constants: [floatConstant('a', [8, 16], values(128))]
          },
          { op: 'Relu' },
          { op: 'Identity' },
          { op: 'Dropout' },
          { op: 'Identity' },
          { op: 'LSTM', name: 'lstm' }
        ]
      ),
      'node 7 (LSTM "lstm"): operator LSTM is not supported (supported: Gemm, MatMul, Add, Conv, MaxPool, Relu, Sigmoid, Tanh, Flatten, Reshape, Dropout, Identity, Softmax, Constant)'
    ],
    [
      'an operator from another domain',
      chainModel([1, 4, 4], [{ op: 'Gelu', name: 'g' }]),
      /node 1 \(Gelu "g"\): operator Gelu is not supported/
    ],
    [
      'an activation that has no layer of its own',
      chainModel([1, 4, 4], [{ op: 'Flatten' }, { op: 'Sigmoid' }]),
      /node 2 \(Sigmoid .*\): Sigmoid must directly follow a Conv or a dense layer/
    ],
    [
      'an output layer with an activation',
      chainModel([1, 4, 4], [...denseSteps(), { op: 'Sigmoid' }]),
      /the output layer \(node 2 \(Gemm .*\)\) is followed by Sigmoid/
    ],
    [
      'a network that does not end in a dense layer',
      chainModel([1, 4, 4], [{ op: 'Flatten' }]),
      /must end with a dense layer .*; it ends with node 1 \(Flatten/
    ],
    [
      'padding other than valid or same',
      chainModel(
        [1, 8, 8],
        [
          {
            op: 'Conv',
            attribute: [ints('pads', [1, 1, 1, 1])],
            constants: [floatConstant('w', [2, 1, 5, 5], values(50))]
          }
        ]
      ),
      /node 1 \(Conv .*\): pads \[1, 1, 1, 1\] are not supported: none \('valid'\) or \(k − 1\)\/2 = 2/
    ],
    [
      'SAME_UPPER at stride 2 (uneven padding)',
      chainModel(
        [1, 8, 8],
        [
          {
            op: 'Conv',
            attribute: [
              { name: 'auto_pad', type: 3, s: new TextEncoder().encode('SAME_UPPER') },
              ints('strides', [2, 2])
            ],
            constants: [floatConstant('w', [2, 1, 3, 3], values(18))]
          }
        ]
      ),
      /auto_pad SAME_UPPER is only supported at stride 1/
    ],
    [
      'overlapping pooling windows',
      chainModel([1, 8, 8], [{ op: 'MaxPool', attribute: [ints('kernel_shape', [3, 3])] }]),
      /strides \[1, 1\] differ from its 3×3 window/
    ],
    [
      'a Gemm on an image',
      chainModel([1, 4, 4], [denseSteps()[1]]),
      /node 1 \(Gemm .*\): Gemm reads a matrix \[N, values\], but the tensor here is an image/
    ],
    [
      'a weight that does not fit its input',
      chainModel(
        [1, 4, 4],
        [
          { op: 'Flatten' },
          {
            op: 'Gemm',
            attribute: [int('transB', 1)],
            constants: [floatConstant('w', [10, 15], values(150))]
          }
        ]
      ),
      /node 2 \(Gemm .*\): weight \[10, 15\] does not fit its input: as dense1\.weight it must be \[10, 16\]/
    ],
    [
      'a reshape that is not a flatten',
      chainModel([1, 4, 4], [{ op: 'Reshape', constants: [int64Constant('s', [1, 2, -1])] }]),
      /Reshape to \[1, 2, -1\] is not supported/
    ],
    ['a newer opset', chainModel([1, 4, 4], denseSteps(), 30), /opset 30; opsets 7 to 28/],
    [
      'weights in a separate file',
      chainModel(
        [1, 4, 4],
        [
          { op: 'Flatten' },
          { op: 'Gemm', constants: [{ ...floatConstant('w', [16, 10], []), dataLocation: 1 }] }
        ]
      ),
      /stored in a separate file/
    ],
    [
      'a layer too large for the studio',
      chainModel(
        [1, 4, 4],
        [
          { op: 'Conv', constants: [floatConstant('big', [300, 1, 1, 1], values(300))] },
          ...denseSteps()
        ]
      ),
      /the network does not fit the studio: architecture\.layers\[0\]\.filters/
    ]
  ]
  for (const [name, onnx, message] of refusals) {
    it(`refuses ${name}`, () => {
      expect(() => onnxToModelFile(onnx)).toThrow(ModelFileError)
      expect(() => onnxToModelFile(onnx)).toThrow(message)
    })
  }

  it('refuses a branch: a node that does not read the tensor the node before it made', () => {
    const onnx = chainModel([1, 4, 4], denseSteps())
    onnx.graph!.node![1].input![0] = 'input' // the Gemm skips the Flatten
    expect(() => onnxToModelFile(onnx)).toThrow(
      /node 2 \(Gemm .*\): reads "input", but the node before it gives "t1": only a chain of layers/
    )
    const add = chainModel([1, 4, 4], [...denseSteps(), { op: 'Add' }])
    add.graph!.node![2].input = ['t2', 't1'] // a skip connection
    expect(() => onnxToModelFile(add)).toThrow(/input "t1" is computed, not a constant/)
  })
})
