// The hyperparameter form as plain data: what each field is called and means, the text the user typed,
// and how that text becomes a TrainConfig (ranges come from core's CONFIG_LIMITS, the one source of truth).

// Pure core modules only (not core/index): the window needs no tensors, kernels or WebAssembly.
import { ConfigError } from '@core/errors'
import { countParameters, describeArchitecture } from '@core/nn/architecture'
import {
  checkNumber,
  CONFIG_LIMITS,
  DEFAULT_ADAM,
  DEFAULT_SGD,
  describeLimit,
  parseTrainConfig,
  type LimitedField,
  type OptimizerConfig,
  type TrainConfig
} from '@core/train/config'
import { checkConfigFitsDataset } from '@core/train/step-trainer'
import type { ActivationKind } from '@core/nn/activations'
import type { InitKind } from '@core/nn/init'
import type { OptimizerKind } from '@core/train/config'
import { problemOf, StudioError, type DatasetSummary } from '@contract'

/** What the user has typed: text for numbers (so "abc" can be shown and explained), choices as-is. */
export interface ConfigDraft {
  readonly learningRate: string
  readonly batchCount: string
  readonly batchSize: string
  readonly epochs: string
  readonly hiddenSizes: string
  readonly activation: ActivationKind
  readonly init: InitKind
  readonly optimizer: OptimizerKind
  readonly momentum: string
  readonly beta1: string
  readonly beta2: string
  readonly epsilon: string
  readonly weightDecay: string
  readonly seed: string
  readonly evaluateEvery: string
}

export type FieldKey = keyof ConfigDraft

export interface FieldSpec {
  readonly key: FieldKey
  readonly label: string
  /** One or two sentences for a learner, shown on hover and focus. */
  readonly help: string
  /** Takes effect in a running run; every other field needs a reset. */
  readonly live: boolean
}

export const FIELDS: Readonly<Record<FieldKey, FieldSpec>> = {
  learningRate: {
    key: 'learningRate',
    label: 'Learning rate',
    help: 'How far each step moves the weights along the negative gradient. Too high and the loss jumps or diverges; too low and it crawls. Changes apply live.',
    live: true
  },
  batchCount: {
    key: 'batchCount',
    label: 'Batches per epoch',
    help: 'How many minibatches make one epoch, or "all" for one full pass over the 60 000 training images.',
    live: false
  },
  batchSize: {
    key: 'batchSize',
    label: 'Batch size',
    help: 'Images averaged into each gradient step. Bigger batches give smoother but fewer updates per epoch.',
    live: false
  },
  epochs: {
    key: 'epochs',
    label: 'Epochs',
    help: 'How many times training repeats its batches, reshuffled each time.',
    live: false
  },
  hiddenSizes: {
    key: 'hiddenSizes',
    label: 'Hidden layers',
    help: 'Widths of the hidden layers, comma-separated: "128, 64" builds 784 → 128 → 64 → 10. Leave empty for none (softmax regression).',
    live: false
  },
  activation: {
    key: 'activation',
    label: 'Activation',
    help: 'The non-linearity after each hidden layer. Without one, stacked layers collapse into a single linear map.',
    live: false
  },
  init: {
    key: 'init',
    label: 'Initialiser',
    help: 'How the starting weights are drawn. He suits ReLU, Xavier suits sigmoid and tanh; the seed makes the draw repeatable.',
    live: false
  },
  optimizer: {
    key: 'optimizer',
    label: 'Optimizer',
    help: 'The update rule. SGD steps straight down the gradient (optionally with momentum); Adam adapts a step size per weight.',
    live: false
  },
  momentum: {
    key: 'momentum',
    label: 'Momentum',
    help: 'The fraction of the previous update carried into the next one (0 = plain SGD, 0.9 is typical). Changes apply live.',
    live: true
  },
  beta1: {
    key: 'beta1',
    label: 'β1',
    help: "Adam's decay rate for its running mean of gradients (0.9 is standard).",
    live: false
  },
  beta2: {
    key: 'beta2',
    label: 'β2',
    help: "Adam's decay rate for its running mean of squared gradients (0.999 is standard).",
    live: false
  },
  epsilon: {
    key: 'epsilon',
    label: 'ε',
    help: "A tiny number added to Adam's denominator so it never divides by zero.",
    live: false
  },
  weightDecay: {
    key: 'weightDecay',
    label: 'Weight decay',
    help: 'L2 penalty λ that pulls weights (not biases) towards zero each step, discouraging over-fitting. 0 turns it off.',
    live: false
  },
  seed: {
    key: 'seed',
    label: 'Seed',
    help: 'Picks the initial weights and the data order. The same seed and settings replay the same run exactly.',
    live: false
  },
  evaluateEvery: {
    key: 'evaluateEvery',
    label: 'Evaluate every',
    help: 'Measure accuracy on the 10 000 test images every N batches. 0 evaluates only at the end of each epoch.',
    live: false
  }
}

