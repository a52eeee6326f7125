// How each stage of a network step-through is shown: as an image, a labelled vector, a scalar, a
// small matrix, or one 28×28 tile per unit; plus the ReLU mask, the tiles beside a weight stage, and
// which parameter a clicked weight belongs to. Plain functions over core's Stage, unit-tested.

import type { Stage, StagePhase, StepThrough } from '@core/explain/stages'
import { mapsView, MATRIX_CELLS, type MapsView } from './conv-step-view'

export interface VectorEntry {
  readonly name: string
  readonly value: number
  /** A hidden unit that was off (z ≤ 0 before a ReLU): no gradient flows through it. */
  readonly masked: boolean
}

export type StageView =
  | { readonly kind: 'image'; readonly values: Float32Array; readonly side: number }
  | { readonly kind: 'scalar'; readonly value: number }
  | {
      readonly kind: 'vector'
      readonly entries: readonly VectorEntry[]
      /** Probabilities in [0, 1] (bars from the baseline) vs signed values (bars from a centre line). */
      readonly scale: 'probability' | 'signed'
      /** The symmetric (or, for probabilities, upper) limit of the bars. */
      readonly limit: number
      /** Names are digits 0..9 (output layer) or hidden unit numbers. */
      readonly names: 'digits' | 'units'
    }
  | {
      readonly kind: 'tiles'
      readonly rows: number
      readonly cols: number
      readonly values: Float32Array
      readonly side: number
      readonly layer: number
    }
  | {
      readonly kind: 'matrix'
      readonly rows: number
      readonly cols: number
      readonly values: Float32Array
      readonly layer: number
      /** The engine's parameter a clicked cell belongs to: 'dense2.weight'. */
      readonly parameter: string
    }
  | MapsView

/** Dense layers in the step-through: one z-stage (z1, z2, …) per layer. */
export function layerCount(result: Pick<StepThrough, 'stages'>): number {
  return result.stages.filter((s) => /^z\d+$/.test(s.id)).length
}

/** The layer number in a stage id: 2 for 'dW2', 'z2', 'b2′'; null for x, p, loss. */
export function stageLayer(id: string): number | null {
  const match = /(\d+)′?$/.exec(id)
  return match ? Number(match[1]) : null
}

function perfectSquareSide(n: number): number | null {
  const side = Math.round(Math.sqrt(n))
  return side * side === n && side >= 4 ? side : null
}

function maxAbs(values: ArrayLike<number>): number {
  let max = 0
  for (let i = 0; i < values.length; i++)
    if (Number.isFinite(values[i])) max = Math.max(max, Math.abs(values[i]))
  return max
}

/** Hidden units that were off in the forward pass: [z_l ≤ 0], for a ReLU network. */
export function reluMask(result: StepThrough, layer: number): boolean[] | null {
  const z = result.stages.find((s) => s.id === `z${layer}`)
  const isRelu = result.stages.some((s) => s.id === `a${layer}` && s.formula.includes('ReLU'))
  if (!z || !isRelu) return null
  return Array.from(z.value.values, (v) => v <= 0)
}

/** How to draw `stage` of `result`. */
export function stageView(stage: Stage, result: StepThrough): StageView {
  if (stage.dims) return convNetStageView(stage, result)
  const { rows, cols, values } = stage.value
  const layers = layerCount(result)
  const layer = stageLayer(stage.id) ?? 0
  if (stage.id === 'loss') return { kind: 'scalar', value: values[0] }
  if (stage.storedTransposed) {
    const side = perfectSquareSide(cols)
    if (side !== null) return { kind: 'tiles', rows, cols, values, side, layer }
    return { kind: 'matrix', rows, cols, values, layer, parameter: `dense${layer}.weight` }
  }
  const side = stage.id === 'x' && rows === 1 ? perfectSquareSide(cols) : null
  if (side !== null) return { kind: 'image', values, side }
  const isOutput = stage.id === 'p' || layer === layers
  // Which hidden units were off: shown on the activations and on the gradients that pass the mask.
  const hidden = !isOutput && /^(a|dz)\d+$/.test(stage.id)
  return vectorView(stage, hidden ? reluMask(result, layer) : null, isOutput)
}

/** A row as labelled bars: probabilities for p, else signed; `mask` marks the units that were off. */
function vectorView(stage: Stage, mask: boolean[] | null, isOutput: boolean): StageView {
  const values = stage.value.values
  const entries = Array.from(values, (value, i) => ({
    name: String(i),
    value,
    masked: mask?.[i] ?? false
  }))
  if (stage.id === 'p')
    return { kind: 'vector', entries, scale: 'probability', limit: 1, names: 'digits' }
  const names = isOutput ? 'digits' : 'units'
  return { kind: 'vector', entries, scale: 'signed', limit: maxAbs(values), names }
}

/**
 * A conv net's stage (it has dims): maps and filters as images, rows as bars (with the ReLU mask on
 * hidden ones), a dense weight as a table of cells, or as an image when it is large.
 */
