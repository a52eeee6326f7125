// An ONNX model as plain data: the part of onnx.proto (ModelProto, GraphProto, NodeProto, TensorProto, …)
// that our layers need, with the field names protobufjs gives them (camelCase). Core builds and reads these
// objects; the bytes (protobuf, with the official schema) are written and parsed on the Node side, in
// electron/files/onnx/, because a protobuf library is not part of our engine.
//
// Every field is optional where the .proto says `optional`: a file from another exporter may leave any
// of them out, and the importer must say so rather than read `undefined` as 0.

import type { ActivationKind } from '../nn/activations'

/**
 * The operator set our exports declare: ONNX opset 17 (ONNX 1.12, 2022). Every operator we write
 * (Conv, MaxPool, Flatten, Gemm, Relu, Sigmoid, Tanh, Dropout, Softmax) has had its current definition
 * since opset 13 or earlier; 17 is what torch.onnx exported by default for years, and every ONNX Runtime
 * since 1.12 runs it (onnxruntime-web included).
 */
export const ONNX_OPSET = 17
/** The IR version that goes with opset 17 (ONNX 1.12): 8. */
export const ONNX_IR_VERSION = 8

/** TensorProto.DataType values we meet (onnx.proto). */
export const OnnxDataType = { FLOAT: 1, INT64: 7 } as const

/** AttributeProto.AttributeType values we meet (onnx.proto). */
export const OnnxAttributeType = {
  FLOAT: 1,
  INT: 2,
  STRING: 3,
  TENSOR: 4,
  FLOATS: 6,
  INTS: 7
} as const

/** TensorProto: a constant such as a weight. Values in rawData (little-endian) or the typed lists. */
export interface OnnxTensor {
  name?: string
  dims?: number[]
  dataType?: number
  rawData?: Uint8Array
  floatData?: number[]
  int32Data?: number[]
  int64Data?: number[]
  doubleData?: number[]
  /** 1 (EXTERNAL): the values live in another file, which we do not read. */
  dataLocation?: number
}

/** AttributeProto: a named option of a node (kernel_shape, strides, …). */
export interface OnnxAttribute {
  name?: string
  type?: number
  f?: number
  i?: number
  /** A string, as UTF-8 bytes. */
  s?: Uint8Array
  t?: OnnxTensor
  floats?: number[]
  ints?: number[]
}

/** NodeProto: one operator applied to named tensors. */
export interface OnnxNode {
  name?: string
  opType?: string
  domain?: string
  input?: string[]
  output?: string[]
  attribute?: OnnxAttribute[]
}

/** TensorShapeProto.Dimension: a fixed size, or a name for a size known only at run time (the batch). */
export interface OnnxDimension {
  dimValue?: number
  dimParam?: string
}

/** ValueInfoProto: a graph input or output, with its element type and shape. */
export interface OnnxValueInfo {
  name?: string
  docString?: string
  type?: {
    tensorType?: { elemType?: number; shape?: { dim?: OnnxDimension[] } }
  }
}

/** GraphProto: the nodes in topological order, the constants, and the inputs and outputs. */
export interface OnnxGraph {
  name?: string
  docString?: string
  node?: OnnxNode[]
  initializer?: OnnxTensor[]
  input?: OnnxValueInfo[]
  output?: OnnxValueInfo[]
}

/** OperatorSetIdProto: which version of an operator set (domain '' is the standard one). */
export interface OnnxOpset {
  domain?: string
  version?: number
}

/** ModelProto: the file. */
export interface OnnxModel {
  irVersion?: number
  opsetImport?: OnnxOpset[]
  producerName?: string
  producerVersion?: string
  docString?: string
  graph?: OnnxGraph
  metadataProps?: { key?: string; value?: string }[]
}

/** The INTS attribute `name`. */
export function intsAttribute(name: string, ints: number[]): OnnxAttribute {
  return { name, type: OnnxAttributeType.INTS, ints }
}

/** The INT attribute `name`. */
export function intAttribute(name: string, i: number): OnnxAttribute {
  return { name, type: OnnxAttributeType.INT, i }
}

/** The FLOAT attribute `name`. */
export function floatAttribute(name: string, f: number): OnnxAttribute {
  return { name, type: OnnxAttributeType.FLOAT, f }
}

/** A float32 tensor [dims] with its values as raw little-endian bytes (how PyTorch writes them too). */
export function floatTensor(
  name: string,
  dims: readonly number[],
  rawData: Uint8Array
): OnnxTensor {
  return { name, dims: [...dims], dataType: OnnxDataType.FLOAT, rawData }
}

/** A float32 graph input or output, [batch, ...dims]: the batch is the symbolic dimension 'N'. */
export function batchedFloatValue(
  name: string,
  dims: readonly number[],
  docString: string
): OnnxValueInfo {
  return {
    name,
    docString,
    type: {
      tensorType: {
        elemType: OnnxDataType.FLOAT,
        shape: { dim: [{ dimParam: 'N' }, ...dims.map((dimValue) => ({ dimValue }))] }
      }
    }
  }
}

/** The ONNX operator of each of our activations (each has one input and one output, elementwise). */
export const ONNX_ACTIVATION_OPS = {
  relu: 'Relu',
  sigmoid: 'Sigmoid',
  tanh: 'Tanh'
} as const satisfies Record<ActivationKind, string>
