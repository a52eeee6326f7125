// Measures a model's health (health.ts) on one training batch, the same way whichever engine trains
// it: a forward and backward pass of the readable layers (core/nn) at the step's weights, before its
// update, and the weights again after it.

import { Activation } from '../nn/activations'
import { Conv2D } from '../nn/conv2d'
import { Dense } from '../nn/dense'
import type { Layer } from '../nn/layer'
import type { Sequential } from '../nn/sequential'
import { SoftmaxCrossEntropy } from '../nn/softmax-cross-entropy'
import type { Matrix } from '../tensor/matrix'
import {
  allFinite,
  deadUnitFraction,
  histogram,
  l2Norm,
  updateRatio,
  type HealthSample,
  type LayerHealth
} from './health'

/** A layer's health before the update is known; `before` is a copy of W for the update ratio. */
type Measured = Omit<LayerHealth, 'updateRatio'> & { readonly before: Float32Array }

/**
 * One step's health, measured on its batch before its update; `finish` adds the update ratios once
 * the update is made (or leaves them null when the step diverged and made none).
 */
export class HealthProbe {
  private constructor(
    readonly step: number,
    private readonly measured: readonly Measured[]
  ) {}

  /**
   * Runs x [B, C·H·W] with its labels through `model` and back, and reads every weighted layer:
   *   for each layer ℓ:  hℓ ← layer(hℓ₋₁)       (after its activation: the "activations")
   *   L ← CE(softmax(h_last), y);   ∂L/∂Wℓ by backprop      (the "gradients")
   * NOTE: dropout is off (training = false): the probe must not draw from the run's mask stream, or it
   * would change the run it measures. So with dropout, the gradients are those of the full network.
   * The model's gradients are overwritten (a trainer zeroes them before its own backward pass).
   * PERF: one extra forward + backward of the reference layers per measured step; measured at the
   * snapshot cadence only (docs/performance.md has the cost).
   */
  static measure(
    model: Sequential,
    x: Matrix,
    labels: Uint8Array,
    step: number,
    lossLayer = new SoftmaxCrossEntropy(model.architecture.outputSize)
  ): HealthProbe {
    const outputs = new Map<Layer, Matrix>()
    let h = x
    for (const layer of model.layers) {
      h = layer.forward(h, false)
      outputs.set(layer, h)
    }
    lossLayer.forward(h, labels)
    model.zeroGrad()
    model.backward(lossLayer.backward())

    const measured: Measured[] = []
    model.layers.forEach((layer, i) => {
      if (!(layer instanceof Dense || layer instanceof Conv2D)) return
      const next = model.layers[i + 1]
      const activated = next instanceof Activation
      const y = outputs.get(activated ? next : layer)!
      const relu = activated && next.kind === 'relu'
      const { weight } = layer
      const positions = layer instanceof Conv2D ? layer.outHeight * layer.outWidth : 1
      const units = layer instanceof Conv2D ? layer.filters : layer.outFeatures
      measured.push({
        layer: layer.name,
        kind: layer instanceof Conv2D ? 'conv' : 'dense',
        weights: histogram(weight.data),
        gradients: histogram(weight.grad),
        activations: histogram(y.data),
        weightNorm: l2Norm(weight.data),
        gradientNorm: l2Norm(weight.grad),
        deadFraction: relu ? deadUnitFraction(y.data, y.rows, units, positions) : null,
        finite: allFinite(weight.data) && allFinite(y.data),
        before: Float32Array.from(weight.data)
      })
    })
    return new HealthProbe(step, measured)
  }

  /** The sample, with ‖ΔW‖/‖W‖ from `model`'s weights after the update, or without (null: none made). */
  finish(updated: Sequential | null): HealthSample {
    const after = new Map<string, Float32Array>()
    for (const layer of updated?.layers ?? [])
      if (layer instanceof Dense || layer instanceof Conv2D)
        after.set(layer.name, layer.weight.data)
    return {
      step: this.step,
      layers: this.measured.map(({ before, ...health }) => {
        const weights = after.get(health.layer)
        return { ...health, updateRatio: weights ? updateRatio(before, weights) : null }
      })
    }
  }
}
