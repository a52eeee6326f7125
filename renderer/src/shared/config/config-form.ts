// The hyperparameter form as plain data: how the text the user typed (form-fields.ts) becomes a
// TrainConfig, and what is wrong with it (ranges come from core's CONFIG_LIMITS, the one source of truth).

// Pure core modules only (not core/index): the window needs no tensors, kernels or WebAssembly.
import type { Augmentation } from '@core/data/augment'
import { ConfigError } from '@core/errors'
import {
  describeArchitecture,
  describeLayer,
  inputSize,
  isConvolutional,
  type LayerSpec
} from '@core/nn/architecture'
import { commonActivation, formatLayerList, parseLayerList } from '@core/nn/layer-syntax'
import { countParameters } from '@core/nn/shapes'
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
import { problemOf, StudioError, type DatasetSummary } from '@contract'
import { FIELDS, type ConfigDraft, type FieldKey } from './form-fields'
import { firstLayerRangeProblem } from './layer-range'

export { FIELDS, type ConfigDraft, type FieldKey, type FieldSpec } from './form-fields'

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
  evaluateEvery: 'evaluateEvery',
  shiftPixels: 'shiftPixels',
  rotationDegrees: 'rotationDegrees',
  scale: 'scale'
} as const satisfies Partial<Record<FieldKey, LimitedField>>

export type FieldErrors = Partial<Record<FieldKey, string>>

