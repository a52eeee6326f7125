// The model file: versioned JSON holding the architecture, how it was trained, how well it did,
// and every parameter as base64 little-endian float32. Parsing validates everything before use.
//
// Version 2 stores the architecture as a layer list (conv layers and their [out, in, k, k] weights
// included); version 1 stored the dense form { inputSize, hiddenSizes, activation, outputSize }. Both
// read back the same way: parseArchitecture turns the dense form into the equivalent list, whose
// parameters ('dense1.weight', …) are named and shaped exactly as version 1 wrote them.

import { ConfigError, ModelFileError } from '../errors'
import type { ModelArchitecture } from '../nn/architecture'
import { Sequential } from '../nn/sequential'
import { parameterShapes, shapeSize } from '../nn/shapes'
import { createRng } from '../random'
import { parseArchitecture, parseTrainConfig, type TrainConfig } from '../train/config'
import { bytesToFloat32, decodeBase64, encodeBase64, float32ToBytes } from './base64'
import { crc32 } from './crc32'

export const MODEL_FORMAT = 'backprop-studio-model'
export const MODEL_FORMAT_VERSION = 2

/** Results recorded with a model; every field is optional. */
export interface ModelMetrics {
  readonly testAccuracy?: number
  readonly testLoss?: number
  readonly steps?: number
  readonly samplesSeen?: number
  readonly trainSeconds?: number
}
const METRIC_KEYS = ['testAccuracy', 'testLoss', 'steps', 'samplesSeen', 'trainSeconds'] as const

/** A validated model file. */
export interface ModelFile {
  readonly architecture: ModelArchitecture
  readonly trainingConfig: TrainConfig | null
  readonly metrics: ModelMetrics
  /** ISO 8601 time of saving, as the writer recorded it. */
  readonly createdAt: string | null
  /** Parameter values by name, in the model's order, with shapes already checked. */
  readonly parameters: ReadonlyMap<string, Float32Array>
}

export interface SerializeOptions {
  trainingConfig?: TrainConfig | null
  metrics?: ModelMetrics
  createdAt?: string | null
}

/** The model file text for `model` (pretty-printed header, parameters as base64). */
export function serializeModel(
  model: Sequential,
  { trainingConfig = null, metrics = {}, createdAt = null }: SerializeOptions = {}
): string {
  let checksum = 0
  const parameters = model.parameters().map((p) => {
    const bytes = float32ToBytes(p.data)
    checksum = crc32(bytes, checksum)
    return { name: p.name, shape: p.shape, data: encodeBase64(bytes) }
  })
  const file = {
    format: MODEL_FORMAT,
    version: MODEL_FORMAT_VERSION,
    createdAt,
    architecture: model.architecture,
    trainingConfig,
    metrics,
    checksum: `crc32:${checksum.toString(16).padStart(8, '0')}`,
    parameters
  }
  return JSON.stringify(file, null, 1) + '\n'
}

/**
 * Parses and validates model file text: format id, version, architecture, training config, metrics,
 * every parameter's name, shape, encoding and finiteness, and the checksum.
 * Throws ModelFileError with a message that says what is wrong.
 */
export function parseModelFile(text: string): ModelFile {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    throw new ModelFileError(
      text.trimStart().startsWith('{')
        ? 'the model file is not valid JSON: it is probably truncated or damaged'
        : 'this is not a model file (it is not JSON)'
    )
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new ModelFileError('this is not a model file (expected a JSON object)')
  const o = raw as Record<string, unknown>
  if (o.format !== MODEL_FORMAT) {
    throw new ModelFileError(
      `this is not a Backprop Studio model file (format is ${JSON.stringify(o.format ?? null)}, expected "${MODEL_FORMAT}")`
    )
  }
  if (typeof o.version !== 'number' || !Number.isInteger(o.version) || o.version < 1) {
    throw new ModelFileError(
      `the model file's version ${JSON.stringify(o.version ?? null)} is not valid`
    )
  }
  if (o.version > MODEL_FORMAT_VERSION) {
    throw new ModelFileError(
      `the model file was written by a newer Backprop Studio (format version ${o.version}; this one reads version ${MODEL_FORMAT_VERSION})`
    )
  }

  const architecture = asModelError('', () => parseArchitecture(o.architecture))
  const trainingConfig =
    o.trainingConfig == null
      ? null
      : asModelError('trainingConfig.', () => parseTrainConfig(o.trainingConfig))
  const metrics = parseMetrics(o.metrics)
  const createdAt = typeof o.createdAt === 'string' ? o.createdAt : null
  const parameters = parseParameters(o.parameters, architecture)

  if (typeof o.checksum !== 'string' || !/^crc32:[0-9a-f]{8}$/.test(o.checksum)) {
    throw new ModelFileError('the model file has no valid checksum')
  }
  let checksum = 0
  for (const values of parameters.values()) checksum = crc32(float32ToBytes(values), checksum)
  if (o.checksum !== `crc32:${checksum.toString(16).padStart(8, '0')}`) {
    throw new ModelFileError(
      "the parameters do not match the file's checksum: the file was damaged or edited"
    )
  }
  return { architecture, trainingConfig, metrics, createdAt, parameters }
}

