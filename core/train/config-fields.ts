// The allowed range of every numeric setting, and the small readers that check one untrusted field
// each (a config arrives from a UI, a command line or a file). config.ts and architecture-config.ts
// build on them.

import { ConfigError } from '../errors'

/** A numeric field's allowed range: what validation enforces and what the UI tells the user. */
export interface NumericLimit {
  readonly min: number
  readonly max: number
  /** Whether min itself is allowed (false for a learning rate, which must be > 0). */
  readonly minInclusive: boolean
  readonly maxInclusive: boolean
  readonly integer: boolean
}

const range = (
  min: number,
  max: number,
  integer: boolean,
  minInclusive = true,
  maxInclusive = true
): NumericLimit => ({
  min,
  max,
  integer,
  minInclusive,
  maxInclusive
})

/** The allowed range of every numeric field. */
export const CONFIG_LIMITS = {
  learningRate: range(0, 10, false, false),
  /** Per-epoch factor of the learning rate: (0, 1], 1 = constant. */
  learningRateDecay: range(0, 1, false, false),
  weightDecay: range(0, 1, false),
  batchSize: range(1, 60_000, true),
  batchCount: range(1, 1_000_000, true),
  epochs: range(1, 1_000, true),
  seed: range(0, 4_294_967_295, true),
  evaluateEvery: range(0, 1_000_000, true),
  /** The dense form's hidden layers (model files v1, --hidden). */
  hiddenLayers: range(0, 6, true),
  /** A dense layer's width, in either form. */
  hiddenSize: range(1, 4_096, true),
  /** Hidden layers in the list form. */
  layers: range(0, 32, true),
  /** One side of the input image, and its channels. */
  inputSide: range(1, 4_096, true),
  inputChannels: range(1, 64, true),
  filters: range(1, 256, true),
  kernel: range(1, 11, true),
  poolSize: range(2, 8, true),
  dropoutRate: range(0, 0.9, false),
  /** Trainable values in the whole model: 100 M floats are 400 MB, and each has a gradient. */
  parameters: range(0, 100_000_000, true),
  momentum: range(0, 1, false, true, false),
  beta1: range(0, 1, false, true, false),
  beta2: range(0, 1, false, true, false),
  epsilon: range(0, 1, false, false),
  /** Augmentation: the largest shift (pixels), rotation (degrees) and scale change (fraction). */
  shiftPixels: range(0, 4, false),
  rotationDegrees: range(0, 30, false),
  scale: range(0, 0.3, false)
} as const satisfies Record<string, NumericLimit>

export type LimitedField = keyof typeof CONFIG_LIMITS

/** The range in words, e.g. "a number > 0 and ≤ 10" or "a whole number from 1 to 60000". */
export function describeLimit(limit: NumericLimit): string {
  if (limit.integer && limit.minInclusive && limit.maxInclusive) {
    return `a whole number from ${limit.min} to ${limit.max}`
  }
  const kind = limit.integer ? 'a whole number' : 'a number'
  return `${kind} ${limit.minInclusive ? '≥' : '>'} ${limit.min} and ${limit.maxInclusive ? '≤' : '<'} ${limit.max}`
}

/** Why `value` is not allowed for `field`, or null when it is. */
export function checkNumber(field: LimitedField, value: unknown): string | null {
  const limit: NumericLimit = CONFIG_LIMITS[field]
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!limit.integer || Number.isInteger(value)) &&
    (limit.minInclusive ? value >= limit.min : value > limit.min) &&
    (limit.maxInclusive ? value <= limit.max : value < limit.max)
  if (ok) return null
  const shown =
    typeof value === 'number' || typeof value === 'string' ? String(value) : typeof value
  return `must be ${describeLimit(limit)}, got ${typeof value === 'string' ? JSON.stringify(value) : shown}`
}

/** o[key] checked against CONFIG_LIMITS[limit]; a ConfigError on `field` ("is missing" when absent). */
export function limited(
  o: Record<string, unknown>,
  key: string,
  limit: LimitedField,
  field = key
): number {
  const problem = checkNumber(limit, o[key])
  if (problem) throw new ConfigError(field, o[key] === undefined ? 'is missing' : problem)
  return o[key] as number
}

/** `value` if it is one of `allowed`, else a ConfigError listing them. */
export function oneOf<T extends string | number>(
  value: unknown,
  field: string,
  allowed: readonly T[]
): T {
  if ((allowed as readonly unknown[]).includes(value)) return value as T
  throw new ConfigError(
    field,
    `must be one of ${allowed.join(', ')}, got ${value === undefined ? 'nothing' : JSON.stringify(value)}`
  )
}

/** `raw` as a plain object (not null, not a list), or a ConfigError saying what it is. */
export function expectObject(raw: unknown, field: string): Record<string, unknown> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError(
      field,
      `must be an object, got ${raw === null ? 'null' : Array.isArray(raw) ? 'a list' : typeof raw}`
    )
  }
  return raw as Record<string, unknown>
}

/** Rejects keys outside `allowed`, so a typo never silently falls back to a default. */
export function expectOnlyKeys(
  o: Record<string, unknown>,
  field: string,
  allowed: readonly string[]
): void {
  for (const key of Object.keys(o)) {
    if (!allowed.includes(key))
      throw new ConfigError(
        `${field}.${key}`,
        `is not a known setting (known: ${allowed.join(', ')})`
      )
  }
}
