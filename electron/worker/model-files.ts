// The current model as files (the core/io model format, numpy's .npz, ONNX) and a model file (or an
// ONNX file) read back in.

import {
  architectureSlug,
  imageMismatch,
  loadModel,
  ModelFileError,
  serializeModel,
  type Dataset,
  type ModelFile,
  type Sequential
} from '../../core'
import type { BinaryFile, TextFile } from '../contract'
import { loadModelBytes } from '../files/model-bytes'
import { exportModelNpz } from '../files/npz'
import { exportModelOnnx } from '../files/onnx/onnx-file'
import type { CachedEvaluation, CurrentModel } from './current-model'

/** A file name that says what the model is, e.g. "mnist-784-128-10-step9375" or "mnist-lenet-…". */
export function modelBaseName(current: CurrentModel, dataset: Dataset): string {
  const slug =
    dataset.name
      .split(/\s+/)[0]
      .toLowerCase()
      .replace(/[^a-z0-9-]/g, '') || 'model'
  return `${slug}-${architectureSlug(current.model.architecture)}-step${current.step}`
}

export function exportModelFile(
  current: CurrentModel,
  dataset: Dataset,
  cached: CachedEvaluation | null
): TextFile {
  const text = serializeModel(current.model, {
    trainingConfig: current.trainingConfig,
    metrics: current.metrics(cached),
    createdAt: new Date().toISOString()
  })
  return { fileName: `${modelBaseName(current, dataset)}.json`, text }
}

export function exportNpzFile(current: CurrentModel, dataset: Dataset): BinaryFile {
  return {
    fileName: `${modelBaseName(current, dataset)}.npz`,
    bytes: exportModelNpz(current.model)
  }
}

export function exportOnnxFile(current: CurrentModel, dataset: Dataset): BinaryFile {
  return {
    fileName: `${modelBaseName(current, dataset)}.onnx`,
    bytes: exportModelOnnx(current.model)
  }
}

/**
 * Parses and validates model file text, or an ONNX file's bytes (core's checks, ModelFileError
 * messages), then checks that the model fits this dataset: its input is one image and its outputs are
 * the dataset's classes.
 */
export function readModelFile(
  content: string | Uint8Array,
  dataset: Dataset,
  classes: number
): { model: Sequential; file: ModelFile } {
  const loaded = typeof content === 'string' ? loadModel(content) : loadModelBytes(content)
  const { architecture } = loaded.file
  const mismatch = imageMismatch(architecture, dataset.rows, dataset.cols, `${dataset.name} images`)
  if (mismatch) throw new ModelFileError(`this model ${mismatch}`)
  const { outputSize } = architecture
  if (outputSize !== classes) {
    throw new ModelFileError(
      `this model has ${outputSize} outputs, but ${dataset.name} has ${classes} classes`
    )
  }
  return loaded
}
