// An ONNX model (plain data, see onnx-graph.ts) read back as one of our models, operator by operator:
// the graph must be a chain of the layers the studio has (such as a PyTorch nn.Sequential of Conv2d,
// MaxPool2d, Flatten, Linear, ReLU… exported by torch.onnx.export, or one of our own exports), and
// anything else is refused with the node, its operator and what is supported.
//
//   Conv (+ Relu/Sigmoid/Tanh)          → conv   (weights [out, in, k, k] as they are)
//   MaxPool                             → maxpool (non-overlapping windows only)
//   Flatten, Reshape to [N, −1]         → flatten
//   Gemm, or MatMul (+ Add)  (+ act.)   → dense  (weights turned into our [out, in])
//   Dropout                             → dropout; Identity → nothing
//   Softmax, last                       → nothing: our models end in logits and apply softmax after

import { ConfigError, ModelFileError } from '../errors'
import type { ActivationKind } from '../nn/activations'
import {
  inputShapeOfSize,
  type LayerActivation,
  type LayerSpec,
  type ModelArchitecture
} from '../nn/architecture'
import { parameterShapes } from '../nn/shapes'
import { parseArchitecture } from '../train/architecture-config'
import type { ModelFile } from './model-file'
import {
  ONNX_ACTIVATION_OPS,
  OnnxDataType,
  type OnnxGraph,
  type OnnxModel,
  type OnnxNode,
  type OnnxTensor
} from './onnx-graph'
import { readBias, readOnnxLayer, type OnnxLayer } from './onnx-layers'
import { intAttributeOf } from './onnx-values'

/** Every operator the importer reads, in the order error messages list them. */
export const SUPPORTED_ONNX_OPERATORS = [
  'Gemm',
  'MatMul',
  'Add',
  'Conv',
  'MaxPool',
  'Relu',
  'Sigmoid',
  'Tanh',
  'Flatten',
  'Reshape',
  'Dropout',
  'Identity',
  'Softmax',
  'Constant'
] as const

/**
 * The standard operator sets we read: 7 (where Gemm, Dropout and the activations took their current
 * form) to 28 (the newest in the vendored ONNX 1.23 schema). Later versions of our operators only add
 * element types (float16, bfloat16, …), and Reshape's allowzero, which onnx-layers.ts checks.
 */
const OLDEST_OPSET = 7
const NEWEST_OPSET = 28

const ACTIVATION_OF_OP = new Map<string, ActivationKind>(
  Object.entries(ONNX_ACTIVATION_OPS).map(([kind, op]) => [op, kind as ActivationKind])
)

/**
 * Reads an ONNX model into a model file (architecture and parameters by name; no training config or
 * metrics). Throws ModelFileError naming the node and what is wrong, e.g.
 * "node 7 (LSTM "lstm1"): operator LSTM is not supported (supported: Gemm, MatMul, …)".
 */
export function onnxToModelFile(model: OnnxModel): ModelFile {
  const graph = model.graph
  if (!graph) throw new ModelFileError('the ONNX file has no graph')
  checkOpset(model)
  const constants = new Map<string, OnnxTensor>()
  for (const tensor of graph.initializer ?? []) constants.set(tensor.name ?? '', tensor)
  const input = graphInput(graph, constants)
  const chain = new Chain(input.name, input.isImage, constants)
  ;(graph.node ?? []).forEach((node, i) => chain.read(node, describeNode(node, i)))
  return chain.finish(graph, input.inputShape)
}

function describeNode(node: OnnxNode, index: number): string {
  const name = node.name ? ` "${node.name}"` : ''
  return `node ${index + 1} (${node.opType ?? 'no operator'}${name})`
}

