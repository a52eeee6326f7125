// Validation of the requests that look inside or replace the current model (issues 5 and 6): test-image
// queries, image sources, saliency, step-through, gradient checks, model files. All untrusted.

import { z } from 'zod'
import { checkNumber, MNIST_CLASSES, parameterShapes, type ModelArchitecture } from '../../core'
import {
  MAX_GRADIENT_CHECKS,
  MAX_MODEL_FILE_BYTES,
  MAX_TEST_IMAGES_PER_PAGE,
  type ExplainStepRequest,
  type GradientCheckRequest,
  type ImageSource,
  type SaliencyRequest,
  type TestImageQuery
} from '../contract'
import { describe, parsePixels, parseWith, RequestError, wholeNumber } from './validation'

/** What the checks need to know about the datasets the worker holds. */
export interface DatasetShape {
  /** Test images: valid indices are 0..testCount − 1. */
  readonly testCount: number
  /** Values per image (784 for MNIST). */
  readonly inputSize: number
}

/** The longest file or run name accepted. */
export const MAX_NAME_LENGTH = 200

const classIndex = wholeNumber(0, MNIST_CLASSES - 1)

const testImageQuerySchema = z.strictObject({
  trueClass: classIndex.optional(),
  predictedClass: classIndex.optional(),
  onlyMistakes: z.boolean().optional(),
  order: z.enum(['confidence-desc', 'confidence-asc', 'index']),
  offset: wholeNumber(0, Number.MAX_SAFE_INTEGER),
  limit: wholeNumber(1, MAX_TEST_IMAGES_PER_PAGE)
}) satisfies z.ZodType<TestImageQuery>

/** The image envelope; a test index's range and the pixels are checked after (they need the dataset). */
const imageSourceSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('test'), index: wholeNumber(0, Number.MAX_SAFE_INTEGER) }),
  z.strictObject({ kind: z.literal('pixels'), pixels: z.unknown() })
])

const saliencySchema = z.strictObject({ source: z.unknown(), classIndex: classIndex.optional() })

const explainStepSchema = z.strictObject({
  source: z.unknown(),
  label: classIndex.optional(),
  learningRate: z.unknown().optional() // checked by core's checkNumber, as in a config
})

const gradientCheckSchema = z.strictObject({
  parameter: z
    .string()
    .max(MAX_NAME_LENGTH)
    .regex(/^(dense|conv)\d{1,2}\.(weight|bias)$/, {
      error: 'must name a parameter such as "dense1.weight", "dense2.bias" or "conv1.weight"'
    }),
  indices: z
    .array(wholeNumber(0, Number.MAX_SAFE_INTEGER))
    .min(1)
    .max(MAX_GRADIENT_CHECKS)
    .optional(),
  sampleCount: wholeNumber(1, MAX_GRADIENT_CHECKS).optional(),
  strongest: wholeNumber(1, MAX_GRADIENT_CHECKS).optional()
}) satisfies z.ZodType<GradientCheckRequest>

export function parseTestImageQuery(raw: unknown): TestImageQuery {
  return parseWith(testImageQuerySchema, raw, 'query')
}

/** A test image by an index that exists, or exactly one image of pixels in [0, 1]. */
export function parseImageSource(raw: unknown, shape: DatasetShape, what = 'source'): ImageSource {
  const source = parseWith(imageSourceSchema, raw, what)
  if (source.kind === 'pixels')
    return { kind: 'pixels', pixels: parsePixels(source.pixels, shape.inputSize) }
  if (source.index >= shape.testCount) {
    throw new RequestError(
      `${what}.index`,
      `must be a whole number from 0 to ${shape.testCount - 1}, got ${source.index}`
    )
  }
  return source
}

export function parseSaliencyRequest(raw: unknown, shape: DatasetShape): SaliencyRequest {
  const request = parseWith(saliencySchema, raw, 'request')
  const source = parseImageSource(request.source, shape, 'request.source')
  return request.classIndex === undefined ? { source } : { source, classIndex: request.classIndex }
}

