// The network's flags: --hidden (dense widths), --layers (the compact syntax), --layers-json (a file or
// JSON text) and --activation. At most one of the first three; each replaces the preset's layers.

import { readFileSync } from 'node:fs'
import {
  ACTIVATION_KINDS,
  commonActivation,
  ConfigError,
  parseArchitecture,
  parseLayerList,
  type ActivationKind,
  type LayerSpec,
  type ModelArchitecture
} from '../../core'
import { stringFlag, type FlagSpec, type ParsedArgs } from './args'
import { UsageError } from './errors'

export const ARCHITECTURE_FLAGS = {
  hidden: 'string',
  layers: 'string',
  'layers-json': 'string',
  activation: 'string'
} as const satisfies FlagSpec

const LAYER_FLAGS = ['hidden', 'layers', 'layers-json'] as const

/**
 * The preset's architecture with the network flags applied, checked by core's parseArchitecture; a
 * ConfigError comes back as a UsageError naming the flag that was typed.
 * --activation alone sets the activation of every conv and dense layer that has one.
 */
export function architectureFromFlags(
  args: ParsedArgs,
  base: ModelArchitecture
): ModelArchitecture {
  const given = LAYER_FLAGS.filter((name) => stringFlag(args, name) !== undefined)
  if (given.length > 1)
    throw new UsageError(`--${given[0]} and --${given[1]} both describe the layers: give one`)
  const flag = given[0] ?? 'activation'
  const activation = activationFlag(args) ?? commonActivation(base.layers)
  try {
    switch (given[0]) {
      case 'hidden':
        return parseArchitecture({ ...base, layers: hiddenLayers(args, activation) })
      case 'layers':
        return parseArchitecture({
          ...base,
          layers: parseLayerList(stringFlag(args, 'layers')!, activation)
        })
      case 'layers-json':
        return parseArchitecture(layersJson(stringFlag(args, 'layers-json')!, base))
      case undefined:
        return activationFlag(args)
          ? parseArchitecture({
              ...base,
              layers: base.layers.map((l) => withActivation(l, activation))
            })
          : base
    }
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    throw new UsageError(
      `--${flag}: ${whereInLayers(error.field)}${error.message.slice(error.field.length + 2)}`
    )
  }
}

function activationFlag(args: ParsedArgs): ActivationKind | undefined {
  const activation = stringFlag(args, 'activation')
  if (activation === undefined || (ACTIVATION_KINDS as readonly string[]).includes(activation))
    return activation as ActivationKind | undefined
  throw new UsageError(
    `--activation: must be one of ${ACTIVATION_KINDS.join(', ')}, got ${JSON.stringify(activation)}`
  )
}

/** "128,64" → two dense layers; "" or "none" → none (softmax regression). */
function hiddenLayers(args: ParsedArgs, activation: ActivationKind): LayerSpec[] {
  const hidden = stringFlag(args, 'hidden')!
  const parts = hidden.trim() === '' || hidden.trim() === 'none' ? [] : hidden.split(',')
  return parts.map((part) => {
    const units = Number(part.trim())
    if (part.trim() === '' || !Number.isFinite(units)) {
      throw new UsageError(
        `--hidden: "${hidden}" is not a list of layer widths (e.g. 128,64; empty for none)`
      )
    }
    return { kind: 'dense', units, activation }
  })
}

/**
 * JSON text, or the name of a file holding it: a list of layers (the preset's input and output stay),
 * or a whole architecture { inputShape, layers, outputSize } (or the dense form).
 */
function layersJson(value: string, base: ModelArchitecture): unknown {
  const isText = /^\s*[[{]/.test(value)
  let text = value
  if (!isText) {
    try {
      text = readFileSync(value, 'utf8')
    } catch {
      throw new UsageError(`--layers-json: ${value} is neither JSON nor a file that can be read`)
    }
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw new UsageError(
      `--layers-json: ${isText ? 'the text' : value} is not valid JSON (a list of layers or an architecture)`
    )
  }
  return Array.isArray(parsed) ? { ...base, layers: parsed } : parsed
}

function withActivation(layer: LayerSpec, activation: ActivationKind): LayerSpec {
  if ((layer.kind === 'dense' || layer.kind === 'conv') && layer.activation !== 'none')
    return { ...layer, activation }
  return layer
}

/**
 * Where a ConfigError points, for a user who typed a list: "layer 2 units: " for one layer's setting,
 * nothing for a whole layer or the list (those messages name the layer), else the path.
 */
function whereInLayers(field: string): string {
  const setting = /^architecture\.layers\[(\d+)\]\.(\w+)$/.exec(field)
  if (setting) return `layer ${Number(setting[1]) + 1} ${setting[2]}: `
  if (/^architecture\.layers(\[\d+\])?$/.test(field)) return ''
  return `${field.replace(/^architecture\./, '')}: `
}
