// One ONNX operator read as one of our layers, with its weights in our layout: the attribute checks that
// decide whether the operator computes exactly what our layer computes (onnx-import.ts walks the graph).

import type { LayerSpec } from '../nn/architecture'
import type { OnnxNode, OnnxTensor } from './onnx-graph'
import {
  floatAttributeOf,
  intAttributeOf,
  intsAttributeOf,
  shortestFloat32,
  stringAttributeOf,
  tensorValues
} from './onnx-values'

/** A layer read from one operator; conv and dense layers carry their weight (our layout) and bias. */
export interface OnnxLayer {
  readonly spec: LayerSpec
  readonly weight?: { readonly dims: readonly number[]; readonly values: Float32Array }
  /** Mutable: MatMul's bias is zero until the Add after it brings one. */
  bias?: Float32Array
}

type Fail = (why: string) => never
type Constant = (name: string | undefined) => OnnxTensor | undefined

/**
 * The layer for a node (op is not an activation, Add, Softmax or Constant: the importer handles those),
 * or null for an operator that computes nothing here (Identity, a Flatten of what is already flat).
 * `extra` are the node's inputs after the chain's tensor (weights, bias, shape, ratio), all constants.
 */
export function readOnnxLayer(
  node: OnnxNode,
  op: string,
  extra: readonly string[],
  isImage: boolean,
  constant: Constant,
  fail: Fail
): OnnxLayer | null {
  const needsImages = (): void => {
    if (!isImage) fail(`${op} reads images [N, C, H, W], but the tensor here is already flat`)
  }
  const needsFlat = (): void => {
    if (isImage)
      fail(
        `${op} reads a matrix [N, values], but the tensor here is an image: a Flatten must come first`
      )
  }
  switch (op) {
    case 'Conv':
      needsImages()
      return readConv(node, constant(extra[0]), constant(extra[1]), fail)
    case 'MaxPool':
      needsImages()
      return readMaxPool(node, fail)
    case 'Flatten': {
      if (!isImage) return null
      const axis = intAttributeOf(node, 'axis', 1)
      if (axis !== 1)
        fail(`Flatten at axis ${axis}: only axis 1 ([N, C, H, W] → [N, C·H·W]) is supported`)
      return { spec: { kind: 'flatten' } }
    }
    case 'Reshape':
      return readReshape(node, constant(extra[0]), isImage, fail)
    case 'Gemm':
      needsFlat()
      return readGemm(node, constant(extra[0]), constant(extra[1]), fail)
    case 'MatMul': {
      needsFlat()
      const b = constant(extra[0]) && tensorValues(constant(extra[0])!, 'MatMul: B')
      if (!b || b.dims.length !== 2) fail('MatMul needs a constant 2-D weight B [in, out]')
      const [inputs, units] = b!.dims
      return dense(units, transpose(b!.values, inputs, units), new Float32Array(units))
    }
    case 'Dropout':
      return readDropout(node, constant(extra[0]), constant(extra[1]), fail)
    case 'Identity':
      return null
    default:
      return fail(`operator ${op} is not a layer`)
  }
}

/** A bias of `units` values ([units] or [1, units]), or null when the tensor is not one. */
export function readBias(
  tensor: OnnxTensor | undefined,
  units: number,
  what: string
): Float32Array | null {
  if (!tensor) return null
  const { dims, values } = tensorValues(tensor, what)
  const shapeOk = dims.length === 1 || (dims.length === 2 && dims[0] === 1)
  return shapeOk && values.length === units ? Float32Array.from(values) : null
}

function dense(units: number, weight: Float32Array, bias: Float32Array): OnnxLayer {
  return {
    spec: { kind: 'dense', units, activation: 'none' },
    weight: { dims: [units, weight.length / units], values: weight },
    bias
  }
}

/** [rows, cols] row-major → its transpose [cols, rows]. */
function transpose(values: Float64Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols)
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) out[c * rows + r] = values[r * cols + c]
  return out
}

/** Y = alpha·A·op(B) + beta·C, op(B) = Bᵀ when transB = 1: our weight [out, in] is op(B)ᵀ. */
function readGemm(
  node: OnnxNode,
  b: OnnxTensor | undefined,
  c: OnnxTensor | undefined,
  fail: Fail
): OnnxLayer {
  if (intAttributeOf(node, 'transA', 0) !== 0) fail('Gemm with transA = 1 is not supported')
  const weight = b && tensorValues(b, 'Gemm: B')
  if (!weight || weight.dims.length !== 2) fail('Gemm needs a constant 2-D weight B')
  const alpha = floatAttributeOf(node, 'alpha', 1)
  const beta = floatAttributeOf(node, 'beta', 1)
  const transposed = intAttributeOf(node, 'transB', 0) === 1
  const [rows, cols] = weight!.dims
  const units = transposed ? rows : cols
  const values = transposed
    ? Float32Array.from(weight!.values)
    : transpose(weight!.values, rows, cols)
  if (alpha !== 1) for (let i = 0; i < values.length; i++) values[i] *= alpha
  let bias = new Float32Array(units)
  if (c) {
    const read = readBias(c, units, 'Gemm: C')
    if (!read) fail(`Gemm's C must be a bias of ${units} values`)
    bias = read!.map((v) => v * beta)
  }
  return dense(units, values, bias)
}

