// One output pixel of a convolution or a max-pooling, number by number: the window it read, every
// product, and which pixel won a pooling window; the step-through sends the feature maps and each conv
// layer's filters; these functions rebuild one pixel's arithmetic from them on request (the renderer
// calls them), with the same loops the engine runs, so the written-out sum is the feature map's value.

import type { ActivationKind } from '../nn/activations'
import { maxPool2dForward, type ConvGeometry, type PoolGeometry } from '../tensor/conv'

/** A conv layer as the step-through shows it: its filters and where its tensors are among the stages. */
export interface ConvStepLayer {
  /** The engine's layer name: 'conv1'. */
  readonly name: string
  /** Sizes for a batch of one. */
  readonly geometry: ConvGeometry
  /** W [O, C, k, k] and b [O], as they were before the update stages. */
  readonly weights: Float32Array
  readonly bias: Float32Array
  /** Stage ids: the tensor it reads ('x', 'm1'), its output z ('z1'), and z's activation ('a1') if any. */
  readonly input: string
  readonly output: string
  readonly activation: { readonly stage: string; readonly kind: ActivationKind } | null
  /** Stage ids of the backward pass: dz, dW, and the gradient of its input (null for the first layer). */
  readonly outputGrad: string
  readonly weightGrad: string
  readonly inputGrad: string | null
}

/** A max-pooling layer as the step-through shows it. */
export interface PoolStepLayer {
  /** The engine's layer name: 'pool1'. */
  readonly name: string
  readonly geometry: PoolGeometry
  /** Stage ids: the maps it reads ('a1'), its output ('m1'), and their gradients ('da1', 'dm1'). */
  readonly input: string
  readonly output: string
  readonly outputGrad: string
  readonly inputGrad: string | null
}

/** What a conv net's step-through adds to the stages: the layers that read images. */
export interface ConvStepDetails {
  readonly convs: readonly ConvStepLayer[]
  readonly pools: readonly PoolStepLayer[]
}

/** One product of a window: the filter value W[o, c, u, v] times the input pixel x[c, h, w] under it. */
export interface WindowTerm {
  readonly channel: number
  /** Input row h and column w. */
  readonly row: number
  readonly col: number
  /** Kernel row u and column v. */
  readonly kernelRow: number
  readonly kernelCol: number
  readonly input: number
  readonly weight: number
  readonly product: number
}

/** z[o, i, j] written out: b[o] + Σ W·x over the window, in the order the engine adds them. */
export interface ConvWindow {
  /** The output pixel: feature map o, row i, column j. */
  readonly map: number
  readonly row: number
  readonly col: number
  /** The window's top-left input pixel (i·s − p, j·s − p); negative where it hangs over the padding. */
  readonly top: number
  readonly left: number
  readonly size: number
  /** The products inside the image, channel by channel, row by row (conv2dForward's order). */
  readonly terms: readonly WindowTerm[]
  /** Window cells on the zero padding: their products are 0 and are left out. */
  readonly padded: number
  readonly bias: number
  /** b + Σ products, rounded to float32 as the feature map stores it: equal to z[o, i, j]. */
  readonly sum: number
}

/**
 * z[o, i, j] = b[o] + Σ_c Σ_u Σ_v  W[o, c, u, v] · x[c, i·s + u − p, j·s + v − p]
 * for one output pixel, every product kept. `input` is the layer's input [C, H, W].
 */
export function convWindow(
  layer: ConvStepLayer,
  input: Float32Array,
  map: number,
  row: number,
  col: number
): ConvWindow {
  const {
    inChannels: C,
    inHeight: H,
    inWidth: W,
    kernel: k,
    stride: s,
    padding: p
  } = layer.geometry
  const top = row * s - p
  const left = col * s - p
  const terms: WindowTerm[] = []
  let padded = 0
  // NOTE: the sum is carried in float64 and rounded once, as conv2dForward does, so it is bit-equal.
  let sum = layer.bias[map]
  for (let c = 0; c < C; c++) {
    for (let u = 0; u < k; u++) {
      for (let v = 0; v < k; v++) {
        const h = top + u
        const w = left + v
        if (h < 0 || h >= H || w < 0 || w >= W) {
          padded++
          continue
        }
        const weight = layer.weights[((map * C + c) * k + u) * k + v]
        const x = input[(c * H + h) * W + w]
        const product = weight * x
        sum += product
        terms.push({
          channel: c,
          row: h,
          col: w,
          kernelRow: u,
          kernelCol: v,
          input: x,
          weight,
          product
        })
      }
    }
  }
  return {
    map,
    row,
    col,
    top,
    left,
    size: k,
    terms,
    padded,
    bias: layer.bias[map],
    sum: Math.fround(sum)
  }
}

/**
 * The winner of every pooling window, as an index into the input [C, H, W]: the first maximum in
 * row-major order (the engine's own maxPool2dForward, so the winners are the ones it routes to).
 */
