// The fast engine's dense parameters in its working layout (layout.ts), and the copies between that
// layout and the canonical one every other part of the studio reads (Dense: W [out, in] row-major):
//   working Wᵀ [n, m]  (n = in, m = out rounded up to 4 floats, padding 0)
//   Wᵀ[p, o] = W[o, p]  for o < out, p < in

import type { Dense } from '../nn/dense'
import type { Parameter } from '../nn/layer'
import type { Sequential } from '../nn/sequential'
import type { LayerLayout, NetworkLayout } from './layout'

/** Canonical → working for every dense layer of a dense net (see loadDenseWeights). */
export function loadWorkingWeights(
  f32: Float32Array,
  layout: NetworkLayout,
  model: Sequential
): void {
  layout.layers.forEach((layer, i) => loadDenseWeights(f32, layer, model.denseLayers[i]))
}

/** Working → canonical for every dense layer of a dense net (see storeDenseWeights). */
export function storeCanonicalWeights(
  f32: Float32Array,
  layout: NetworkLayout,
  model: Sequential
): void {
  layout.layers.forEach((layer, i) => storeDenseWeights(f32, layer, model.denseLayers[i]))
}

/** Canonical → working: Wᵀ[p, o] = W[o, p], padding 0; b; and the optimizer's state cleared. */
export function loadDenseWeights(f32: Float32Array, layer: LayerLayout, dense: Dense): void {
  const w = dense.weight.data
  const wt = f32.subarray(layer.weight >> 2, (layer.weight >> 2) + layer.n * layer.m)
  wt.fill(0)
  for (let o = 0; o < layer.outFeatures; o++) {
    for (let p = 0; p < layer.inFeatures; p++) wt[p * layer.m + o] = w[o * layer.inFeatures + p]
  }
  f32.fill(0, layer.bias >> 2, (layer.bias >> 2) + layer.m)
  f32.set(dense.bias.data, layer.bias >> 2)
  for (const state of [layer.weightMoment, layer.weightSquares])
    f32.fill(0, state >> 2, (state >> 2) + layer.n * layer.m)
  for (const state of [layer.biasMoment, layer.biasSquares])
    f32.fill(0, state >> 2, (state >> 2) + layer.m)
}

/** Working → canonical: W[o, p] = Wᵀ[p, o], b = b[0..out). */
export function storeDenseWeights(f32: Float32Array, layer: LayerLayout, dense: Dense): void {
  const w = dense.weight.data
  const base = layer.weight >> 2
  for (let o = 0; o < layer.outFeatures; o++) {
    const row = o * layer.inFeatures
    for (let p = 0; p < layer.inFeatures; p++) w[row + p] = f32[base + p * layer.m + o]
  }
  dense.bias.data.set(f32.subarray(layer.bias >> 2, (layer.bias >> 2) + layer.outFeatures))
}

/**
 * Every trainable parameter of a dense net in the WORKING layout, in the canonical order (dense1.weight,
 * dense1.bias, …), as views of the engine's memory: weights are Wᵀ [n, m] (transposed, padded), so only
 * elementwise optimizers may use these.
 */
export function workingParameters(f32: Float32Array, layout: NetworkLayout): Parameter[] {
  return layout.layers.flatMap((layer, i) => workingDenseParameters(f32, layer, `dense${i + 1}`))
}

/** One dense layer's working parameters `${name}.weight` (Wᵀ [n, m]) and `${name}.bias` ([m]). */
export function workingDenseParameters(
  f32: Float32Array,
  layer: LayerLayout,
  name: string
): Parameter[] {
  const view = (at: number, size: number): Float32Array => f32.subarray(at >> 2, (at >> 2) + size)
  return [
    {
      name: `${name}.weight`,
      shape: [layer.n, layer.m],
      data: view(layer.weight, layer.n * layer.m),
      grad: view(layer.weightGrad, layer.n * layer.m),
      decays: true
    },
    {
      name: `${name}.bias`,
      shape: [layer.m],
      data: view(layer.bias, layer.m),
      grad: view(layer.biasGrad, layer.m),
      decays: false
    }
  ]
}