function checkOpset(model: OnnxModel): void {
  const standard = (model.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx')
  const version = Number(standard?.version ?? 0)
  if (!standard) throw new ModelFileError('the ONNX file imports no standard operator set (opset)')
  if (version < OLDEST_OPSET || version > NEWEST_OPSET) {
    throw new ModelFileError(
      `the ONNX file uses opset ${version}; opsets ${OLDEST_OPSET} to ${NEWEST_OPSET} are supported ` +
        '(re-export it with another opset_version)'
    )
  }
}

/** The one input that is not a constant: its name, its per-sample shape, and whether it is an image. */
function graphInput(
  graph: OnnxGraph,
  constants: ReadonlyMap<string, OnnxTensor>
): { name: string; inputShape: [number, number, number]; isImage: boolean } {
  // NOTE: files before IR version 4 list every initializer among the inputs too.
  const inputs = (graph.input ?? []).filter((value) => !constants.has(value.name ?? ''))
  if (inputs.length !== 1) {
    throw new ModelFileError(
      `the graph has ${inputs.length} inputs (${inputs.map((v) => v.name).join(', ')}); a model ` +
        'the studio reads has one, the images'
    )
  }
  const [input] = inputs
  const tensorType = input.type?.tensorType
  if (tensorType?.elemType !== OnnxDataType.FLOAT)
    throw new ModelFileError(`the input "${input.name}" is not a float32 tensor`)
  const dims = (tensorType.shape?.dim ?? []).slice(1).map((d) => Number(d.dimValue ?? 0))
  if (dims.some((d) => !(d > 0)) || (dims.length !== 3 && dims.length !== 1)) {
    const shape = (tensorType.shape?.dim ?? []).map((d) => d.dimParam ?? d.dimValue ?? '?')
    throw new ModelFileError(
      `the input "${input.name}" has shape [${shape.join(', ')}]; expected [N, channels, height, ` +
        'width] or [N, values] with fixed sizes after the batch'
    )
  }
  const isImage = dims.length === 3
  const inputShape: [number, number, number] = isImage
    ? [dims[0], dims[1], dims[2]]
    : inputShapeOfSize(dims[0])
  return { name: input.name ?? '', inputShape, isImage }
}

/** One layer read so far, with its activation (set by the node after it) and where it came from. */
interface DraftLayer extends OnnxLayer {
  activation: LayerActivation
  readonly origin: string
}

/** The graph read node by node as a chain: each node must read the tensor the node before it made. */
class Chain {
  private current: string
  private readonly layers: DraftLayer[] = []
  /** Every tensor of the chain: the graph's outputs must be among them. */
  private readonly tensors = new Set<string>()
  /** The layer a following Relu/Sigmoid/Tanh belongs to, if any. */
  private activationTarget: DraftLayer | null = null
  /** A dense layer read from MatMul, whose bias an Add may bring next. */
  private pendingBias: DraftLayer | null = null
  private softmax: string | null = null

  constructor(
    input: string,
    private isImage: boolean,
    private readonly constants: Map<string, OnnxTensor>
  ) {
    this.current = input
    this.tensors.add(input)
  }

  read(node: OnnxNode, where: string): void {
    const op = node.opType ?? ''
    const fail = (why: string): never => {
      throw new ModelFileError(`${where}: ${why}`)
    }
    if (node.domain && node.domain !== 'ai.onnx')
      fail(`operator ${node.domain}.${op} is not a standard ONNX operator`)
    if (!(SUPPORTED_ONNX_OPERATORS as readonly string[]).includes(op))
      fail(`operator ${op} is not supported (supported: ${SUPPORTED_ONNX_OPERATORS.join(', ')})`)
    const output = node.output?.[0] ?? ''
    if (op === 'Constant') {
      const value = node.attribute?.find((a) => a.name === 'value')?.t
      if (!value) fail('only a Constant with a tensor "value" is supported')
      this.constants.set(output, value!)
      return
    }
    if (this.softmax)
      fail(`comes after the Softmax (${this.softmax}), which must be the last operator`)
    const inputs = this.chainInputs(node, fail)

    const activation = ACTIVATION_OF_OP.get(op)
    if (activation) {
      const target = this.activationTarget
      if (!target || target.activation !== 'none') {
        fail(
          `${op} must directly follow a Conv or a dense layer (Gemm, or MatMul + Add): in the studio ` +
            'an activation belongs to the layer before it'
        )
      }
      target!.activation = activation
      this.activationTarget = null
    } else if (op === 'Add') {
      if (!this.pendingBias) fail('Add is supported only as the bias right after a MatMul')
      this.pendingBias!.bias = this.biasValues(inputs[1], this.pendingBias!, where, fail)
    } else if (op === 'Softmax') {
      if (this.isImage) fail('Softmax must come after the last dense layer, on [N, classes]')
      const axis = intAttributeOf(node, 'axis', -1)
      if (axis !== 1 && axis !== -1)
        fail(`Softmax over axis ${axis}: only the classes' axis (1) is supported`)
      this.softmax = where
    } else {
      const layer = readOnnxLayer(node, op, inputs.slice(1), this.isImage, this.constant, fail)
      if (layer) this.addLayer(layer, where)
    }
    this.pendingBias = op === 'MatMul' ? this.layers[this.layers.length - 1] : null
    this.current = output
    this.tensors.add(output)
  }

  private addLayer(layer: OnnxLayer, origin: string): void {
    const draft: DraftLayer = { ...layer, activation: 'none', origin }
    this.layers.push(draft)
    switch (draft.spec.kind) {
      case 'conv':
      case 'dense':
        this.activationTarget = draft
        break
      case 'maxpool':
        // NOTE: max(f(a), f(b)) = f(max(a, b)) for an increasing f (ReLU, σ, tanh), so an activation
        // after a pool belongs to the conv before it: Conv → MaxPool → Relu is Conv(relu) → MaxPool.
        break
      case 'flatten':
        this.isImage = false
        this.activationTarget = null
        break
      case 'dropout':
        this.activationTarget = null
    }
  }

  /**
   * The node's inputs with the chain's tensor first; every other input must be a constant (or '',
   * an optional input left out). Add may read the chain's tensor second (bias + x).
   */
  private chainInputs(node: OnnxNode, fail: (why: string) => never): string[] {
    const inputs = [...(node.input ?? [])]
    if (node.opType === 'Add' && inputs[1] === this.current) inputs.reverse()
    if (inputs[0] !== this.current) {
      fail(
        `reads "${inputs[0] ?? ''}", but the node before it gives "${this.current}": only a chain of ` +
          'layers is supported (no branches or skip connections)'
      )
    }
    for (const name of inputs.slice(1)) {
      if (name !== '' && !this.constants.has(name))
        fail(`input "${name}" is computed, not a constant: only a chain of layers is supported`)
    }
    return inputs
  }

  /** The constant `name` (the chain checked it exists), or undefined for an omitted input (''). */
  private readonly constant = (name: string | undefined): OnnxTensor | undefined =>
    name ? this.constants.get(name) : undefined

  private biasValues(
    name: string,
    layer: DraftLayer,
    where: string,
    fail: (why: string) => never
  ): Float32Array {
    const units = layer.spec.kind === 'dense' ? layer.spec.units : 0
    const bias = readBias(this.constant(name), units, `${where}: bias`)
    if (!bias) fail(`adds "${name}", which is not a bias of ${units} values`)
    return bias!
  }

  /** The architecture and parameters, checked as a model file's are. */
  finish(graph: OnnxGraph, inputShape: [number, number, number]): ModelFile {
    const last = this.layers[this.layers.length - 1]
    if (!last || last.spec.kind !== 'dense') {
      throw new ModelFileError(
        'the network must end with a dense layer (Gemm, or MatMul + Add) giving one score per class' +
          (last ? `; it ends with ${last.origin}` : '')
      )
    }
    if (last.activation !== 'none') {
      throw new ModelFileError(
        `the output layer (${last.origin}) is followed by ${ONNX_ACTIVATION_OPS[last.activation]}: the ` +
          "studio's output layer gives raw scores (logits), with softmax applied after it"
      )
    }
    for (const value of graph.output ?? []) {
      if (!this.tensors.has(value.name ?? ''))
        throw new ModelFileError(
          `the graph's output "${value.name}" is not computed by the chain of layers`
        )
    }
    if (!(graph.output ?? []).some((value) => value.name === this.current))
      throw new ModelFileError(
        `the graph's last tensor "${this.current}" is not one of its outputs`
      )

    let drafts = this.layers
    // NOTE: a dense net reads the image as its values; a leading Flatten (PyTorch's nn.Flatten) adds
    // nothing there, and without it the net stays a plain dense net (fast engine, weight heatmaps).
    if (drafts[0].spec.kind === 'flatten' && drafts.every((d) => !isImageLayer(d.spec)))
      drafts = drafts.slice(1)
    const hidden = drafts.slice(0, -1)
    const withActivation = (d: DraftLayer): LayerSpec =>
      d.spec.kind === 'dense' || d.spec.kind === 'conv'
        ? { ...d.spec, activation: d.activation }
        : d.spec
    let architecture: ModelArchitecture = {
      inputShape,
      layers: hidden.map(withActivation),
      outputSize: last.spec.kind === 'dense' ? last.spec.units : 0
    }
    try {
      architecture = parseArchitecture(architecture)
    } catch (error) {
      if (error instanceof ConfigError)
        throw new ModelFileError(`the network does not fit the studio: ${error.message}`)
      throw error
    }
    return {
      architecture,
      trainingConfig: null,
      metrics: {},
      createdAt: null,
      parameters: namedParameters(architecture, drafts)
    }
  }
}

function isImageLayer(spec: LayerSpec): boolean {
  return spec.kind === 'conv' || spec.kind === 'maxpool'
}

/** Each conv and dense layer's weights under our names, checked against the architecture's shapes. */
function namedParameters(
  architecture: ModelArchitecture,
  drafts: readonly DraftLayer[]
): Map<string, Float32Array> {
  const expected = parameterShapes(architecture)
  const parametric = drafts.filter((d) => d.weight)
  const parameters = new Map<string, Float32Array>()
  parametric.forEach((draft, i) => {
    const weight = expected[2 * i]
    const dims = draft.weight!.dims
    if (dims.length !== weight.shape.length || dims.some((d, k) => d !== weight.shape[k])) {
      throw new ModelFileError(
        `${draft.origin}: weight [${dims.join(', ')}] does not fit its input: as ${weight.name} it ` +
          `must be [${weight.shape.join(', ')}]`
      )
    }
    for (const [name, values] of [
      [weight.name, draft.weight!.values],
      [expected[2 * i + 1].name, draft.bias!]
    ] as const) {
      const bad = values.findIndex((v) => !Number.isFinite(v))
      if (bad >= 0)
        throw new ModelFileError(`${draft.origin}: ${name} value ${bad} is ${values[bad]}`)
      parameters.set(name, values)
    }
  })
  return parameters
}