/** Fields parsed with core's limits, keyed by draft field. */
const NUMBER_FIELDS = {
  learningRate: 'learningRate',
  batchSize: 'batchSize',
  epochs: 'epochs',
  momentum: 'momentum',
  beta1: 'beta1',
  beta2: 'beta2',
  epsilon: 'epsilon',
  weightDecay: 'weightDecay',
  seed: 'seed',
  evaluateEvery: 'evaluateEvery'
} as const satisfies Partial<Record<FieldKey, LimitedField>>

export type FieldErrors = Partial<Record<FieldKey, string>>

/**
 * The form field that edits each TrainConfig path core and the host name in their errors (a list's
 * index, as in 'architecture.hiddenSizes[1]', belongs to the list's field). Paths not here, such as
 * 'architecture.inputSize' or 'dataset', are no field's: they are shown as a general error.
 */
const FIELD_OF_CONFIG_PATH: Readonly<Record<string, FieldKey>> = {
  learningRate: 'learningRate',
  weightDecay: 'weightDecay',
  batchSize: 'batchSize',
  batchCount: 'batchCount',
  epochs: 'epochs',
  seed: 'seed',
  evaluateEvery: 'evaluateEvery',
  init: 'init',
  'architecture.hiddenSizes': 'hiddenSizes',
  'architecture.activation': 'activation',
  'optimizer.kind': 'optimizer',
  'optimizer.momentum': 'momentum',
  'optimizer.beta1': 'beta1',
  'optimizer.beta2': 'beta2',
  'optimizer.epsilon': 'epsilon'
}

export function draftFromConfig(config: TrainConfig): ConfigDraft {
  const optimizer = config.optimizer
  const sgd = optimizer.kind === 'sgd' ? optimizer : DEFAULT_SGD
  const adam = optimizer.kind === 'adam' ? optimizer : DEFAULT_ADAM
  return {
    learningRate: String(config.learningRate),
    batchCount: String(config.batchCount),
    batchSize: String(config.batchSize),
    epochs: String(config.epochs),
    hiddenSizes: config.architecture.hiddenSizes.join(', '),
    activation: config.architecture.activation,
    init: config.init,
    optimizer: optimizer.kind,
    momentum: String(sgd.kind === 'sgd' ? sgd.momentum : 0),
    beta1: String(adam.kind === 'adam' ? adam.beta1 : 0.9),
    beta2: String(adam.kind === 'adam' ? adam.beta2 : 0.999),
    epsilon: String(adam.kind === 'adam' ? adam.epsilon : 1e-8),
    weightDecay: String(config.weightDecay),
    seed: String(config.seed),
    evaluateEvery: String(config.evaluateEvery)
  }
}

/** The allowed range in words, for a field's help and error text. */
export function allowedRange(key: FieldKey): string | null {
  if (key === 'batchCount') return `${describeLimit(CONFIG_LIMITS.batchCount)}, or "all"`
  if (key === 'hiddenSizes') {
    return `up to ${CONFIG_LIMITS.hiddenLayers.max} widths, each ${describeLimit(CONFIG_LIMITS.hiddenSize)}`
  }
  const limited = (NUMBER_FIELDS as Partial<Record<FieldKey, LimitedField>>)[key]
  return limited ? describeLimit(CONFIG_LIMITS[limited]) : null
}

