// A dense layer's parameter gradients on the fast engine, for a share of its weight rows, with the
// optimizer's update fused in: FastNetwork.gradientPart and ConvNetwork's dense stages both call it.

import type { FusedUpdate } from '../optim/fused-update'
import type { Kernels } from '../wasm/runtime'
import { isPlainSgd, updateRows } from './fused-optimizer'
import type { LayerLayout } from './layout'

/**
 * Weight rows p0..p1 of `l`'s gradients for a `rows`-row batch ("=", so no zeroing is needed), and the
 * bias gradient when `withBias` (one share does it); then, when `update` is given, the optimizer's
 * update of exactly those parameters (fused-optimizer.ts: SGD, momentum or Adam, by SIMD kernels):
 *   dWᵀ[p, :] = Σ_r x[r, p] · dy[r, :]     for p0 ≤ p < p1  (x: the layer's CSR input rows)
 *   db        = Σ_r dy[r, :]
 * PERF: updating rows right after computing their gradient finds them still in cache, and lets
 * threads share the update (every rule is elementwise, so any split is exact).
 * PERF: plain SGD (μ = 0, λ = 0) skips the gradient buffer: each sample adds (−lr·x_p)·dy straight
 * to row p of Wᵀ, the same update up to float32 rounding, without zeroing dWᵀ and a second pass
 * over the weights (MLP's first layer: 111 → 90 µs a step). The weight gradients are then not stored.
 */
export function denseGradientPart(
  k: Kernels,
  f32: Float32Array,
  l: LayerLayout,
  p0: number,
  p1: number,
  withBias: boolean,
  rows: number,
  update: FusedUpdate | null
): void {
  const csr = [l.n, l.csrStride, l.csrIndex, l.csrValue, l.csrCount, l.outputGrad, l.m] as const
  if (update && isPlainSgd(update)) {
    k.sparse_weight_grad(0, rows, ...csr, l.weight, p0, p1, -update.learningRate)
    if (withBias) {
      k.column_sums(0, rows, l.outputGrad, l.m, l.biasGrad)
      k.sgd(l.bias, l.biasGrad, l.m, update.learningRate, 0)
    }
    return
  }
  f32.fill(0, (l.weightGrad >> 2) + p0 * l.m, (l.weightGrad >> 2) + p1 * l.m)
  k.sparse_weight_grad(0, rows, ...csr, l.weightGrad, p0, p1, 1)
  if (withBias) k.column_sums(0, rows, l.outputGrad, l.m, l.biasGrad)
  if (update) updateRows(k, l, p0, p1, withBias, update)
}
