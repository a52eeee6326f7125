// A model as an ONNX file and back: core/io builds and reads the graph, ./onnx-codec.ts the bytes.

import {
  ModelFileError,
  modelToOnnx,
  onnxToModelFile,
  type ModelFile,
  type OnnxExportOptions,
  type Sequential
} from '../../../core'
import { decodeOnnx, encodeOnnx } from './onnx-codec'

/**
 * The ONNX file bytes for a model (opset 17; input `input` [N, C, H, W]; outputs `logits` and
 * `probabilities`; see core/io/onnx-export.ts). Before returning, the bytes are read back as any ONNX
 * file would be and every parameter compared bit for bit, so what is written is a file we can read.
 * Throws ModelFileError when the model cannot be exported (a missing or non-finite parameter).
 */
export function exportModelOnnx(model: Sequential, options: OnnxExportOptions = {}): Uint8Array {
  const parameters = new Map(model.parameters().map((p) => [p.name, p.data]))
  const bytes = encodeOnnx(modelToOnnx(model.architecture, parameters, options))
  const readBack = readOnnxModel(bytes)
  for (const [name, values] of parameters) {
    const back = readBack.parameters.get(name)
    if (!back || back.length !== values.length || back.some((v, i) => !Object.is(v, values[i])))
      throw new ModelFileError(`the ONNX file did not read back: ${name} differs`)
  }
  return bytes
}

/** Reads ONNX file bytes as a model file (architecture and parameters), validated operator by operator. */
export function readOnnxModel(bytes: Uint8Array): ModelFile {
  return onnxToModelFile(decodeOnnx(bytes))
}
