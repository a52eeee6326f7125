// ONNX bytes ↔ the plain ModelProto objects core/io builds and reads, with protobufjs and the official
// schema (onnx.proto, vendored in ./schema and turned into ./onnx-schema.ts). Nothing here knows our
// layers: core/io/onnx-export.ts and onnx-import.ts do.

import protobuf from 'protobufjs/light.js'
import { ModelFileError, type OnnxModel } from '../../../core'
import { ONNX_SCHEMA } from './onnx-schema'

const ModelProto = protobuf.Root.fromJSON(ONNX_SCHEMA).lookupType('onnx.ModelProto')

/** An ONNX model file's bytes; throws ModelFileError if the object does not fit the schema. */
export function encodeOnnx(model: OnnxModel): Uint8Array {
  const problem = ModelProto.verify(model)
  if (problem) throw new ModelFileError(`cannot write the ONNX file: ${problem}`)
  return ModelProto.encode(ModelProto.fromObject(model)).finish()
}

/**
 * The ModelProto in an ONNX file, as plain data: int64 fields as numbers, enums as numbers, bytes as
 * Uint8Array, absent fields absent. Throws ModelFileError for bytes that are not a protobuf message.
 */
export function decodeOnnx(bytes: Uint8Array): OnnxModel {
  let message: protobuf.Message
  try {
    message = ModelProto.decode(bytes)
  } catch (error) {
    throw new ModelFileError(
      `this is not an ONNX model (its bytes are not a valid ModelProto: ${(error as Error).message})`
    )
  }
  return ModelProto.toObject(message, { longs: Number, enums: Number }) as OnnxModel
}
