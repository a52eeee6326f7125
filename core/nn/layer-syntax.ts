// The compact way to write a layer list, shared by the CLI's --layers and the Train view's form:
//   conv5x5x6, pool2, conv5x5x16valid, pool2, dense120, dense84
//
// Grammar (comma-separated, spaces and case ignored):
//   conv{k}x{k}x{filters}[s2][same|valid]   a k×k convolution; stride 1 and 'same' padding by default
//   pool{size}                              max-pooling, size × size windows, stride = size
//   flatten                                 images → vector (inserted for you where one is needed)
//   dropout{rate}                           e.g. dropout0.25
//   dense{units} or just {units}            a dense layer, e.g. dense128 or 128
// Conv and dense layers take the shared activation unless a suffix names another: dense64:tanh,
// conv3x3x8:none.

import { ConfigError } from '../errors'
import { ACTIVATION_KINDS, type ActivationKind } from './activations'
import {
  denseWidths,
  describeArchitecture,
  isConvolutional,
  type LayerActivation,
  type LayerSpec,
  type ModelArchitecture
} from './architecture'

const FIELD = 'architecture.layers'
const ACTIVATIONS: readonly string[] = [...ACTIVATION_KINDS, 'none']

/**
 * The layers a compact list describes, each conv and dense layer with `activation` unless its token
 * names one. A flatten is inserted before the first dense layer after conv/pool layers, and at the end
 * when the list ends with images (the output layer reads a vector). "" or "none" is no hidden layer.
 * Throws a ConfigError on `architecture.layers` naming the token it cannot read. Sizes are checked
 * later, by parseArchitecture.
 */
export function parseLayerList(text: string, activation: ActivationKind): LayerSpec[] {
  const trimmed = text.trim().toLowerCase()
  if (trimmed === '' || trimmed === 'none') return []
  const layers: LayerSpec[] = []
  let images = false
  text.split(',').forEach((raw, index) => {
    const layer = parseToken(raw.trim().toLowerCase(), raw.trim(), index, activation)
    if (layer.kind === 'dense' && images) layers.push({ kind: 'flatten' })
    if (layer.kind === 'conv' || layer.kind === 'maxpool') images = true
    if (layer.kind === 'flatten' || layer.kind === 'dense') images = false
    layers.push(layer)
  })
  if (images) layers.push({ kind: 'flatten' })
  return layers
}

function parseToken(
  token: string,
  shown: string,
  index: number,
  shared: ActivationKind
): LayerSpec {
  const [body, suffix, extra] = token.split(':')
  const fail = (why: string): never => {
    throw new ConfigError(FIELD, `layer ${index + 1}${shown === '' ? '' : ` "${shown}"`} ${why}`)
  }
  if (extra !== undefined) fail('has more than one ":activation" suffix')
  if (suffix !== undefined && !ACTIVATIONS.includes(suffix))
    fail(`has an unknown activation "${suffix}" (known: ${ACTIVATIONS.join(', ')})`)
  const activation = (suffix ?? shared) as LayerActivation
  const noSuffix = (): void => {
    if (suffix !== undefined) fail('has an activation, but only conv and dense layers take one')
  }
  const number = (digits: string): number => Number(digits)

  let match = /^conv(\d+)x(\d+)x(\d+)(s[12])?(same|valid)?$/.exec(body)
  if (match) {
    const [, height, width, filters, stride, padding] = match
    if (height !== width)
      fail(`is not square: filters are k×k, e.g. conv${height}x${height}x${filters}`)
    return {
      kind: 'conv',
      filters: number(filters),
      kernel: number(height),
      stride: stride === 's2' ? 2 : 1,
      padding: padding === 'valid' ? 'valid' : 'same',
      activation
    }
  }
  if ((match = /^pool(\d+)$/.exec(body))) {
    noSuffix()
    return { kind: 'maxpool', size: number(match[1]) }
  }
  if (body === 'flatten') {
    noSuffix()
    return { kind: 'flatten' }
  }
  if ((match = /^dropout(\d*\.?\d+)$/.exec(body))) {
    noSuffix()
    return { kind: 'dropout', rate: number(match[1]) }
  }
  if ((match = /^(?:dense)?(\d+)$/.exec(body))) {
    return { kind: 'dense', units: number(match[1]), activation }
  }
  return fail(
    body === ''
      ? 'is empty: separate layers with single commas'
      : 'is not a layer: write e.g. conv5x5x6, conv3x3x32s2valid, pool2, flatten, dropout0.25, dense128 or 128'
  )
}

