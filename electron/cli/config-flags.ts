// Turns `--preset` plus per-field flags into a validated TrainConfig. Flags override the preset.

import {
  ConfigError,
  DEFAULT_ADAM,
  DEFAULT_SGD,
  isPresetName,
  parseTrainConfig,
  PRESET_NAMES,
  PRESETS,
  type OptimizerConfig,
  type TrainConfig
} from '../../core'
import { numberFlag, stringFlag, type FlagSpec, type ParsedArgs } from './args'
import { ARCHITECTURE_FLAGS, architectureFromFlags } from './architecture-flags'
import { UsageError } from './errors'

/** Every config field as a flag (value flags). */
export const CONFIG_FLAGS = {
  preset: 'string',
  lr: 'string',
  'batch-size': 'string',
  batches: 'string',
  epochs: 'string',
  seed: 'string',
  ...ARCHITECTURE_FLAGS,
  init: 'string',
  optimizer: 'string',
  momentum: 'string',
  beta1: 'string',
  beta2: 'string',
  epsilon: 'string',
  'weight-decay': 'string',
  'lr-decay': 'string',
  'evaluate-every': 'string',
  augment: 'string'
} as const satisfies FlagSpec

/** Config field (as ConfigError names it) → the flag a CLI user typed. */
const FLAG_FOR_FIELD: [RegExp, string][] = [
  [/^learningRateDecay/, '--lr-decay'],
  [/^learningRate/, '--lr'],
  [/^batchSize/, '--batch-size'],
  [/^batchCount/, '--batches'],
  [/^epochs/, '--epochs'],
  [/^seed/, '--seed'],
  [/^architecture\./, '--layers'],
  [/^init/, '--init'],
  [/^optimizer\.kind/, '--optimizer'],
  [/^optimizer\.momentum/, '--momentum'],
  [/^optimizer\.beta1/, '--beta1'],
  [/^optimizer\.beta2/, '--beta2'],
  [/^optimizer\.epsilon/, '--epsilon'],
  [/^weightDecay/, '--weight-decay'],
  [/^evaluateEvery/, '--evaluate-every'],
  [/^augmentation/, '--augment']
]

/** The preset named by --preset (default `seed`), or the config of the run a fork resumes, with every
 *  given flag applied, validated. */
export function configFromFlags(args: ParsedArgs, resumed: TrainConfig | null = null): TrainConfig {
  const base = resumed ?? presetConfig(args)
  const raw = {
    ...base,
    architecture: architectureFromFlags(args, base.architecture),
    optimizer: optimizerFlags(args, base.optimizer),
    ...defined({
      learningRate: numberFlag(args, 'lr'),
      learningRateDecay: numberFlag(args, 'lr-decay'),
      batchSize: numberFlag(args, 'batch-size'),
      batchCount: batchesFlag(args),
      epochs: numberFlag(args, 'epochs'),
      seed: numberFlag(args, 'seed'),
      init: stringFlag(args, 'init'),
      weightDecay: numberFlag(args, 'weight-decay'),
      evaluateEvery: numberFlag(args, 'evaluate-every'),
      augmentation: augmentFlag(args)
    })
  }
  return withFlagNames(() => parseTrainConfig(raw))
}

/** The --preset's config (default seed). */
function presetConfig(args: ParsedArgs): TrainConfig {
  const presetName = stringFlag(args, 'preset') ?? 'seed'
  if (!isPresetName(presetName)) {
    throw new UsageError(
      `--preset: unknown preset "${presetName}" (known: ${PRESET_NAMES.join(', ')})`
    )
  }
  return PRESETS[presetName].config
}

/** Runs `check`, rewording a ConfigError about a field as a UsageError about the flag the user typed. */
export function withFlagNames<T>(check: () => T): T {
  try {
    return check()
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    const flag = FLAG_FOR_FIELD.find(([pattern]) => pattern.test(error.field))?.[1]
    throw flag ? new UsageError(`${flag}: ${error.message.slice(error.field.length + 2)}`) : error
  }
}

function optimizerFlags(args: ParsedArgs, base: OptimizerConfig): unknown {
  const kind = stringFlag(args, 'optimizer') ?? base.kind
  const start =
    kind === base.kind
      ? base
      : kind === 'adam'
        ? DEFAULT_ADAM
        : kind === 'sgd'
          ? DEFAULT_SGD
          : { kind }
  const momentum = numberFlag(args, 'momentum')
  const adamFlags = defined({
    beta1: numberFlag(args, 'beta1'),
    beta2: numberFlag(args, 'beta2'),
    epsilon: numberFlag(args, 'epsilon')
  })
  if (kind === 'adam' && momentum !== undefined)
    throw new UsageError('--momentum applies to --optimizer sgd only (Adam has --beta1)')
  if (kind === 'sgd' && Object.keys(adamFlags).length > 0)
    throw new UsageError('--beta1, --beta2 and --epsilon apply to --optimizer adam only')
  return { ...start, ...defined({ momentum }), ...adamFlags }
}

/** The names --augment takes, and the config field each sets. */
const AUGMENT_KEYS = { shift: 'shiftPixels', rotate: 'rotationDegrees', scale: 'scale' } as const

/**
 * --augment shift=2,rotate=10,scale=0.1 (any of the three; the others are 0), or "off"/"none".
 * Ranges are checked by core, like every other field.
 */
function augmentFlag(args: ParsedArgs): unknown {
  const text = stringFlag(args, 'augment')
  if (text === undefined) return undefined
  const augmentation: Record<string, number> = { shiftPixels: 0, rotationDegrees: 0, scale: 0 }
  if (text.trim() === 'off' || text.trim() === 'none') return augmentation
  for (const part of text.split(',')) {
    const [name, value, extra] = part.split('=').map((piece) => piece.trim())
    const key = AUGMENT_KEYS[name as keyof typeof AUGMENT_KEYS]
    const number = Number(value)
    if (
      !key ||
      extra !== undefined ||
      value === undefined ||
      value === '' ||
      !Number.isFinite(number)
    ) {
      throw new UsageError(
        `--augment: "${part.trim()}" is not a setting (write e.g. shift=2,rotate=10,scale=0.1, or off)`
      )
    }
    augmentation[key] = number
  }
  return augmentation
}

function batchesFlag(args: ParsedArgs): number | 'all' | undefined {
  return stringFlag(args, 'batches') === 'all' ? 'all' : numberFlag(args, 'batches')
}

/** The entries whose value is not undefined (so absent flags do not override the preset). */
function defined<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(values).filter(([, value]) => value !== undefined)
  ) as Partial<T>
}
