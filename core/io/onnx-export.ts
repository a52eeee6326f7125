// A model as an ONNX graph (plain data, see onnx-graph.ts): one standard operator per layer, in order,
// with the parameters as initializers named as in our model files ('conv1.weight', 'dense1.bias', …).
//
//   input [N, 1, 28, 28] ─ Conv ─ Relu ─ MaxPool ─ … ─ Flatten ─ Gemm ─ Relu ─ … ─ Gemm ─▶ logits [N, 10]
//                                                                              └─ Softmax ─▶ probabilities

import { ModelFileError } from '../errors'
import {
  describeArchitecture,
  type LayerActivation,
  type ModelArchitecture
} from '../nn/architecture'
import { inferShapes, paddingOf, parameterShapes } from '../nn/shapes'
import { float32ToBytes } from './base64'
import {
  batchedFloatValue,
  floatAttribute,
  floatTensor,
  intAttribute,
  intsAttribute,
  ONNX_ACTIVATION_OPS,
  ONNX_IR_VERSION,
  ONNX_OPSET,
  type OnnxModel,
  type OnnxNode,
  type OnnxTensor
} from './onnx-graph'

/** The graph's input: a batch of images, [N, C, H, W] float32 (MNIST: [N, 1, 28, 28], pixels / 255). */
export const ONNX_INPUT_NAME = 'input'
/** The graph's outputs: the output layer's raw scores [N, classes], and their softmax. */
export const ONNX_LOGITS_NAME = 'logits'
export const ONNX_PROBABILITIES_NAME = 'probabilities'

export interface OnnxExportOptions {
  /** Recorded as the file's producer_version (e.g. the app's version). */
  readonly producerVersion?: string
}

/**
 * The ONNX model for an architecture and its parameters (by name, as in ModelFile.parameters):
 *   conv     → Conv (kernel_shape [k, k], strides [s, s], pads [p, p, p, p]; W [out, in, k, k], B [out])
 *   maxpool  → MaxPool (kernel_shape = strides = [size, size]; floor: leftover rows dropped, as ours)
 *   flatten  → Flatten (axis 1: [N, C, H, W] → [N, C·H·W] in (channel, row, column) order, as ours)
 *   dropout  → Dropout with its ratio (identity outside training, as ours)
 *   dense    → Gemm (Y = X·Wᵀ + B with transB = 1: our [out, in] weight is stored as is)
 *   relu/sigmoid/tanh → Relu/Sigmoid/Tanh after their layer
 * A dense layer reading the input image directly (a dense net) gets a Flatten first, since Gemm reads
 * matrices. Throws ModelFileError before producing anything when a parameter is missing, misshapen or
 * not finite, so a bad model never becomes a file.
 */
export function modelToOnnx(
  architecture: ModelArchitecture,
  parameters: ReadonlyMap<string, Float32Array>,
  { producerVersion = '' }: OnnxExportOptions = {}
): OnnxModel {
  const initializer = parameterInitializers(architecture, parameters)
  const nodes: OnnxNode[] = []
  const activationCounts = new Map<string, number>()
  let current = ONNX_INPUT_NAME
  /** Appends a node reading the current tensor (and `extraInputs`); its output is `output`. */
  const add = (name: string, node: OnnxNode, extraInputs: string[] = [], output = name): void => {
    nodes.push({ name, ...node, input: [current, ...extraInputs], output: [output] })
    current = output
  }
  const addActivation = (activation: LayerActivation): void => {
    if (activation === 'none') return
    const count = (activationCounts.get(activation) ?? 0) + 1
    activationCounts.set(activation, count)
    add(`${activation}${count}`, { opType: ONNX_ACTIVATION_OPS[activation] })
  }

  const shapes = inferShapes(architecture)
  for (const { name, spec, inputShape, index } of shapes) {
    const isOutput = index === -1
    switch (spec.kind) {
      case 'conv': {
        const { kernel: k, stride: s } = spec
        const p = paddingOf(k, spec.padding)
        const attribute = [
          intsAttribute('kernel_shape', [k, k]),
          intsAttribute('strides', [s, s]),
          intsAttribute('pads', [p, p, p, p])
        ]
        add(name, { opType: 'Conv', attribute }, [`${name}.weight`, `${name}.bias`])
        addActivation(spec.activation)
        break
      }
      case 'maxpool': {
        const window = [spec.size, spec.size]
        const attribute = [intsAttribute('kernel_shape', window), intsAttribute('strides', window)]
        add(name, { opType: 'MaxPool', attribute })
        break
      }
      case 'flatten':
        add(name, { opType: 'Flatten', attribute: [intAttribute('axis', 1)] })
        break
      case 'dropout':
        initializer.push(
          floatTensor(`${name}.ratio`, [], float32ToBytes(Float32Array.of(spec.rate)))
        )
        add(name, { opType: 'Dropout' }, [`${name}.ratio`])
        break
      case 'dense': {
        // NOTE: a dense net reads the [C, H, W] image as its C·H·W values; Gemm needs [N, C·H·W].
        if (inputShape.length === 3) add('input_flatten', { opType: 'Flatten' })
        const attribute = [
          intAttribute('transB', 1),
          floatAttribute('alpha', 1),
          floatAttribute('beta', 1)
        ]
        const weights = [`${name}.weight`, `${name}.bias`]
        add(name, { opType: 'Gemm', attribute }, weights, isOutput ? ONNX_LOGITS_NAME : name)
        addActivation(spec.activation)
        break
      }
    }
  }
  const softmax = { opType: 'Softmax', attribute: [intAttribute('axis', 1)] }
  add('softmax', softmax, [], ONNX_PROBABILITIES_NAME)

  const description = describeArchitecture(architecture)
  const classes = [architecture.outputSize]
  return {
    irVersion: ONNX_IR_VERSION,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    producerName: 'Backprop Studio',
    producerVersion,
    docString: `A network trained from scratch in Backprop Studio: ${description}`,
    graph: {
      name: 'backprop_studio_model',
      docString: description,
      node: nodes,
      initializer,
      input: [
        batchedFloatValue(
          ONNX_INPUT_NAME,
          architecture.inputShape,
          'images [N, channels, height, width], float32 pixels / 255 in [0, 1] (MNIST: white digit on black)'
        )
      ],
      output: [
        batchedFloatValue(
          ONNX_LOGITS_NAME,
          classes,
          'raw scores of the output layer, one per class'
        ),
        batchedFloatValue(ONNX_PROBABILITIES_NAME, classes, 'softmax of the logits')
      ]
    }
  }
}

/**
 * Each parameter as a float32 initializer, in the model's order, after checking it: present, of the
 * architecture's size, every value finite (ModelFileError otherwise, naming the parameter).
 */
function parameterInitializers(
  architecture: ModelArchitecture,
  parameters: ReadonlyMap<string, Float32Array>
): OnnxTensor[] {
  return parameterShapes(architecture).map(({ name, shape, size }) => {
    const values = parameters.get(name)
    if (!values) throw new ModelFileError(`cannot export: the model has no parameter ${name}`)
    if (values.length !== size)
      throw new ModelFileError(
        `cannot export: ${name} has ${values.length} values, its shape [${shape.join(', ')}] needs ${size}`
      )
    const bad = values.findIndex((v) => !Number.isFinite(v))
    if (bad >= 0)
      throw new ModelFileError(
        `cannot export: ${name} value ${bad} is ${values[bad]}, not a number`
      )
    return floatTensor(name, shape, float32ToBytes(values))
  })
}
