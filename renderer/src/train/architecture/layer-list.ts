// The architecture editor's model, as plain data: the draft's layers as rows (each with the shape it
// produces, its parameter count and, on the offending row, why the list cannot work), and the edits the
// learner makes to them. Shapes, counts and reasons all come from core (traceShapes, parseLayer): the
// renderer never computes a shape itself.

import { ConfigError } from '@core/errors'
import {
  describeLayer,
  inputSize,
  isConvolutional,
  layerNames,
  type LayerKind,
  type LayerActivation,
  type LayerSpec,
  type ModelArchitecture
} from '@core/nn/architecture'
import type { ActivationKind } from '@core/nn/activations'
import { formatLayerList, parseLayerList } from '@core/nn/layer-syntax'
import { traceShapes, type TensorShape } from '@core/nn/shapes'
import { problemOf } from '@contract'
import { firstLayerRangeProblem } from '@/shared/config/layer-range'
import { formatCount } from '@/shared/format'

/** One layer of the list as the editor shows it. */
export interface LayerRow {
  /** Its index in the hidden layers, or -1 for the output layer. */
  readonly index: number
  /** conv1, pool1, dense1, … as core names it (layerNames). */
  readonly name: string
  readonly spec: LayerSpec
  /** The layer's numbers in short, beside its name: "5×5×6", "2×2", "120"; "output" for the output layer. */
  readonly description: string
  /** The shape it produces, "(6, 28, 28)" or "(120)"; null when an earlier layer already fails. */
  readonly shape: string | null
  readonly parameters: number | null
  /** Why this layer cannot work, in words ("a 5×5 filter does not fit its 3×3 input"), or null. */
  readonly problem: string | null
}

export interface LayerListView {
  /** What the first layer reads: "(1, 28, 28)", or "(784)" for a dense net. */
  readonly input: string
  /** The hidden layers, then the output layer. */
  readonly rows: readonly LayerRow[]
  /** Σ parameters, or null while the list cannot work. */
  readonly totalParameters: number | null
}

/** A shape as the editor writes it: "(6, 28, 28)", "(120)". */
export function formatShape(shape: TensorShape): string {
  return `(${shape.join(', ')})`
}

/** "156 params", "1 param", with thin-space grouping. */
export function formatParameters(count: number): string {
  return `${formatCount(count)} ${count === 1 ? 'param' : 'params'}`
}

/**
 * The rows of `layers` on `base`'s input and output: every layer's shape and parameters as far as the
 * list works, and the first problem on its own row. A layer whose own setting is out of range (core's
 * parseLayer) is explained on its row before any shape is inferred.
 */
export function layerListView(
  layers: readonly LayerSpec[],
  base: ModelArchitecture
): LayerListView {
  const architecture: ModelArchitecture = { ...base, layers }
  const names = layerNames(architecture)
  // NOTE: a layer whose own setting is out of range is explained first; the shapes before it still show.
  const range = firstRangeProblem(layers)
  const trace = traceShapes(
    range ? { ...architecture, layers: layers.slice(0, range.index) } : architecture
  )
  const shapeProblem = trace.problem && {
    index: problemIndexOf(trace.problem.field),
    text: reasonOf(trace.problem, layers)
  }
  // The output layer of a list cut at the bad layer is not the real one: neither its shape nor its problem.
  const problem = shapeProblem && (shapeProblem.index !== -1 || !range) ? shapeProblem : range
  const shapes = new Map(
    trace.layers
      .filter((shape) => shape.index !== -1 || !range)
      .map((shape) => [shape.index, shape])
  )
  const output: LayerSpec = { kind: 'dense', units: base.outputSize, activation: 'none' }
  const rows = [...layers, output].map((spec, position): LayerRow => {
    const index = position < layers.length ? position : -1
    const shape = shapes.get(index)
    return {
      index,
      name: names[position],
      spec,
      description: index === -1 ? 'output' : rowWords(spec),
      shape: shape ? formatShape(shape.outputShape) : null,
      parameters: shape?.parameters ?? null,
      problem: problem?.index === index ? problem.text : null
    }
  })
  return {
    // NOTE: a dense net reads the image as its 784 values, as the summary's "784 → 10 ReLU → 10" says.
    input: formatShape(isConvolutional(architecture) ? base.inputShape : [inputSize(architecture)]),
    rows,
    totalParameters: problem
      ? null
      : trace.layers.reduce((total, shape) => total + shape.parameters, 0)
  }
}

/**
 * A layer's numbers as its row shows them beside its name (conv1, pool1…), short enough for one line
 * of the narrow sidebar: "5×5×6" (k×k×filters, "/2" for stride 2), "2×2", "120", "0.25". The padding
 * and the activation are in its settings and its tooltip (describeLayer).
 */
export function rowWords(layer: LayerSpec): string {
  switch (layer.kind) {
    case 'conv':
      return `${layer.kernel}×${layer.kernel}×${layer.filters}${layer.stride === 2 ? ' /2' : ''}`
    case 'maxpool':
      return `${layer.size}×${layer.size}`
    case 'dense':
      return String(layer.units)
    case 'dropout':
      return String(layer.rate)
    case 'flatten':
      return ''
  }
}