export function parseExplainStepRequest(raw: unknown, shape: DatasetShape): ExplainStepRequest {
  const request = parseWith(explainStepSchema, raw, 'request')
  const source = parseImageSource(request.source, shape, 'request.source')
  const { label, learningRate } = request
  const problem = learningRate === undefined ? null : checkNumber('learningRate', learningRate)
  if (problem) throw new RequestError('request.learningRate', problem)
  return {
    source,
    ...(label === undefined ? {} : { label }),
    ...(learningRate === undefined ? {} : { learningRate: learningRate as number })
  }
}

/** The request's shape: a parameter name, and which weights: indices, a sample count or the strongest. */
export function parseGradientCheckRequest(raw: unknown): GradientCheckRequest {
  const request = parseWith(gradientCheckSchema, raw, 'request')
  const { indices, sampleCount, strongest } = request
  const given = [indices, sampleCount, strongest].filter((choice) => choice !== undefined).length
  if (given !== 1)
    throw new RequestError(
      'request',
      'give exactly one of indices, sampleCount and strongest (which weights to check)'
    )
  return request
}

/** The parameter must exist in the current model, and every index must be inside it. */
export function checkGradientRequestFits(
  request: GradientCheckRequest,
  architecture: ModelArchitecture
): void {
  const parameters = parameterShapes(architecture)
  const parameter = parameters.find((p) => p.name === request.parameter)
  if (!parameter) {
    throw new RequestError(
      'request.parameter',
      `the current model has no ${request.parameter}; ` +
        `it has ${parameters.map((p) => p.name).join(', ')}`
    )
  }
  const size = parameter.shape.reduce((a, b) => a * b, 1)
  const bad = request.indices?.findIndex((index) => index >= size) ?? -1
  if (bad >= 0) {
    throw new RequestError(
      `request.indices[${bad}]`,
      `must be a whole number from 0 to ${size - 1} (${request.parameter} has ${size} values), ` +
        `got ${request.indices![bad]}`
    )
  }
}

/** Model file text: a string no longer than MAX_MODEL_FILE_BYTES in UTF-8. */
export function parseModelText(raw: unknown): string {
  if (typeof raw !== 'string')
    throw new RequestError('text', `must be the model file's text, got ${describe(raw)}`)
  const bytes = Buffer.byteLength(raw, 'utf8')
  if (bytes > MAX_MODEL_FILE_BYTES) {
    throw new RequestError(
      'text',
      `the file is ${megabytes(bytes)}; model files are at most ${megabytes(MAX_MODEL_FILE_BYTES)}, ` +
        'so this is not one'
    )
  }
  return raw
}

/** ONNX file bytes: a Uint8Array no longer than MAX_MODEL_FILE_BYTES (what they hold, the worker checks). */
export function parseOnnxBytes(raw: unknown): Uint8Array {
  if (!(raw instanceof Uint8Array))
    throw new RequestError('bytes', `must be the ONNX file's bytes, got ${describe(raw)}`)
  if (raw.byteLength > MAX_MODEL_FILE_BYTES) {
    throw new RequestError(
      'bytes',
      `the file is ${megabytes(raw.byteLength)}; model files are at most ${megabytes(MAX_MODEL_FILE_BYTES)}, ` +
        'so this is not one'
    )
  }
  return raw
}

/** A name to show (a file's or a run's): 1..200 characters, no control characters. */
export function parseName(raw: unknown, what: string): string {
  if (typeof raw !== 'string') throw new RequestError(what, `must be text, got ${describe(raw)}`)
  const name = raw.trim()
  if (name.length === 0 || name.length > MAX_NAME_LENGTH) {
    throw new RequestError(what, `must be 1 to ${MAX_NAME_LENGTH} characters, got ${name.length}`)
  }
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f]/.test(name))
    throw new RequestError(what, 'must not contain control characters')
  return name
}

/** A dropped file's name, without any folder part (the page should send none; it is shown, never opened). */
export function parseFileName(raw: unknown): string {
  const name = parseName(raw, 'fileName')
  return name.split(/[\\/]/).pop() || name
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`
}