/** Conv with a square kernel, stride 1 or 2, one group, no dilation, and our 'valid' or 'same' padding. */
function readConv(
  node: OnnxNode,
  w: OnnxTensor | undefined,
  b: OnnxTensor | undefined,
  fail: Fail
): OnnxLayer {
  const weight = w && tensorValues(w, 'Conv: W')
  if (!weight || weight.dims.length !== 4) fail('Conv needs a constant weight W [out, in, k, k]')
  const [filters, , kh, kw] = weight!.dims
  if (kh !== kw) fail(`a ${kh}×${kw} kernel is not supported: only square ones`)
  const k = kh
  const kernelShape = intsAttributeOf(node, 'kernel_shape', [k, k])
  if (kernelShape.length !== 2 || kernelShape.some((d) => d !== k))
    fail(`kernel_shape [${kernelShape.join(', ')}] does not match its ${k}×${k} weights`)
  if (intAttributeOf(node, 'group', 1) !== 1) fail('grouped convolution is not supported')
  if (intsAttributeOf(node, 'dilations', [1, 1]).some((d) => d !== 1))
    fail('dilated convolution is not supported')
  const strides = intsAttributeOf(node, 'strides', [1, 1])
  const stride = strides[0]
  if (strides.length !== 2 || strides[1] !== stride || (stride !== 1 && stride !== 2))
    fail(`strides [${strides.join(', ')}]: only 1 or 2 in both directions are supported`)
  const same = (k - 1) / 2
  const autoPad = stringAttributeOf(node, 'auto_pad', 'NOTSET')
  let padding: 'valid' | 'same'
  if (autoPad === 'VALID') padding = 'valid'
  else if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
    // NOTE: at stride 2, SAME_* pads unevenly (more at one end); ours pads (k − 1)/2 on every side.
    if (stride !== 1 || k % 2 === 0)
      fail(`auto_pad ${autoPad} is only supported at stride 1 with an odd kernel`)
    padding = 'same'
  } else {
    const pads = intsAttributeOf(node, 'pads', [0, 0, 0, 0])
    const p = pads[0]
    if (pads.length !== 4 || pads.some((q) => q !== p) || (p !== 0 && p !== same)) {
      fail(
        `pads [${pads.join(', ')}] are not supported: none ('valid') or (k − 1)/2 = ${same} on every ` +
          "side ('same')"
      )
    }
    padding = p === 0 ? 'valid' : 'same'
  }
  const bias = b ? readBias(b, filters, 'Conv: B') : new Float32Array(filters)
  if (!bias) fail(`Conv's B must be a bias of ${filters} values`)
  return {
    spec: {
      kind: 'conv',
      filters,
      kernel: k,
      stride: stride as 1 | 2,
      padding,
      activation: 'none'
    },
    weight: { dims: weight!.dims, values: Float32Array.from(weight!.values) },
    bias: bias!
  }
}

/** MaxPool over non-overlapping size × size windows (stride = size), no padding, rounding down. */
function readMaxPool(node: OnnxNode, fail: Fail): OnnxLayer {
  const kernelShape = intsAttributeOf(node, 'kernel_shape', [])
  const size = kernelShape[0]
  if (kernelShape.length !== 2 || kernelShape[1] !== size)
    fail('MaxPool needs a square kernel_shape')
  const strides = intsAttributeOf(node, 'strides', [1, 1])
  if (strides.some((s) => s !== size)) {
    fail(
      `strides [${strides.join(', ')}] differ from its ${size}×${size} window: only non-overlapping ` +
        'windows (stride = size) are supported'
    )
  }
  if (intsAttributeOf(node, 'pads', [0, 0, 0, 0]).some((p) => p !== 0))
    fail('padded pooling is not supported')
  if (intsAttributeOf(node, 'dilations', [1, 1]).some((d) => d !== 1))
    fail('dilated pooling is not supported')
  if (intAttributeOf(node, 'ceil_mode', 0) !== 0)
    fail('ceil_mode = 1 is not supported (rows that do not fill a window are dropped)')
  const autoPad = stringAttributeOf(node, 'auto_pad', 'NOTSET')
  if (autoPad !== 'NOTSET' && autoPad !== 'VALID') fail(`auto_pad ${autoPad} is not supported`)
  if ((node.output ?? []).length > 1 && node.output![1] !== '')
    fail("MaxPool's Indices output is not supported")
  return { spec: { kind: 'maxpool', size } }
}

/** Reshape [N, C, H, W] → [N, C·H·W] (shape [0 or −1 or 1, −1 or C·H·W]) is a flatten. */
function readReshape(
  node: OnnxNode,
  shape: OnnxTensor | undefined,
  isImage: boolean,
  fail: Fail
): OnnxLayer | null {
  const target = shape && tensorValues(shape, 'Reshape: shape').values
  const flattens =
    target !== undefined &&
    target.length === 2 &&
    [0, -1, 1].includes(target[0]) &&
    (target[1] === -1 || target[1] > 0) &&
    !(intAttributeOf(node, 'allowzero', 0) === 1 && target[0] === 0)
  if (!flattens) {
    fail(
      `Reshape to [${target ? Array.from(target).join(', ') : 'a computed shape'}] is not supported: ` +
        'only [N, −1] (a flatten) with a constant shape'
    )
  }
  return isImage ? { spec: { kind: 'flatten' } } : null
}

/** Dropout (identity at inference): its ratio from the input (opset 12+) or the attribute (before). */
function readDropout(
  node: OnnxNode,
  ratio: OnnxTensor | undefined,
  trainingMode: OnnxTensor | undefined,
  fail: Fail
): OnnxLayer {
  if (trainingMode && tensorValues(trainingMode, 'Dropout: training_mode').values[0] !== 0)
    fail('Dropout in training mode is not supported (a saved model runs for inference)')
  const rate = ratio
    ? tensorValues(ratio, 'Dropout: ratio').values[0]
    : floatAttributeOf(node, 'ratio', 0.5)
  return { spec: { kind: 'dropout', rate: shortestFloat32(rate) } }
}
