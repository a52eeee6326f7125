// The optimizer's update of one layer's weight rows, applied by the engine's SIMD kernels right after
// those rows' gradients are computed (FastNetwork.gradientPart), so they are updated while in cache and
// threads can share the update by rows. The rule comes from the optimizer (Optimizer.fusedStep); the
// readable versions are core/optim/sgd.ts and adam.ts, and the kernels follow them up to float32
// rounding: every rule is elementwise, so any split into rows computes the same numbers.

import type { FusedUpdate } from '../optim/fused-update'
import type { Kernels } from '../wasm/runtime'
import type { LayerLayout } from './layout'

/** One parameter's buffers (byte addresses) and size in floats (a multiple of 4), with its weight decay. */
export interface ParameterBuffers {
  readonly value: number
  readonly grad: number
  readonly moment: number
  readonly squares: number
  readonly size: number
  readonly weightDecay: number
}

/** Plain SGD without weight decay: the engine adds −lr·x·dy straight into Wᵀ, with no gradient buffer. */
export function isPlainSgd(update: FusedUpdate): boolean {
  return update.rule === 'sgd' && update.momentum === 0 && update.weightDecay === 0
}

/**
 * Updates weight rows p0..p1 of `layer` (Wᵀ rows, m floats each) from their gradients in weightGrad,
 * and the bias too when `withBias` (one part of the layer does it). Biases never decay.
 */
export function updateRows(
  kernels: Kernels,
  layer: LayerLayout,
  p0: number,
  p1: number,
  withBias: boolean,
  update: FusedUpdate
): void {
  const offset = p0 * layer.m * 4
  const weights: ParameterBuffers = {
    value: layer.weight + offset,
    grad: layer.weightGrad + offset,
    moment: layer.weightMoment + offset,
    squares: layer.weightSquares + offset,
    size: (p1 - p0) * layer.m,
    weightDecay: update.weightDecay
  }
  updateParameter(kernels, weights, update)
  if (!withBias) return
  const bias: ParameterBuffers = {
    value: layer.bias,
    grad: layer.biasGrad,
    moment: layer.biasMoment,
    squares: layer.biasSquares,
    size: layer.m,
    weightDecay: 0
  }
  updateParameter(kernels, bias, update)
}

/** One parameter's update by the rule of this step (whole vectors: `size` floats, a multiple of 4). */
export function updateParameter(k: Kernels, p: ParameterBuffers, update: FusedUpdate): void {
  switch (update.rule) {
    case 'sgd': {
      const { learningRate: lr, momentum: mu } = update
      if (mu === 0) k.sgd(p.value, p.grad, p.size, lr, p.weightDecay)
      else k.sgd_momentum(p.value, p.grad, p.moment, p.size, lr, mu, p.weightDecay)
      return
    }
    case 'adam': {
      const { learningRate, beta1, beta2, epsilon, correction1, correction2 } = update
      k.adam(
        p.value,
        p.grad,
        p.moment,
        p.squares,
        p.size,
        learningRate,
        beta1,
        1 - beta1,
        beta2,
        1 - beta2,
        epsilon,
        p.weightDecay,
        correction1,
        correction2
      )
    }
  }
}