/** Text → number the way a person means it: trims and accepts "1e-3"; "" and "12abc" come back as text. */
export function parseNumberText(text: string): number | string {
  const trimmed = text.trim()
  if (trimmed === '') return ''
  const value = Number(trimmed)
  return Number.isNaN(value) ? trimmed : value
}

/** Why the text is not allowed ("must be a number > 0 and ≤ 10, got -1"), or null. */
function numberProblem(limit: LimitedField, text: string): string | null {
  const value = parseNumberText(text)
  if (value === '') return `is required: enter ${describeLimit(CONFIG_LIMITS[limit])}`
  return checkNumber(limit, value)
}

function hiddenSizesProblem(text: string): string | null {
  const parts = text.trim() === '' ? [] : text.split(',').map((part) => part.trim())
  const countProblem = checkNumber('hiddenLayers', parts.length)
  if (countProblem)
    return `allows at most ${CONFIG_LIMITS.hiddenLayers.max} layers, got ${parts.length}`
  for (const part of parts) {
    if (part === '') return 'has an empty width: write widths like "128, 64"'
    const problem = checkNumber('hiddenSize', parseNumberText(part))
    if (problem) return `each width ${problem}`
  }
  return null
}

/** Every problem in the draft, by field. Optimizer options of the unselected optimizer are ignored. */
export function validateDraft(draft: ConfigDraft): FieldErrors {
  const errors: FieldErrors = {}
  for (const [key, limit] of Object.entries(NUMBER_FIELDS) as [FieldKey, LimitedField][]) {
    if (draft.optimizer === 'sgd' && (key === 'beta1' || key === 'beta2' || key === 'epsilon'))
      continue
    if (draft.optimizer === 'adam' && key === 'momentum') continue
    const problem = numberProblem(limit, draft[key])
    if (problem) errors[key] = problem
  }
  if (draft.batchCount.trim().toLowerCase() !== 'all') {
    const problem = numberProblem('batchCount', draft.batchCount)
    if (problem) errors.batchCount = problem.replace(/(, got|$)/, ', or "all"$1')
  }
  const hidden = hiddenSizesProblem(draft.hiddenSizes)
  if (hidden) errors.hiddenSizes = hidden
  return errors
}

/** A sentence naming the field, e.g. "Learning rate must be a number > 0 and ≤ 10, got -1". */
export function describeError(key: FieldKey, problem: string): string {
  return `${FIELDS[key].label} ${problem}`
}

export type DraftResult =
  | { readonly ok: true; readonly config: TrainConfig }
  /** `general`: a problem that belongs to no field (e.g. the dataset's images are not 784 pixels). */
  | { readonly ok: false; readonly errors: FieldErrors; readonly general?: string }

/**
 * The TrainConfig the draft describes, or the problems with it. `base` supplies what the form does
 * not edit (the input and output sizes of the dataset). Core's parser checks the result once more,
 * and when the training set is known, core's check that the batches fit in it.
 */