export function poolWinners(layer: PoolStepLayer, input: Float32Array): Uint32Array {
  const g = layer.geometry
  const winners = new Uint32Array(g.channels * g.outHeight * g.outWidth)
  maxPool2dForward(input, new Float32Array(winners.length), winners, g)
  return winners
}

/** One pooling window: its size × size input pixels and which of them won. */
export interface PoolWindow {
  readonly map: number
  readonly row: number
  readonly col: number
  /** The window's cells in row-major order, with their input row and column. */
  readonly cells: readonly { readonly row: number; readonly col: number; readonly value: number }[]
  /** Index into `cells` of the winner (its value is the output). */
  readonly winner: number
}

/** m[c, i, j] = max of the window under it, and which pixel that was. `input` is [C, H, W]. */
export function poolWindow(
  layer: PoolStepLayer,
  input: Float32Array,
  map: number,
  row: number,
  col: number,
  winners = poolWinners(layer, input)
): PoolWindow {
  const { inHeight: H, inWidth: W, size, outHeight, outWidth } = layer.geometry
  const cells = []
  for (let u = 0; u < size; u++) {
    for (let v = 0; v < size; v++) {
      const h = row * size + u
      const w = col * size + v
      cells.push({ row: h, col: w, value: input[(map * H + h) * W + w] })
    }
  }
  const won = winners[(map * outHeight + row) * outWidth + col] - map * H * W
  const winner = cells.findIndex((cell) => cell.row * W + cell.col === won)
  return { map, row, col, cells, winner }
}

/** One term of a backward sum: an output gradient times the input pixel or filter value it met. */
export interface GradientTerm {
  /** The output pixel dz[map, row, col] the term comes from. */
  readonly map: number
  readonly row: number
  readonly col: number
  readonly outputGrad: number
  /** x[c, h, w] for a filter's gradient, W[o, c, u, v] for an input pixel's. */
  readonly factor: number
  readonly product: number
}

/** A backward value written out: its non-zero terms in the engine's order and their float32 sum. */
export interface GradientSum {
  readonly terms: readonly GradientTerm[]
  /** Output pixels whose gradient was 0 (a ReLU that was off, a pooling window's loser): left out. */
  readonly zeros: number
  /** Σ terms, accumulated in float32 in the engine's order: equal to the stage's value. */
  readonly sum: number
}

/**
 * dW[o, c, u, v] = Σ_i Σ_j  dz[o, i, j] · x[c, i·s + u − p, j·s + v − p]
 * (the correlation of the input with the output gradient), for one filter value.
 */
export function filterGradient(
  layer: ConvStepLayer,
  input: Float32Array,
  outputGrad: Float32Array,
  o: number,
  c: number,
  u: number,
  v: number
): GradientSum {
  const { inHeight: H, inWidth: W, stride: s, padding: p, outHeight, outWidth } = layer.geometry
  const terms: GradientTerm[] = []
  let zeros = 0
  let sum = 0
  for (let i = 0; i < outHeight; i++) {
    for (let j = 0; j < outWidth; j++) {
      const grad = outputGrad[(o * outHeight + i) * outWidth + j]
      const h = i * s + u - p
      const w = j * s + v - p
      if (h < 0 || h >= H || w < 0 || w >= W) continue
      if (grad === 0) {
        zeros++
        continue
      }
      const x = input[(c * H + h) * W + w]
      // NOTE: the engine adds each term into a Float32Array, so the running sum is rounded each time.
      sum = Math.fround(sum + grad * x)
      terms.push({ map: o, row: i, col: j, outputGrad: grad, factor: x, product: grad * x })
    }
  }
  return { terms, zeros, sum }
}

/**
 * dx[c, h, w] = Σ_o Σ_(i,u: i·s+u−p = h) Σ_(j,v: j·s+v−p = w)  dz[o, i, j] · W[o, c, u, v]
 * (at stride 1, the full convolution of dz with the flipped filter), for one input pixel.
 */
export function inputGradient(
  layer: ConvStepLayer,
  outputGrad: Float32Array,
  c: number,
  h: number,
  w: number
): GradientSum {
  const { inChannels: C, outChannels: O, kernel: k, stride: s, padding: p } = layer.geometry
  const { outHeight, outWidth } = layer.geometry
  const terms: GradientTerm[] = []
  let zeros = 0
  let sum = 0
  for (let o = 0; o < O; o++) {
    for (let i = 0; i < outHeight; i++) {
      const u = h - i * s + p
      if (u < 0 || u >= k) continue
      for (let j = 0; j < outWidth; j++) {
        const v = w - j * s + p
        if (v < 0 || v >= k) continue
        const grad = outputGrad[(o * outHeight + i) * outWidth + j]
        if (grad === 0) {
          zeros++
          continue
        }
        const weight = layer.weights[((o * C + c) * k + u) * k + v]
        sum = Math.fround(sum + grad * weight)
        terms.push({
          map: o,
          row: i,
          col: j,
          outputGrad: grad,
          factor: weight,
          product: grad * weight
        })
      }
    }
  }
  return { terms, zeros, sum }
}
