// Validation of everything that reaches the host from a window (IPC) or a page (WebSocket): all untrusted.
// TrainConfig rules live in core (parseTrainConfig, CONFIG_LIMITS); this module only adds the envelopes.

import { z } from 'zod'
import {
  checkConfigFitsDataset,
  checkNumber,
  ConfigError,
  parseTrainConfig,
  PRESET_NAMES,
  type Dataset,
  type TrainConfig
} from '../../core'
import {
  PACE_LIMITS,
  STUDIO_VERBS,
  StudioError,
  VERB_OF_CHANNEL,
  VERBS,
  type ControlCommand,
  type DatasetSummary,
  type LiveUpdate,
  RUN_ID_PATTERN,
  type RunPoint,
  type StartOptions,
  type StudioMethod,
  type WebRequest
} from '../contract'

/** A request the host refuses (code 'invalid-request'): the message names the field and says what is allowed. */
export class RequestError extends StudioError {
  override name = 'RequestError'
  constructor(field: string | undefined, problem: string) {
    super(
      field === undefined
        ? { code: 'invalid-request', message: problem }
        : { code: 'invalid-request', field, message: `${field}: ${problem}` }
    )
  }
}

/** Every StudioApi call name: the IPC channels main handles and the methods the WebSocket accepts. */
export const STUDIO_METHODS = VERBS.map((verb) => STUDIO_VERBS[verb].channel) as [
  StudioMethod,
  ...StudioMethod[]
]

/** The most arguments any call takes (the WebSocket envelope refuses more before looking further). */
const MOST_ARGUMENTS = Math.max(...VERBS.map((verb) => STUDIO_VERBS[verb].args.length))

const controlCommandSchema = z.enum([
  'pause',
  'resume',
  'step',
  'stop'
]) satisfies z.ZodType<ControlCommand>

/** null (full speed), 'auto', or a number of steps per second within PACE_LIMITS. */
const paceSchema = z.union([
  z.null(),
  z.literal('auto'),
  z.number().min(PACE_LIMITS.min).max(PACE_LIMITS.max)
])

const runPointSchema = z.strictObject({
  runId: z.string().regex(RUN_ID_PATTERN, { error: 'must be a run id (letters, digits, - and _)' }),
  step: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER)
}) satisfies z.ZodType<RunPoint>

const startOptionsSchema = z.strictObject({
  paused: z.boolean().optional(),
  pace: paceSchema.optional(),
  preset: z.enum(PRESET_NAMES).nullable().optional(),
  replace: z.boolean().optional(),
  autoPause: z.boolean().optional(),
  fork: runPointSchema.optional()
}) satisfies z.ZodType<StartOptions>

// NOTE: the values are checked by core's checkNumber below, so that ranges and messages match the config's.
const liveUpdateSchema = z.strictObject({
  learningRate: z.unknown().optional(),
  momentum: z.unknown().optional(),
  pace: paceSchema.optional(),
  autoPause: z.boolean().optional()
})

const webRequestSchema = z.strictObject({
  id: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  method: z.enum(STUDIO_METHODS),
  params: z.array(z.unknown()).max(MOST_ARGUMENTS)
}) satisfies z.ZodType<WebRequest>

export function parseControlCommand(raw: unknown): ControlCommand {
  return parseWith(controlCommandSchema, raw, 'command')
}

/** A step of a run (a scrub's cursor). */
export function parseRunPoint(raw: unknown): RunPoint {
  return parseWith(runPointSchema, raw, 'point')
}

/** Options are optional: undefined means the defaults. */
export function parseStartOptions(raw: unknown): StartOptions {
  return raw === undefined ? {} : parseWith(startOptionsSchema, raw, 'options')
}

/**
 * A live change: at least one of learningRate / momentum (each within core's CONFIG_LIMITS) / pace /
 * autoPause.
 */
export function parseLiveUpdate(raw: unknown): LiveUpdate {
  const { learningRate, momentum, pace, autoPause } = parseWith(liveUpdateSchema, raw, 'update')
  if (
    learningRate === undefined &&
    momentum === undefined &&
    pace === undefined &&
    autoPause === undefined
  ) {
    throw new RequestError('update', 'give learningRate, momentum, pace and/or autoPause')
  }
  // NOTE: ConfigErrors (code 'invalid-config'): these are config fields, and the form shows them there.
  const lrProblem = learningRate === undefined ? null : checkNumber('learningRate', learningRate)
  if (lrProblem) throw new ConfigError('learningRate', lrProblem)
  const momentumProblem = momentum === undefined ? null : checkNumber('momentum', momentum)
  if (momentumProblem) throw new ConfigError('optimizer.momentum', momentumProblem)
  return {
    ...(learningRate === undefined ? {} : { learningRate: learningRate as number }),
    ...(momentum === undefined ? {} : { momentum: momentum as number }),
    ...(pace === undefined ? {} : { pace }),
    ...(autoPause === undefined ? {} : { autoPause })
  }
}