/**
 * The form field that edits each TrainConfig path core and the host name in their errors (a list's
 * index, as in 'architecture.layers[2].kernel', belongs to the list's field; the dense form's
 * 'architecture.hiddenSizes' is the same field). Paths not here, such as 'architecture.inputShape' (the
 * images do not fit the model) or 'dataset', are no field's: they are shown as a general error.
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
  'architecture.layers': 'layers',
  'architecture.hiddenSizes': 'layers',
  'architecture.activation': 'activation',
  'optimizer.kind': 'optimizer',
  'optimizer.momentum': 'momentum',
  'optimizer.beta1': 'beta1',
  'optimizer.beta2': 'beta2',
  'optimizer.epsilon': 'epsilon',
  'augmentation.shiftPixels': 'shiftPixels',
  'augmentation.rotationDegrees': 'rotationDegrees',
  'augmentation.scale': 'scale'
}

export function draftFromConfig(config: TrainConfig): ConfigDraft {
  const optimizer = config.optimizer
  const activation = commonActivation(config.architecture.layers)
  const sgd = optimizer.kind === 'sgd' ? optimizer : DEFAULT_SGD
  const adam = optimizer.kind === 'adam' ? optimizer : DEFAULT_ADAM
  return {
    learningRate: String(config.learningRate),
    batchCount: String(config.batchCount),
    batchSize: String(config.batchSize),
    epochs: String(config.epochs),
    layers: formatLayerList(config.architecture.layers, activation),
    activation,
    init: config.init,
    optimizer: optimizer.kind,
    momentum: String(sgd.kind === 'sgd' ? sgd.momentum : 0),
    beta1: String(adam.kind === 'adam' ? adam.beta1 : 0.9),
    beta2: String(adam.kind === 'adam' ? adam.beta2 : 0.999),
    epsilon: String(adam.kind === 'adam' ? adam.epsilon : 1e-8),
    weightDecay: String(config.weightDecay),
    seed: String(config.seed),
    evaluateEvery: String(config.evaluateEvery),
    shiftPixels: String(config.augmentation.shiftPixels),
    rotationDegrees: String(config.augmentation.rotationDegrees),
    scale: String(config.augmentation.scale)
  }
}

/** The allowed range in words, for a field's help and error text. */
export function allowedRange(key: FieldKey): string | null {
  if (key === 'batchCount') return `${describeLimit(CONFIG_LIMITS.batchCount)}, or "all"`
  if (key === 'layers') {
    return `up to ${CONFIG_LIMITS.layers.max} layers; each width ${describeLimit(CONFIG_LIMITS.hiddenSize)}`
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

/**
 * The layers the text describes, or why it describes none: the syntax, the number of layers and each
 * layer's own ranges (core's parseLayer). Whether their shapes fit the images is checked with the
 * whole config, in configFromDraft.
 */
function readLayers(draft: ConfigDraft): LayerSpec[] | string {
  let layers: LayerSpec[]
  try {
    layers = parseLayerList(draft.layers, draft.activation)
  } catch (err) {
    if (err instanceof ConfigError) return problemOf(err)
    throw err
  }
  if (checkNumber('layers', layers.length))
    return `allows at most ${CONFIG_LIMITS.layers.max} layers, got ${layers.length}`
  const range = firstLayerRangeProblem(layers)
  if (!range) return layers
  const { index, setting, problem } = range
  if (setting === 'units') return `each width ${problem}`
  return `layer ${index + 1} (${describeLayer(layers[index])}): ${setting} ${problem}`
}

/** The augmentation settings the draft describes, or null while one of them is not allowed. */
export function augmentationFromDraft(draft: ConfigDraft): Augmentation | null {
  const keys = ['shiftPixels', 'rotationDegrees', 'scale'] as const
  if (keys.some((key) => numberProblem(key, draft[key]) !== null)) return null
  const [shiftPixels, rotationDegrees, scale] = keys.map((key) => Number(draft[key].trim()))
  return { shiftPixels, rotationDegrees, scale }
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
  const layers = readLayers(draft)
  if (typeof layers === 'string') errors.layers = layers
  return errors
}

/** A sentence naming the field, e.g. "Learning rate must be a number > 0 and ≤ 10, got -1". */
export function describeError(key: FieldKey, problem: string): string {
  // NOTE: a layer's problem starts with its name: "Layer conv2 (conv 5×5×16 valid ReLU): …" reads
  // better than the field's label before it.
  if (key === 'layers' && LAYER_NAMED.test(problem)) return `Layer ${problem}`
  return `${FIELDS[key].label} ${problem}`
}

/** A problem that begins with a layer's name and its description: "conv2 (conv 5×5×16 …): …". */
const LAYER_NAMED = /^(conv|pool|flatten|dropout|dense)\d+ \(/

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
  const candidate: TrainConfig = {
    architecture: { ...base.architecture, layers: parseLayerList(draft.layers, draft.activation) },
    init: draft.init,
    optimizer,
    learningRate: num(draft.learningRate),
    // NOTE: the form does not edit the schedule yet: a preset's decay is kept as it is.
    learningRateDecay: base.learningRateDecay,
    weightDecay: num(draft.weightDecay),
    batchSize: num(draft.batchSize),
    batchCount: draft.batchCount.trim().toLowerCase() === 'all' ? 'all' : num(draft.batchCount),
    epochs: num(draft.epochs),
    seed: num(draft.seed),
    evaluateEvery: num(draft.evaluateEvery),
    augmentation: {
      shiftPixels: num(draft.shiftPixels),
      rotationDegrees: num(draft.rotationDegrees),
      scale: num(draft.scale)
    }
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
      checkConfigFitsDataset(config, shape, train.classes)
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

/** The form field a config path belongs to ("architecture.layers[1].units" → layers), or null. */
export function fieldOfPath(path: string): FieldKey | null {
  const indexAt = path.indexOf('[')
  return FIELD_OF_CONFIG_PATH[indexAt < 0 ? path : path.slice(0, indexAt)] ?? null
}

/** A field's text in a canonical form, so "0.030" and "0.03" or "128,64" and "128, 64" compare equal. */
export function canonical(key: FieldKey, text: string): string {
  const trimmed = text.trim().toLowerCase()
  if (key === 'layers') {
    try {
      return formatLayerList(parseLayerList(trimmed, 'relu'), 'relu')
    } catch {
      return trimmed
    }
  }
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
  const layers = readLayers(draft)
  if (typeof layers !== 'string') {
    const architecture = { ...base.architecture, layers }
    try {
      const parameters = countParameters(architecture)
        .toLocaleString('en-US')
        .replace(/,/g, '\u202f')
      return `${describeArchitecture(architecture)} · ${parameters} parameters`
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err // shapes that do not work out: said below
    }
  }
  const { outputSize, inputShape } = base.architecture
  // NOTE: the input in the notation the net would have: an image for a list with conv or pool layers.
  const images = typeof layers !== 'string' && isConvolutional({ ...base.architecture, layers })
  const input = images ? inputShape.join('×') : String(inputSize(base.architecture))
  return `${input} → ? → ${outputSize} (check the layers below)`
}