export function configFromDraft(
  draft: ConfigDraft,
  base: TrainConfig,
  train?: DatasetSummary | null
): DraftResult {
  const errors = validateDraft(draft)
  if (Object.keys(errors).length > 0) return { ok: false, errors }
  const num = (text: string) => Number(text.trim())
  const optimizer: OptimizerConfig =
    draft.optimizer === 'sgd'
      ? { kind: 'sgd', momentum: num(draft.momentum) }
      : {
          kind: 'adam',
          beta1: num(draft.beta1),
          beta2: num(draft.beta2),
          epsilon: num(draft.epsilon)
        }
  const hiddenSizes = draft.hiddenSizes.trim() === '' ? [] : draft.hiddenSizes.split(',').map(num)
  const candidate: TrainConfig = {
    architecture: { ...base.architecture, hiddenSizes, activation: draft.activation },
    init: draft.init,
    optimizer,
    learningRate: num(draft.learningRate),
    weightDecay: num(draft.weightDecay),
    batchSize: num(draft.batchSize),
    batchCount: draft.batchCount.trim().toLowerCase() === 'all' ? 'all' : num(draft.batchCount),
    epochs: num(draft.epochs),
    seed: num(draft.seed),
    evaluateEvery: num(draft.evaluateEvery)
  }
  try {
    const config = parseTrainConfig(candidate)
    if (train) {
      // NOTE: the check reads only the dataset's name and sizes, so its summary stands in for the pixels.
      const shape = {
        ...train,
        inputSize: train.rows * train.cols,
        pixels: new Uint8Array(0),
        labels: new Uint8Array(0)
      }
      checkConfigFitsDataset(config, shape)
    }
    return { ok: true, config }
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    const key = fieldOfPath(err.field)
    return key
      ? { ok: false, errors: { [key]: problemOf(err) } }
      : { ok: false, errors: {}, general: problemOf(err) }
  }
}

/** The form field a config path belongs to ("architecture.hiddenSizes[1]" → hiddenSizes), or null. */
export function fieldOfPath(path: string): FieldKey | null {
  const indexAt = path.indexOf('[')
  return FIELD_OF_CONFIG_PATH[indexAt < 0 ? path : path.slice(0, indexAt)] ?? null
}

/** A field's text in a canonical form, so "0.030" and "0.03" or "128,64" and "128, 64" compare equal. */
export function canonical(key: FieldKey, text: string): string {
  const trimmed = text.trim().toLowerCase()
  if (key === 'hiddenSizes')
    return trimmed
      .split(',')
      .map((part) => canonical('seed', part))
      .join(',')
  const value = Number(trimmed)
  return trimmed !== '' && !Number.isNaN(value) ? String(value) : trimmed
}

/**
 * Fields edited away from the running run's config that it cannot take live (they apply after a
 * reset). Options of the optimizer not selected in the draft are ignored.
 */
export function fieldsNeedingReset(draft: ConfigDraft, running: TrainConfig): FieldKey[] {
  const runningDraft = draftFromConfig(running)
  return (Object.keys(FIELDS) as FieldKey[]).filter((key) => {
    if (FIELDS[key].live) return false
    if (key === 'momentum' && draft.optimizer !== 'sgd') return false
    if ((key === 'beta1' || key === 'beta2' || key === 'epsilon') && draft.optimizer !== 'adam')
      return false
    return canonical(key, draft[key]) !== canonical(key, runningDraft[key])
  })
}

/**
 * A host error as the learner reads it: a config field's problem under the field's visible label
 * ("Learning rate must be …", from the error's code and field, not its wording); any other error in
 * the host's own words.
 */
export function explainHostError(error: unknown): string {
  if (error instanceof StudioError && error.code === 'invalid-config' && error.field) {
    const key = fieldOfPath(error.field)
    if (key) return describeError(key, problemOf(error))
  }
  return error instanceof Error ? error.message : String(error)
}

/** "784 → 10 ReLU → 10 · 7 960 parameters" for the draft's network, even while other fields are invalid. */
export function summarise(draft: ConfigDraft, base: TrainConfig): string {
  const { inputSize, outputSize } = base.architecture
  if (hiddenSizesProblem(draft.hiddenSizes))
    return `${inputSize} → ? → ${outputSize} (check the hidden layers)`
  const hiddenSizes =
    draft.hiddenSizes.trim() === ''
      ? []
      : draft.hiddenSizes.split(',').map((part) => Number(part.trim()))
  const architecture = { ...base.architecture, hiddenSizes, activation: draft.activation }
  const parameters = countParameters(architecture).toLocaleString('en-US').replace(/,/g, '\u202f')
  return `${describeArchitecture(architecture)} · ${parameters} parameters`
}