/**
 * The layers in the compact syntax (the inverse of parseLayerList): dense layers as plain widths, so a
 * dense net reads "128, 64" as it always did; activations other than `activation` as suffixes.
 */
export function formatLayerList(layers: readonly LayerSpec[], activation: ActivationKind): string {
  return layers.map((layer) => formatLayer(layer, activation)).join(', ')
}

function formatLayer(layer: LayerSpec, shared: ActivationKind): string {
  const suffix = (activation: LayerActivation): string =>
    activation === shared ? '' : `:${activation}`
  switch (layer.kind) {
    case 'dense':
      return `${layer.units}${suffix(layer.activation)}`
    case 'conv': {
      const stride = layer.stride === 2 ? 's2' : ''
      const padding = layer.padding === 'valid' ? 'valid' : ''
      const size = `${layer.kernel}x${layer.kernel}x${layer.filters}`
      return `conv${size}${stride}${padding}${suffix(layer.activation)}`
    }
    case 'maxpool':
      return `pool${layer.size}`
    case 'flatten':
      return 'flatten'
    case 'dropout':
      return `dropout${layer.rate}`
  }
}

/** The activation most conv and dense layers use (the first one on a tie; 'relu' when none has one). */
export function commonActivation(layers: readonly LayerSpec[]): ActivationKind {
  const counts = new Map<ActivationKind, number>()
  for (const layer of layers) {
    if ((layer.kind === 'dense' || layer.kind === 'conv') && layer.activation !== 'none')
      counts.set(layer.activation, (counts.get(layer.activation) ?? 0) + 1)
  }
  let best: ActivationKind = 'relu'
  let bestCount = 0
  for (const [activation, count] of counts) {
    if (count > bestCount) {
      best = activation
      bestCount = count
    }
  }
  return best
}

/**
 * A short name for files: the widths of a dense net ("784-128-10"), else the compact layers without
 * activations ("conv5x5x6-pool2-conv5x5x16valid-pool2-flatten-120-84-10").
 */
export function architectureSlug(architecture: ModelArchitecture): string {
  const widths = denseWidths(architecture)
  if (widths) return widths.join('-')
  const tokens = architecture.layers.map((layer) => formatLayer(layer, 'relu').split(':')[0])
  return [...tokens, String(architecture.outputSize)].join('-')
}

/**
 * The architecture in a table cell: a dense net as describeArchitecture writes it ("784 → 128 ReLU → 10"),
 * a conv net in the compact syntax, the flatten left out (it always sits before the first dense layer)
 * and the output layer last: "conv5x5x6 · pool2 · conv5x5x16valid · pool2 · 120 · 84 · 10". An activation
 * other than ReLU is named once when all share it ("… · 10 (tanh)"), else on each layer ("84:tanh").
 */
export function shortArchitecture(architecture: ModelArchitecture): string {
  if (!isConvolutional(architecture)) return describeArchitecture(architecture)
  const shared = commonActivation(architecture.layers)
  const tokens = architecture.layers
    .filter((layer) => layer.kind !== 'flatten')
    .map((layer) => formatLayer(layer, shared))
  const activation = shared === 'relu' ? '' : ` (${shared})`
  return `${[...tokens, String(architecture.outputSize)].join(' · ')}${activation}`
}
