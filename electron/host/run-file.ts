// A run record as a file: its JSON form, and the validation of every file read back (files are untrusted).

import { z } from 'zod'
import { HEALTH_BINS, HEALTH_HISTORY_LIMIT, parseTrainConfig, type HealthSample } from '../../core'
import {
  RUN_ID_PATTERN,
  StudioError,
  type Divergence,
  type RunRecord,
  type RunStatus,
  type RunSummary,
  type SettingChange,
  type StepMetrics,
  type ThinnedTimeTravel
} from '../contract'
import { RequestError } from './validation'

export const RUN_FILE_FORMAT = 'backprop-studio-run'
/**
 * 2 added the change log (`changes`), status 'diverged' and `divergence`; 3 the network's health
 * (`health`) and `timeTravelDropped`; 4 `pinned` and `timeTravelThinned`. Files of every earlier version
 * still load.
 */
export const RUN_FILE_VERSION = 4

/** A run that cannot be used (missing, or its file damaged; code 'run-file'): the message names the file and the problem. */
export class RunFileError extends StudioError {
  override name = 'RunFileError'
  constructor(message: string) {
    super({ code: 'run-file', message })
  }
}

/** An id from a window: of the safe form, or a RequestError. */
export function parseRunId(raw: unknown): string {
  if (typeof raw !== 'string' || !RUN_ID_PATTERN.test(raw)) {
    const shown = typeof raw === 'string' ? JSON.stringify(raw.slice(0, 40)) : typeof raw
    throw new RequestError('id', `must be a run id (letters, digits, - and _), got ${shown}`)
  }
  return raw
}

export function isRunId(name: string): boolean {
  return RUN_ID_PATTERN.test(name)
}

const finite = z.number().refine(Number.isFinite, { error: 'must be a finite number' })
const count = z.number().int().min(0)

const stepMetricsSchema = z.object({
  step: count,
  epoch: count,
  batchInEpoch: count,
  loss: finite,
  accuracy: z.number().min(0).max(1),
  samplesSeen: count,
  learningRate: finite
}) satisfies z.ZodType<StepMetrics>

const runStatusSchema = z.enum([
  'running',
  'completed',
  'stopped',
  'diverged',
  'failed',
  'interrupted'
]) satisfies z.ZodType<RunStatus>

const settingChangeSchema = z.object({
  setting: z.enum(['learningRate', 'momentum']),
  step: count.min(1),
  from: finite,
  to: finite
}) satisfies z.ZodType<SettingChange>

const divergenceSchema = z.object({
  kind: z.enum(['not-finite', 'exploded']),
  step: count.min(1),
  loss: finite.nullable(),
  smoothedLoss: finite.nullable(),
  limit: finite.nullable()
}) satisfies z.ZodType<Divergence>

/** A norm JSON wrote as null because it was NaN or ∞ reads back as NaN (LayerHealth.finite says so). */
const norm = finite
  .min(0)
  .nullable()
  .transform((value) => value ?? Number.NaN)

const histogramSchema = z.object({
  min: finite,
  max: finite,
  counts: z.array(count).length(HEALTH_BINS)
})

const healthSampleSchema = z.object({
  step: count.min(1),
  layers: z
    .array(
      z.object({
        layer: z.string().regex(/^[A-Za-z0-9_.]{1,64}$/),
        kind: z.enum(['dense', 'conv']),
        weights: histogramSchema,
        gradients: histogramSchema,
        activations: histogramSchema,
        weightNorm: norm,
        gradientNorm: norm,
        updateRatio: finite.min(0).nullable(),
        deadFraction: z.number().min(0).max(1).nullable(),
        finite: z.boolean()
      })
    )
    .max(256)
}) satisfies z.ZodType<HealthSample, unknown>

const runFileSchema = z.object({
  format: z.literal(RUN_FILE_FORMAT),
  version: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(RUN_FILE_VERSION)]),
  id: z.string().regex(RUN_ID_PATTERN),
  name: z.string().min(1).max(200),
  status: runStatusSchema,
  startedAt: z
    .string()
    .refine((text) => !Number.isNaN(Date.parse(text)), { error: 'must be an ISO 8601 time' }),
  durationSeconds: finite.min(0),
  steps: count,
  totalSteps: count,
  finalTestAccuracy: z.number().min(0).max(1).nullable(),
  finalTestLoss: finite.nullable(),
  config: z.unknown(), // checked by core's parseTrainConfig below, like any config
  metrics: z.array(stepMetricsSchema),
  evaluations: z.array(
    z.object({ step: count, epoch: count, accuracy: z.number().min(0).max(1), loss: finite })
  ),
  failure: z.string().nullable(),
  // Absent from version 1 files: no change was recorded then, and no run was called diverged.
  changes: z.array(settingChangeSchema).default([]),
  divergence: divergenceSchema.nullable().default(null),
  // Absent from files of runs recorded before forks: such a run started from fresh weights.
  parent: z
    .object({ runId: z.string().regex(RUN_ID_PATTERN), step: count })
    .nullable()
    .default(null),
  // Absent from files of runs recorded before the disk budget: their checkpoints were never dropped.
  timeTravelDropped: z.boolean().default(false),
  // Absent from files of runs recorded before thinning and pins: never thinned, not pinned.
  timeTravelThinned: z
    .object({ longestReplay: count })
    .nullable()
    .default(null) satisfies z.ZodType<ThinnedTimeTravel | null, unknown>,
  pinned: z.boolean().default(false),
  // Absent from files of runs recorded before the health was kept with them.
  health: z.array(healthSampleSchema).max(HEALTH_HISTORY_LIMIT).default([])
})

/** The file text for a record (with a format tag and version, so later versions can tell it apart). */
export function serializeRun(record: RunRecord): string {
  return JSON.stringify({ format: RUN_FILE_FORMAT, version: RUN_FILE_VERSION, ...record }) + '\n'
}

/** Parses and validates a run file; throws RunFileError naming the field. `id` is the file's own name. */
export function parseRunFile(text: string, id: string): RunRecord {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    throw new RunFileError(`run ${id}: the file is not valid JSON (it is truncated or damaged)`)
  }
  const result = runFileSchema.safeParse(raw)
  if (!result.success) {
    const issue = result.error.issues[0]
    throw new RunFileError(`run ${id}: ${issue.path.join('.') || 'the file'}: ${issue.message}`)
  }
  const { format: _format, version: _version, config, ...rest } = result.data
  if (rest.id !== id) throw new RunFileError(`run ${id}: the file holds run ${rest.id}`)
  try {
    return { ...rest, config: parseTrainConfig(config) }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    throw new RunFileError(
      `run ${id}: ${message.startsWith('config') ? message : `config.${message}`}`
    )
  }
}

/** The record without its series (what the runs list shows). */
export function summarizeRun(record: RunRecord): RunSummary {
  const {
    metrics: _metrics,
    evaluations: _evaluations,
    failure: _failure,
    health: _health,
    ...summary
  } = record
  return summary
}
