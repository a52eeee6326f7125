// How a conv net's stages are shown: feature maps and filters as small images, rows as bars, and for
// a picked pixel the arithmetic behind it (a window's products, a pooling winner, a gradient's terms),
// rebuilt by core/explain's conv-window functions from the tensors the step-through sent.

import {
  convWindow,
  filterGradient,
  inputGradient,
  poolWindow,
  type ConvStepLayer,
  type ConvWindow,
  type GradientSum,
  type PoolStepLayer,
  type PoolWindow
} from '@core/explain/conv-window'
import type { Stage, StepThrough } from '@core/explain/stages'
import { maxAbs } from '@/shared/heatmaps/heatmap'

/** A picked value of a maps stage: map (or filter·channel) `map`, row, column. */
export interface MapPixel {
  readonly map: number
  readonly row: number
  readonly col: number
}

/** Feature maps [C, H, W] (or filters [O, C, k, k] as O·C maps of k×k) under one colour scale. */
export interface MapsView {
  readonly kind: 'maps'
  readonly count: number
  readonly height: number
  readonly width: number
  readonly values: Float32Array
  readonly limit: number
  /** For filters: input channels per filter (map m is filter ⌊m/C⌋, channel m mod C); 1 for maps. */
  readonly channels: number
  readonly filters: boolean
}

/** dims [C, H, W] or [O, C, k, k] as maps, or a large dense weight [out, in] as one out × in image. */
export function mapsView(stage: Stage): MapsView | null {
  const dims = stage.dims
  const values = stage.value.values
  const limit = maxAbs(values)
  if (!dims) return null
  if (dims.length === 3) {
    const [count, height, width] = dims
    return { kind: 'maps', count, height, width, values, limit, channels: 1, filters: false }
  }
  if (dims.length === 4) {
    const [filters, channels, height, width] = dims
    const count = filters * channels
    return { kind: 'maps', count, height, width, values, limit, channels, filters: true }
  }
  if (dims.length === 2 && stage.storedTransposed && dims[0] * dims[1] > MATRIX_CELLS) {
    const [height, width] = dims
    return { kind: 'maps', count: 1, height, width, values, limit, channels: 1, filters: false }
  }
  return null
}

/** Beyond this many cells a dense weight is drawn as an image rather than a table of cells. */
export const MATRIX_CELLS = 2000

/** The name of map m: 'map 3', or 'filter 2 · channel 4' for filters (channel left out for one). */
export function mapName(view: MapsView, map: number): string {
  if (!view.filters) return view.count === 1 ? 'the matrix' : `map ${map}`
  const filter = Math.floor(map / view.channels)
  return view.channels === 1
    ? `filter ${filter}`
    : `filter ${filter} · channel ${map % view.channels}`
}

/** A picked pixel with the size of the map it was picked on, to find it again on another stage. */
export interface PickedPixel extends MapPixel {
  readonly height: number
  readonly width: number
}

/**
 * The picked pixel on this view: the same place scaled to its size (a1's (12, 15) is m1's (6, 7)),
 * within its maps; the centre of map 0 when nothing is picked yet.
 */
export function pixelOn(view: MapsView, picked: PickedPixel | null): MapPixel {
  if (!picked) return { map: 0, row: Math.floor(view.height / 2), col: Math.floor(view.width / 2) }
  const place = (value: number, from: number, to: number) =>
    Math.max(0, Math.min(to - 1, Math.floor((value * to) / from)))
  return {
    map: Math.max(0, Math.min(view.count - 1, picked.map)),
    row: place(picked.row, picked.height, view.height),
    col: place(picked.col, picked.width, view.width)
  }
}