/** core's parseTrainConfig (every field and range), then the checks that need the dataset's shape. */
export function parseTrainConfigFor(raw: unknown, train: DatasetSummary): TrainConfig {
  const config = parseTrainConfig(raw)
  checkConfigFitsDataset(config, shapeOnly(train), train.classes)
  return config
}

/** One image: exactly `inputSize` finite values in [0, 1], as a Float32Array or a list of numbers. */
export function parsePixels(raw: unknown, inputSize: number): Float32Array {
  // NOTE: the tag, not instanceof: a Float32Array cloned across IPC or a realm is still one.
  const isFloat32 = Object.prototype.toString.call(raw) === '[object Float32Array]'
  if (!isFloat32 && !Array.isArray(raw)) {
    throw new RequestError(
      'pixels',
      `must be a Float32Array or a list of numbers, got ${describe(raw)}`
    )
  }
  const values = raw as ArrayLike<unknown>
  if (values.length !== inputSize) {
    throw new RequestError(
      'pixels',
      `must hold exactly ${inputSize} values (one per pixel), got ${values.length}`
    )
  }
  const pixels = new Float32Array(inputSize)
  for (let i = 0; i < inputSize; i++) {
    const value = values[i]
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
      throw new RequestError(`pixels[${i}]`, `must be a number from 0 to 1, got ${describe(value)}`)
    }
    pixels[i] = value
  }
  return pixels
}

/** The browser-mode envelope {id, method, params}, with no more params than the method takes. */
export function parseWebRequest(raw: unknown): WebRequest {
  const request = parseWith(webRequestSchema, raw, 'request')
  checkArity(request.method, request.params)
  return request
}

/** Rejects extra arguments, so a confused caller fails loudly instead of being half-understood. */
export function checkArity(method: StudioMethod, params: readonly unknown[]): void {
  const most = STUDIO_VERBS[VERB_OF_CHANNEL[method]].args.length
  if (params.length > most) {
    throw new RequestError(
      undefined,
      `${method}: takes at most ${most} argument${most === 1 ? '' : 's'}, got ${params.length}`
    )
  }
}

/** Parses with a zod schema; the first problem becomes a RequestError naming its field path from `what`. */
export function parseWith<T>(schema: z.ZodType<T>, raw: unknown, what: string): T {
  const result = schema.safeParse(raw)
  if (result.success) return result.data
  const issue = result.error.issues[0]
  const path = [what, ...issue.path.map(String)]
  if (issue.code === 'unrecognized_keys') {
    throw new RequestError([...path, issue.keys[0]].join('.'), 'is not a known setting')
  }
  throw new RequestError(path.join('.'), issue.message)
}

/** A zod number check with one message for every way of failing: "must be a whole number from 0 to 9, got 10". */
export function wholeNumber(min: number, max: number): z.ZodNumber {
  const error = (issue: { input?: unknown }): string =>
    `must be a whole number from ${min} to ${max}, got ${describe(issue.input)}`
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error })
}

/** A dataset header with no bytes. NOTE: checkConfigFitsDataset reads only the shape; the bytes stay in the worker. */
function shapeOnly(summary: DatasetSummary): Dataset {
  const { name, count, rows, cols } = summary
  return {
    name,
    count,
    rows,
    cols,
    inputSize: rows * cols,
    pixels: new Uint8Array(0),
    labels: new Uint8Array(0)
  }
}

/** A short description of a received value for error messages (never the whole of a long string). */
export function describe(value: unknown): string {
  if (value === null) return 'null'
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (typeof value === 'string')
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)
  return Array.isArray(value) ? 'a list' : typeof value
}

/** A yes or no from a window (e.g. whether a run is pinned): true or false, nothing that reads as one. */
export function parseFlag(raw: unknown, field: string): boolean {
  if (typeof raw !== 'boolean')
    throw new RequestError(field, `must be true or false, got ${describe(raw)}`)
  return raw
}
