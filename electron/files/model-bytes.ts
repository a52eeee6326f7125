// A model from a file's bytes, whichever of the two formats we read: our model file (JSON text) or an
// ONNX file (protobuf). Told apart by content (core's modelFileFormat), not by the file's name.

import {
  loadModel,
  modelFileFormat,
  modelFromFile,
  type ModelFile,
  type Sequential
} from '../../core'
import { readOnnxModel } from './onnx/onnx-file'

/**
 * Parses and validates a model file (core's checks) or an ONNX file (read operator by operator, see
 * core/io/onnx-import.ts), and builds the model. Throws ModelFileError saying what is wrong.
 */
export function loadModelBytes(bytes: Uint8Array): { model: Sequential; file: ModelFile } {
  // NOTE: anything that is not ONNX goes to the model file's parser, whose messages say what is wrong
  // with it ("not JSON", "truncated", "not a Backprop Studio model file"), as the app's load does.
  if (modelFileFormat(bytes) !== 'onnx') return loadModel(new TextDecoder().decode(bytes))
  const file = readOnnxModel(bytes)
  return { model: modelFromFile(file), file }
}