/** The first layer whose own settings are out of range, as core's parseLayer says it. */
function firstRangeProblem(layers: readonly LayerSpec[]): { index: number; text: string } | null {
  const range = firstLayerRangeProblem(layers)
  if (!range) return null
  const { index, setting, problem } = range
  return { index, text: `${SETTING_WORDS[setting] ?? setting} ${problem}` }
}

/** A layer setting as a learner calls it. */
const SETTING_WORDS: Readonly<Record<string, string>> = {
  units: 'units',
  filters: 'filters',
  kernel: 'kernel size',
  size: 'pool size',
  rate: 'dropout rate'
}

/** 'architecture.layers[2]' → 2; 'architecture.layers' (the output layer) → -1. */
function problemIndexOf(field: string): number {
  const match = /\[(\d+)\]$/.exec(field)
  return match ? Number(match[1]) : -1
}

/** The reason without the "conv1 (conv 5×5×8 valid ReLU): " the row already shows. */
function reasonOf(problem: ConfigError, layers: readonly LayerSpec[]): string {
  const text = problemOf(problem)
  const index = problemIndexOf(problem.field)
  const spec = index >= 0 ? layers[index] : null
  const prefix = spec ? `(${describeLayer(spec)}): ` : ''
  const at = prefix ? text.indexOf(prefix) : -1
  return at >= 0 ? text.slice(at + prefix.length) : text
}

// --- Edits: each returns the new list; the draft stores it in the compact syntax. ---

/** The layer a learner gets from "Add": a common, working choice of each kind. */
export function newLayer(kind: LayerKind, activation: ActivationKind): LayerSpec {
  switch (kind) {
    case 'dense':
      return { kind, units: 64, activation }
    case 'conv':
      return { kind, filters: 8, kernel: 3, stride: 1, padding: 'same', activation }
    case 'maxpool':
      return { kind, size: 2 }
    case 'dropout':
      return { kind, rate: 0.25 }
    case 'flatten':
      return { kind }
  }
}

/**
 * Where "Add" puts a layer of `kind`: conv and pool layers after the last layer that reads images (at
 * the start when there is none), so they land among the images; dense, dropout and flatten at the end.
 */
export function insertionIndex(layers: readonly LayerSpec[], kind: LayerKind): number {
  if (kind !== 'conv' && kind !== 'maxpool') return layers.length
  let at = 0
  layers.forEach((layer, index) => {
    if (layer.kind === 'conv' || layer.kind === 'maxpool') at = index + 1
  })
  return at
}

export function addLayer(
  layers: readonly LayerSpec[],
  kind: LayerKind,
  activation: ActivationKind
): LayerSpec[] {
  const at = insertionIndex(layers, kind)
  return [...layers.slice(0, at), newLayer(kind, activation), ...layers.slice(at)]
}

export function removeLayer(layers: readonly LayerSpec[], index: number): LayerSpec[] {
  return layers.filter((_, i) => i !== index)
}

/** The list with layer `index` moved by `offset` places (−1 up, +1 down); unchanged at either end. */
export function moveLayer(
  layers: readonly LayerSpec[],
  index: number,
  offset: -1 | 1
): LayerSpec[] {
  const to = index + offset
  if (to < 0 || to >= layers.length) return [...layers]
  const moved = [...layers]
  ;[moved[index], moved[to]] = [moved[to], moved[index]]
  return moved
}

export function replaceLayer(
  layers: readonly LayerSpec[],
  index: number,
  layer: LayerSpec
): LayerSpec[] {
  return layers.map((l, i) => (i === index ? layer : l))
}

/**
 * The list without the flattens that have nothing to flatten (right after a dense layer or another
 * flatten, dropouts between them aside). Training inserts a flatten where images meet a dense layer, so
 * moving layers around would otherwise leave a trail of them; a flatten the learner moved before a pool
 * stays, and that row says why the list cannot work.
 */
export function withoutIdleFlattens(layers: readonly LayerSpec[]): LayerSpec[] {
  const kept: LayerSpec[] = []
  /** The last kept layer that changes the shape (dropout does not). */
  let previous: LayerSpec | null = null
  for (const layer of layers) {
    const idle = previous?.kind === 'flatten' || previous?.kind === 'dense'
    if (layer.kind === 'flatten' && idle) continue
    kept.push(layer)
    if (layer.kind !== 'dropout') previous = layer
  }
  return kept
}

/** The layers the draft's text describes (flatten added where needed, as training reads it), or null. */
export function layersOfText(text: string, activation: ActivationKind): LayerSpec[] | null {
  try {
    return parseLayerList(text, activation)
  } catch (err) {
    if (err instanceof ConfigError) return null
    throw err
  }
}

/** The layers in the draft's compact syntax. */
export function textOfLayers(layers: readonly LayerSpec[], activation: ActivationKind): string {
  return formatLayerList(layers, activation)
}

/**
 * Whether removing layer `index` changes anything: a flatten the list needs (between images and a
 * dense layer) comes straight back, so its Remove button is off and says why.
 */
export function isRemovable(
  layers: readonly LayerSpec[],
  index: number,
  activation: ActivationKind
): boolean {
  const after = layersOfText(textOfLayers(removeLayer(layers, index), activation), activation)
  return after === null || after.length !== layers.length
}

/** The activation setting a layer has, or null for layers without one. */
export function activationOf(layer: LayerSpec): LayerActivation | null {
  return layer.kind === 'dense' || layer.kind === 'conv' ? layer.activation : null
}
