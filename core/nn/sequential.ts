// A stack of layers built from a ModelArchitecture: dense → activation → … → dense → logits.

import type { Rng } from '../random'
import type { Matrix } from '../tensor/matrix'
import { createActivation } from './activations'
import { layerSizes, type ModelArchitecture } from './architecture'
import { Dense } from './dense'
import type { InitKind } from './init'
import type { Layer, Parameter } from './layer'

/**
 * A feed-forward network. `forward` returns logits (softmax is applied by the loss, fused).
 * Layer names: dense1, relu1, dense2, … so parameters are 'dense1.weight', 'dense1.bias', …
 */
export class Sequential {
  readonly layers: readonly Layer[]
  /** The dense layers alone, first to last (dense1 is the one drawn as 28×28 heatmaps). */
  readonly denseLayers: readonly Dense[]

  constructor(
    readonly architecture: ModelArchitecture,
    init: InitKind,
    rng: Rng
  ) {
    const sizes = layerSizes(architecture)
    const layers: Layer[] = []
    const denseLayers: Dense[] = []
    for (let i = 0; i + 1 < sizes.length; i++) {
      const dense = new Dense(`dense${i + 1}`, sizes[i], sizes[i + 1], init, rng)
      layers.push(dense)
      denseLayers.push(dense)
      const isLast = i + 2 === sizes.length
      if (!isLast)
        layers.push(createActivation(architecture.activation, `${architecture.activation}${i + 1}`))
    }
    this.layers = layers
    this.denseLayers = denseLayers
  }

  /** x [B, inputSize] → logits [B, outputSize]. */
  forward(x: Matrix): Matrix {
    let h = x
    for (const layer of this.layers) h = layer.forward(h)
    return h
  }

  /**
   * Back-propagates ∂L/∂logits through every layer, accumulating parameter gradients.
   * Returns ∂L/∂input when asked (saliency maps need it; training does not, so it is skipped).
   */
  backward(dLogits: Matrix, needInputGrad = false): Matrix | null {
    let grad: Matrix | null = dLogits
    for (let i = this.layers.length - 1; i >= 0 && grad; i--) {
      grad = this.layers[i].backward(grad, i > 0 || needInputGrad)
    }
    return grad
  }

  /** Every trainable parameter in a stable order: dense1.weight, dense1.bias, dense2.weight, … */
  parameters(): Parameter[] {
    return this.layers.flatMap((layer) => layer.parameters())
  }

  /** Sets every gradient to 0 (they accumulate, so each step starts from zero). */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad.fill(0)
  }
}
