// Validation of a model architecture from untrusted input, in either form: the layer list, or the
// dense form of model files v1, saved settings and runs (which becomes the equivalent list).

import { ConfigError } from '../errors'
import { ACTIVATION_KINDS, type ActivationKind } from '../nn/activations'
import {
  denseArchitecture,
  type LayerActivation,
  type LayerSpec,
  type ModelArchitecture
} from '../nn/architecture'
import { countParameters, inferShapes } from '../nn/shapes'
import {
  checkNumber,
  expectObject,
  expectOnlyKeys,
  limited,
  oneOf,
  type LimitedField
} from './config-fields'

/** Values in one input sample, in either form. */
const MAX_INPUT_VALUES = 1_000_000
const LAYER_ACTIVATIONS: readonly LayerActivation[] = [...ACTIVATION_KINDS, 'none']
const LAYER_KINDS: readonly LayerSpec['kind'][] = ['dense', 'conv', 'maxpool', 'flatten', 'dropout']

/**
 * Validates an architecture and returns it in the list form, or throws a ConfigError naming the first
 * bad field (`architecture.layers[2].kernel`) or the layer whose shapes do not work out.
 * Also accepts the dense form { inputSize, hiddenSizes, activation, outputSize }: inputSize 784 becomes
 * the input [1, 28, 28] (any s² an s × s image, anything else [1, 1, n]) and each hidden width a dense
 * layer with the shared activation, so old files and settings mean exactly what they meant.
 */
export function parseArchitecture(raw: unknown, field = 'architecture'): ModelArchitecture {
  const o = expectObject(raw, field)
  const architecture =
    'hiddenSizes' in o || 'inputSize' in o ? parseDenseForm(o, field) : parseListForm(o, field)
  inferShapes(architecture, field) // throws for a list whose shapes do not work out
  const parameters = countParameters(architecture)
  const problem = checkNumber('parameters', parameters)
  if (problem)
    throw new ConfigError(`${field}.layers`, `the model's number of trainable values ${problem}`)
  return architecture
}

function parseListForm(o: Record<string, unknown>, field: string): ModelArchitecture {
  expectOnlyKeys(o, field, ['inputShape', 'layers', 'outputSize'])
  const shape = o.inputShape
  if (!Array.isArray(shape) || shape.length !== 3) {
    throw new ConfigError(
      `${field}.inputShape`,
      'must be [channels, height, width], e.g. [1, 28, 28] for MNIST'
    )
  }
  const dimension = (index: number, limit: LimitedField): number => {
    const problem = checkNumber(limit, shape[index])
    if (problem) throw new ConfigError(`${field}.inputShape[${index}]`, problem)
    return shape[index] as number
  }
  const inputShape: [number, number, number] = [
    dimension(0, 'inputChannels'),
    dimension(1, 'inputSide'),
    dimension(2, 'inputSide')
  ]
  if (inputShape[0] * inputShape[1] * inputShape[2] > MAX_INPUT_VALUES) {
    throw new ConfigError(
      `${field}.inputShape`,
      `${inputShape.join('×')} is ${inputShape[0] * inputShape[1] * inputShape[2]} values per sample; at most ${MAX_INPUT_VALUES}`
    )
  }
  if (!Array.isArray(o.layers)) {
    throw new ConfigError(
      `${field}.layers`,
      'must be a list of layers, e.g. [{ "kind": "dense", "units": 128, "activation": "relu" }] (or [] for none)'
    )
  }
  const countProblem = checkNumber('layers', o.layers.length)
  if (countProblem) throw new ConfigError(`${field}.layers`, `number of layers ${countProblem}`)
  const layers = o.layers.map((layer: unknown, i: number) =>
    parseLayer(layer, `${field}.layers[${i}]`)
  )
  return { inputShape, layers, outputSize: parseOutputSize(o.outputSize, field) }
}

/** One layer object; every field is required (the CLI's compact syntax is the short way to write one). */
export function parseLayer(raw: unknown, field: string): LayerSpec {
  const o = expectObject(raw, field)
  const kind = oneOf(o.kind, `${field}.kind`, LAYER_KINDS)
  const activation = (): LayerActivation =>
    oneOf(o.activation, `${field}.activation`, LAYER_ACTIVATIONS)
  switch (kind) {
    case 'dense':
      expectOnlyKeys(o, field, ['kind', 'units', 'activation'])
      return {
        kind,
        units: limited(o, 'units', 'hiddenSize', `${field}.units`),
        activation: activation()
      }
    case 'conv':
      expectOnlyKeys(o, field, ['kind', 'filters', 'kernel', 'stride', 'padding', 'activation'])
      return {
        kind,
        filters: limited(o, 'filters', 'filters', `${field}.filters`),
        kernel: limited(o, 'kernel', 'kernel', `${field}.kernel`),
        stride: oneOf(o.stride, `${field}.stride`, [1, 2] as const),
        padding: oneOf(o.padding, `${field}.padding`, ['valid', 'same'] as const),
        activation: activation()
      }
    case 'maxpool':
      expectOnlyKeys(o, field, ['kind', 'size'])
      return { kind, size: limited(o, 'size', 'poolSize', `${field}.size`) }
    case 'flatten':
      expectOnlyKeys(o, field, ['kind'])
      return { kind }
    case 'dropout':
      expectOnlyKeys(o, field, ['kind', 'rate'])
      return { kind, rate: limited(o, 'rate', 'dropoutRate', `${field}.rate`) }
  }
}

/** The dense form, checked as it always was, then turned into the list form. */
function parseDenseForm(o: Record<string, unknown>, field: string): ModelArchitecture {
  expectOnlyKeys(o, field, ['inputSize', 'hiddenSizes', 'activation', 'outputSize'])
  const inputSize = o.inputSize
  if (
    typeof inputSize !== 'number' ||
    !Number.isInteger(inputSize) ||
    inputSize < 1 ||
    inputSize > MAX_INPUT_VALUES
  ) {
    throw new ConfigError(
      `${field}.inputSize`,
      `must be a whole number from 1 to ${MAX_INPUT_VALUES}, got ${String(inputSize)}`
    )
  }
  const outputSize = parseOutputSize(o.outputSize, field)
  if (!Array.isArray(o.hiddenSizes)) {
    throw new ConfigError(
      `${field}.hiddenSizes`,
      'must be a list of layer widths, e.g. [128, 64] (or [] for none)'
    )
  }
  const layersProblem = checkNumber('hiddenLayers', o.hiddenSizes.length)
  if (layersProblem)
    throw new ConfigError(`${field}.hiddenSizes`, `number of hidden layers ${layersProblem}`)
  const hiddenSizes = o.hiddenSizes.map((size: unknown, i: number) => {
    const problem = checkNumber('hiddenSize', size)
    if (problem) throw new ConfigError(`${field}.hiddenSizes[${i}]`, `layer width ${problem}`)
    return size as number
  })
  const activation = oneOf<ActivationKind>(o.activation, `${field}.activation`, ACTIVATION_KINDS)
  return denseArchitecture({ inputSize, hiddenSizes, activation, outputSize })
}

function parseOutputSize(outputSize: unknown, field: string): number {
  if (
    typeof outputSize !== 'number' ||
    !Number.isInteger(outputSize) ||
    outputSize < 2 ||
    outputSize > 256
  ) {
    throw new ConfigError(
      `${field}.outputSize`,
      `must be a whole number from 2 to 256, got ${String(outputSize)}`
    )
  }
  return outputSize
}