/** A ready-to-use model with the file's parameters. */
export function modelFromFile(file: ModelFile): Sequential {
  // The initialiser and RNG do not matter: every parameter is overwritten below.
  const model = new Sequential(file.architecture, 'he', createRng(0))
  for (const p of model.parameters()) p.data.set(file.parameters.get(p.name)!)
  return model
}

/** Parses model file text and builds the model (see parseModelFile). */
export function loadModel(text: string): { model: Sequential; file: ModelFile } {
  const file = parseModelFile(text)
  return { model: modelFromFile(file), file }
}

function parseParameters(raw: unknown, architecture: ModelArchitecture): Map<string, Float32Array> {
  const expected = parameterShapes(architecture)
  if (!Array.isArray(raw)) throw new ModelFileError('the model file has no parameter list')
  if (raw.length !== expected.length) {
    throw new ModelFileError(
      `the architecture needs ${expected.length} parameter tensors, the file has ${raw.length}`
    )
  }
  const parameters = new Map<string, Float32Array>()
  expected.forEach(({ name, shape }, i) => {
    const entry = raw[i] as Record<string, unknown> | null
    if (typeof entry !== 'object' || entry === null)
      throw new ModelFileError(`parameter ${i + 1} is not an object`)
    if (entry.name !== name)
      throw new ModelFileError(
        `parameter ${i + 1} should be "${name}", found ${JSON.stringify(entry.name ?? null)}`
      )
    const shapeOk =
      Array.isArray(entry.shape) &&
      entry.shape.length === shape.length &&
      shape.every((d, k) => (entry.shape as unknown[])[k] === d)
    if (!shapeOk)
      throw new ModelFileError(
        `${name}: shape ${JSON.stringify(entry.shape ?? null)} does not match the architecture's [${shape.join(', ')}]`
      )
    const bytes = typeof entry.data === 'string' ? decodeBase64(entry.data) : null
    if (!bytes) throw new ModelFileError(`${name}: the values are not valid base64 data`)
    const size = shapeSize(shape)
    if (bytes.length !== size * 4) {
      throw new ModelFileError(
        `${name}: ${bytes.length} bytes of values, expected ${size * 4} (${size} float32 numbers); the data is truncated or damaged`
      )
    }
    const values = bytesToFloat32(bytes)
    const bad = values.findIndex((v) => !Number.isFinite(v))
    if (bad >= 0)
      throw new ModelFileError(
        `${name}: value ${bad} is ${values[bad]}; a usable model has only finite numbers`
      )
    parameters.set(name, values)
  })
  return parameters
}

function parseMetrics(raw: unknown): ModelMetrics {
  if (raw == null) return {}
  if (typeof raw !== 'object' || Array.isArray(raw))
    throw new ModelFileError('metrics: expected an object')
  const o = raw as Record<string, unknown>
  const metrics: Record<string, number> = {}
  for (const key of METRIC_KEYS) {
    if (o[key] === undefined) continue
    if (typeof o[key] !== 'number' || !Number.isFinite(o[key]))
      throw new ModelFileError(`metrics.${key}: expected a finite number`)
    metrics[key] = o[key] as number
  }
  return metrics
}

/** Runs a config parser, turning its ConfigError into a ModelFileError whose field starts with `prefix`. */
function asModelError<T>(prefix: string, parse: () => T): T {
  try {
    return parse()
  } catch (error) {
    if (error instanceof ConfigError) throw new ModelFileError(`invalid ${prefix}${error.message}`)
    throw error
  }
}
