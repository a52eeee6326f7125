// A model from a file's bytes, whichever of the two formats we read: our model file (JSON text) or an
// ONNX file (protobuf). Told apart by content, not by the file's name.

import {
  loadModel,
  modelFromFile,
  ModelFileError,
  type ModelFile,
  type Sequential
} from '../../core'
import { readOnnxModel } from './onnx/onnx-file'

/**
 * Whether the bytes look like our JSON model file: '{' after optional whitespace or a UTF-8 BOM. An
 * ONNX file never starts so (its first byte is a protobuf field tag, 0x08 for ir_version).
 */
export function looksLikeJson(bytes: Uint8Array): boolean {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0
  while (i < bytes.length && [0x20, 0x09, 0x0a, 0x0d].includes(bytes[i])) i++
  return bytes[i] === 0x7b
}

/**
 * Parses and validates a model file (core's checks) or an ONNX file (read operator by operator, see
 * core/io/onnx-import.ts), and builds the model. Throws ModelFileError saying what is wrong.
 */
export function loadModelBytes(bytes: Uint8Array): { model: Sequential; file: ModelFile } {
  if (looksLikeJson(bytes)) return loadModel(new TextDecoder().decode(bytes))
  let file: ModelFile
  try {
    file = readOnnxModel(bytes)
  } catch (error) {
    if (error instanceof ModelFileError && error.message.startsWith('this is not an ONNX model')) {
      throw new ModelFileError(
        'this is neither a Backprop Studio model file (JSON) nor an ONNX model (.onnx)'
      )
    }
    throw error
  }
  return { model: modelFromFile(file), file }
}
