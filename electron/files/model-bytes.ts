// A model from a file's bytes, whichever of the two formats we read: our model file (JSON text) or an
// ONNX file (protobuf). Told apart by content (core's modelFileFormat), not by the file's name.

import {
  loadModel,
  modelFileFormat,
  modelFromFile,
  ModelFileError,
  type ModelFile,
  type Sequential
} from '../../core'
import { readOnnxModel } from './onnx/onnx-file'

/**
 * Parses and validates a model file (core's checks) or an ONNX file (read operator by operator, see
 * core/io/onnx-import.ts), and builds the model. Throws ModelFileError saying what is wrong.
 */
export function loadModelBytes(bytes: Uint8Array): { model: Sequential; file: ModelFile } {
  const format = modelFileFormat(bytes)
  if (format === 'json') return loadModel(new TextDecoder().decode(bytes))
  if (format === null)
    throw new ModelFileError(
      'this is neither a Backprop Studio model file (JSON) nor an ONNX model'
    )
  const file = readOnnxModel(bytes)
  return { model: modelFromFile(file), file }
}