function convNetStageView(stage: Stage, result: StepThrough): StageView {
  const { rows, cols, values } = stage.value
  if (stage.id === 'loss') return { kind: 'scalar', value: values[0] }
  const [channels, height, width] = stage.dims ?? []
  if (stage.id === 'x' && channels === 1 && height === width)
    return { kind: 'image', values, side: height }
  const maps = mapsView(stage)
  if (maps) return maps
  const layer = stageLayer(stage.id) ?? 0
  if (stage.storedTransposed && rows * cols <= MATRIX_CELLS) {
    return { kind: 'matrix', rows, cols, values, layer, parameter: stage.parameter ?? '' }
  }
  const logits = result.stages.filter((s) => s.phase === 'forward' && /^z\d+$/.test(s.id)).at(-1)
  const isOutput = stage.id === 'p' || (logits !== undefined && layer === stageLayer(logits.id))
  const hidden = !isOutput && /^(a|dz|da)\d+$/.test(stage.id)
  return vectorView(stage, hidden ? reluMask(result, layer) : null, isOutput)
}

/** One row of 28×28 tiles (one per unit) under one colour scale. */
export interface TileRow {
  readonly key: string
  readonly label: string
  readonly note: string
  readonly values: Float32Array
  /** Half-width of the symmetric colour scale shared by the row's tiles. */
  readonly limit: number
}

/**
 * The tile rows shown for a first-layer weight stage: for dW, the current weights above this image's
 * gradient; for W′, the weights, the step −lr·dW, and the weights after it (on the weights' scale).
 */
export function tileRows(stage: Stage, result: StepThrough, learningRate: number): TileRow[] {
  const layer = stageLayer(stage.id)
  const gradient = stageById(result, `dW${layer}`)
  const updated = stageById(result, `W${layer}′`)
  const before = layer === null ? undefined : result.weightsBefore[layer - 1]
  if (!gradient || !updated || !before)
    return [
      {
        key: stage.id,
        label: stage.id,
        note: '',
        values: stage.value.values,
        limit: maxAbs(stage.value.values)
      }
    ]
  const weights: TileRow = {
    key: 'W',
    label: `W${layer}`,
    note: 'current weights',
    values: before,
    limit: maxAbs(before)
  }
  if (stage.id.startsWith('d')) {
    return [
      weights,
      {
        key: 'dW',
        label: `dW${layer}`,
        note: 'gradient for this image',
        values: gradient.value.values,
        limit: maxAbs(gradient.value.values)
      }
    ]
  }
  const step = gradient.value.values.map((g) => -learningRate * g)
  return [
    weights,
    { key: 'step', label: `−lr·dW${layer}`, note: 'the change', values: step, limit: maxAbs(step) },
    {
      key: 'after',
      label: `W${layer}′`,
      note: 'after the step (weights’ scale)',
      values: updated.value.values,
      limit: weights.limit
    }
  ]
}

/** Finds a stage by id ('dW1', 'W1′', …). */
export function stageById(result: StepThrough, id: string): Stage | undefined {
  return result.stages.find((s) => s.id === id)
}

/** The engine's parameter behind a weight-shaped stage: 'dW1' and 'W1′' are 'dense1.weight'. */
export function parameterOf(stageId: string): string | null {
  const weight = /^d?W(\d+)′?$/.exec(stageId)
  if (weight) return `dense${weight[1]}.weight`
  const bias = /^d?b(\d+)′?$/.exec(stageId)
  return bias ? `dense${bias[1]}.bias` : null
}

/** Index into a dense weight stored [units, inputs]: unit·inputs + row·side + col for a square tile. */
export function weightIndex(
  unit: number,
  row: number,
  col: number,
  inputs: number,
  side: number
): number {
  return unit * inputs + row * side + col
}

export interface PhaseGroup {
  readonly phase: StagePhase
  readonly title: string
  readonly stages: readonly { readonly index: number; readonly stage: Stage }[]
}

const PHASE_TITLES: Record<StagePhase, string> = {
  forward: 'Forward',
  backward: 'Backward',
  update: 'Update'
}

/** The stages grouped by phase, in order, with their positions in the full list. */
export function phaseGroups(stages: readonly Stage[]): PhaseGroup[] {
  const groups: PhaseGroup[] = []
  stages.forEach((stage, index) => {
    let group = groups.at(-1)
    if (!group || group.phase !== stage.phase) {
      group = { phase: stage.phase, title: PHASE_TITLES[stage.phase], stages: [] }
      groups.push(group)
    }
    ;(group.stages as { index: number; stage: Stage }[]).push({ index, stage })
  })
  return groups
}

/** Test-image bytes (0..255) as the network's input values in [0, 1], as the host normalises them. */
export function bytesToInput(pixels: Uint8Array): Float32Array {
  return Float32Array.from(pixels, (v) => v / 255)
}
