// Reading an ONNX file's constants and node attributes (plain data, see onnx-graph.ts): a tensor's
// numbers in whichever of its fields the exporter used, and an attribute with its default.

import { ModelFileError } from '../errors'
import { OnnxDataType, type OnnxAttribute, type OnnxNode, type OnnxTensor } from './onnx-graph'

/** TensorProto.DataType values besides FLOAT and INT64 that hold numbers we can read. */
const INT32 = 6
const DOUBLE = 11
/** TensorProto.DataLocation.EXTERNAL: the values are in a separate file. */
const EXTERNAL = 1

/** A constant's values as float64 numbers in row-major order, with its dims. */
export interface TensorValues {
  readonly dims: readonly number[]
  readonly values: Float64Array
}

/** Number of values in a tensor of these dims (1 for a scalar, dims []). */
function sizeOf(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1)
}

/**
 * The numbers of a FLOAT, DOUBLE, INT32 or INT64 tensor, from raw_data (little-endian) or the typed
 * list, checked against its dims. `what` names the tensor in errors ("node 3 (Conv): weight W").
 */
export function tensorValues(tensor: OnnxTensor, what: string): TensorValues {
  const dims = tensor.dims ?? []
  if (tensor.dataLocation === EXTERNAL) {
    throw new ModelFileError(
      `${what}: its values are stored in a separate file (external data), which is not supported; ` +
        'save the model with its weights inside (onnx.save(model, path, save_as_external_data=False))'
    )
  }
  const values = readValues(tensor, what)
  if (values.length !== sizeOf(dims)) {
    throw new ModelFileError(
      `${what}: ${values.length} values for shape [${dims.join(', ')}], which needs ${sizeOf(dims)}`
    )
  }
  return { dims, values }
}

function readValues(tensor: OnnxTensor, what: string): Float64Array {
  const raw = tensor.rawData
  const view = raw && new DataView(raw.buffer, raw.byteOffset, raw.byteLength)
  const fromRaw = (bytes: number, read: (offset: number) => number): Float64Array => {
    if (raw!.length % bytes !== 0)
      throw new ModelFileError(
        `${what}: ${raw!.length} bytes of values is not a whole number of them`
      )
    return Float64Array.from({ length: raw!.length / bytes }, (_, i) => read(i * bytes))
  }
  switch (tensor.dataType) {
    case OnnxDataType.FLOAT:
      return view && raw.length > 0
        ? fromRaw(4, (o) => view.getFloat32(o, true))
        : Float64Array.from(tensor.floatData ?? [])
    case DOUBLE:
      return view && raw.length > 0
        ? fromRaw(8, (o) => view.getFloat64(o, true))
        : Float64Array.from(tensor.doubleData ?? [])
    case OnnxDataType.INT64:
      return view && raw.length > 0
        ? fromRaw(8, (o) => Number(view.getBigInt64(o, true)))
        : Float64Array.from(tensor.int64Data ?? [])
    case INT32:
      return view && raw.length > 0
        ? fromRaw(4, (o) => view.getInt32(o, true))
        : Float64Array.from(tensor.int32Data ?? [])
    default:
      throw new ModelFileError(
        `${what}: element type ${tensor.dataType ?? 'missing'} is not supported (float32, float64, int32 or int64)`
      )
  }
}

/** A node's attribute by name, or undefined. */
function attribute(node: OnnxNode, name: string): OnnxAttribute | undefined {
  return node.attribute?.find((a) => a.name === name)
}

/** The integer list attribute `name` (kernel_shape, strides, pads, …), or `fallback` when absent. */
export function intsAttributeOf(node: OnnxNode, name: string, fallback: number[]): number[] {
  const found = attribute(node, name)
  return found ? (found.ints ?? []).map(Number) : fallback
}

/** The integer attribute `name` (axis, transB, group, …), or `fallback` when absent. */
export function intAttributeOf(node: OnnxNode, name: string, fallback: number): number {
  const found = attribute(node, name)
  return found ? Number(found.i ?? 0) : fallback
}

/** The float attribute `name` (alpha, beta, ratio), or `fallback` when absent. */
export function floatAttributeOf(node: OnnxNode, name: string, fallback: number): number {
  const found = attribute(node, name)
  return found ? (found.f ?? 0) : fallback
}

/** The string attribute `name` (auto_pad), or `fallback` when absent. ONNX's strings here are ASCII. */
export function stringAttributeOf(node: OnnxNode, name: string, fallback: string): string {
  const found = attribute(node, name)
  return found ? String.fromCharCode(...(found.s ?? [])) : fallback
}

/** The tensor attribute `name` (a Constant node's value), or undefined. */
export function tensorAttributeOf(node: OnnxNode, name: string): OnnxTensor | undefined {
  return attribute(node, name)?.t
}

/**
 * The shortest decimal that is the same float32 as `x`: 0.2 stored as float32 (0.200000003…) reads back
 * as 0.2, so a dropout rate survives a round trip through a float32 file unchanged.
 */
export function shortestFloat32(x: number): number {
  const target = Math.fround(x)
  for (let digits = 1; digits < 9; digits++) {
    const candidate = Number(target.toPrecision(digits))
    if (Math.fround(candidate) === target) return candidate
  }
  return target
}