/** The arithmetic behind one picked value of a conv net's stage. */
export type PixelStory =
  | {
      readonly kind: 'conv'
      readonly conv: ConvStepLayer
      readonly window: ConvWindow
      /** The layer's input, [C, H, W], to draw the window on. */
      readonly input: Float32Array
      /** The activation after it: a = f(z). */
      readonly activation: {
        readonly symbol: string
        readonly name: string
        readonly value: number
      } | null
    }
  | {
      readonly kind: 'pool'
      readonly pool: PoolStepLayer
      readonly window: PoolWindow
      readonly input: Float32Array
      /** On the backward stage: the gradient the window's output received, which the winner alone gets. */
      readonly routed: { readonly symbol: string; readonly value: number } | null
    }
  | {
      readonly kind: 'filter-gradient'
      readonly conv: ConvStepLayer
      readonly filter: number
      readonly channel: number
      readonly row: number
      readonly col: number
      readonly sum: GradientSum
    }
  | {
      readonly kind: 'input-gradient'
      readonly conv: ConvStepLayer
      readonly channel: number
      readonly row: number
      readonly col: number
      readonly sum: GradientSum
    }

const ACTIVATION_WORDS = { relu: 'ReLU', sigmoid: 'σ', tanh: 'tanh' } as const

function valuesOf(result: StepThrough, id: string): Float32Array | null {
  return result.stages.find((s) => s.id === id)?.value.values ?? null
}

/** The conv or pooling layer behind `stage`, and what `pixel` means there; null for other stages. */
export function pixelStory(stage: Stage, result: StepThrough, pixel: MapPixel): PixelStory | null {
  const details = result.convolution
  if (!details) return null
  const id = stage.id
  const conv = details.convs.find(
    (c) =>
      c.output === id || c.activation?.stage === id || c.weightGrad === id || c.inputGrad === id
  )
  const pool = details.pools.find((p) => p.output === id || p.inputGrad === id)
  if (conv && (conv.output === id || conv.activation?.stage === id)) {
    const input = valuesOf(result, conv.input)!
    const window = convWindow(conv, input, pixel.map, pixel.row, pixel.col)
    const { outHeight, outWidth } = conv.geometry
    const a = conv.activation
    const activation = a && {
      symbol: a.stage,
      name: ACTIVATION_WORDS[a.kind],
      value: valuesOf(result, a.stage)![(pixel.map * outHeight + pixel.row) * outWidth + pixel.col]
    }
    return { kind: 'conv', conv, window, input, activation }
  }
  if (conv && conv.weightGrad === id) {
    const { inChannels } = conv.geometry
    const filter = Math.floor(pixel.map / inChannels)
    const channel = pixel.map % inChannels
    const input = valuesOf(result, conv.input)!
    const dz = valuesOf(result, conv.outputGrad)!
    const sum = filterGradient(conv, input, dz, filter, channel, pixel.row, pixel.col)
    return { kind: 'filter-gradient', conv, filter, channel, row: pixel.row, col: pixel.col, sum }
  }
  if (conv && conv.inputGrad === id) {
    const dz = valuesOf(result, conv.outputGrad)!
    const sum = inputGradient(conv, dz, pixel.map, pixel.row, pixel.col)
    return { kind: 'input-gradient', conv, channel: pixel.map, row: pixel.row, col: pixel.col, sum }
  }
  if (pool) {
    const input = valuesOf(result, pool.input)!
    const forward = pool.output === id
    const { size, outHeight, outWidth } = pool.geometry
    // On the backward stage the pixel is on the input's grid: its window is the one that covers it.
    const row = forward ? pixel.row : Math.min(outHeight - 1, Math.floor(pixel.row / size))
    const col = forward ? pixel.col : Math.min(outWidth - 1, Math.floor(pixel.col / size))
    const window = poolWindow(pool, input, pixel.map, row, col)
    const dm = forward ? null : valuesOf(result, pool.outputGrad)
    const routed = dm && {
      symbol: pool.outputGrad,
      value: dm[(pixel.map * outHeight + row) * outWidth + col]
    }
    return { kind: 'pool', pool, window, input, routed }
  }
  return null
}

/** The tensors' shapes from the input to the logits: 'x (1, 28, 28) → z1 (6, 28, 28) → …'. */
export function shapeChain(result: StepThrough): string {
  return result.stages
    .filter((s) => s.phase === 'forward' && s.dims && s.id !== 'loss' && s.id !== 'p')
    .map((s) => `${s.id} (${s.dims!.join(', ')})`)
    .join(' → ')
}
