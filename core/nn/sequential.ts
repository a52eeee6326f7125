// A stack of layers built from a ModelArchitecture's list: each layer, its activation, …, then the
// output dense layer giving logits.

import { createRng, type Rng } from '../random'
import type { Matrix } from '../tensor/matrix'
import { createActivation } from './activations'
import type { LayerActivation, ModelArchitecture } from './architecture'
import { Conv2D, type ImageShape } from './conv2d'
import { Dense } from './dense'
import { Dropout } from './dropout'
import { Flatten } from './flatten'
import type { InitKind } from './init'
import type { Layer, Parameter } from './layer'
import { MaxPool2D } from './maxpool2d'
import { inferShapes, shapeSize, type LayerShape } from './shapes'

/**
 * A feed-forward network. `forward` returns logits (softmax is applied by the loss, fused).
 * Layer names: dense1, relu1, dense2, … for a dense net, so parameters are 'dense1.weight', … as they
 * always were. Every layer kind is counted on its own (conv1, pool1, conv2, flatten1, dense1, …), and so
 * is every activation kind: relu1 is the first ReLU anywhere in the net (after conv1 in LeNet), and in a
 * dense net relu_k follows dense_k.
 */
export class Sequential {
  readonly layers: readonly Layer[]
  /** The dense layers alone, first to last (the last one is the output layer). */
  readonly denseLayers: readonly Dense[]
  /** Every layer of the architecture with its input and output shapes (activations not listed). */
  readonly shapes: readonly LayerShape[]

  /**
   * Builds the layers, drawing their initial weights from `rng` in order (layer by layer, weights only:
   * biases start at 0). `maskRng` draws dropout's masks while training (unused without dropout).
   */
  constructor(
    readonly architecture: ModelArchitecture,
    init: InitKind,
    rng: Rng,
    maskRng: Rng = createRng(0)
  ) {
    this.shapes = inferShapes(architecture)
    const layers: Layer[] = []
    const activationCounts = new Map<string, number>()
    const addActivation = (activation: LayerActivation): void => {
      if (activation === 'none') return
      const count = (activationCounts.get(activation) ?? 0) + 1
      activationCounts.set(activation, count)
      layers.push(createActivation(activation, `${activation}${count}`))
    }
    for (const shape of this.shapes) {
      layers.push(buildLayer(shape, init, rng, maskRng))
      if (shape.spec.kind === 'dense' || shape.spec.kind === 'conv')
        addActivation(shape.spec.activation)
    }
    this.layers = layers
    this.denseLayers = layers.filter((layer) => layer instanceof Dense)
  }

  /**
   * x [B, C·H·W] (each row one sample, in CHW order) → logits [B, outputSize].
   * `training` is true only for a training step: dropout then draws a mask. Evaluation, prediction,
   * saliency and explanations run with the default, false.
   */
  forward(x: Matrix, training = false): Matrix {
    let h = x
    for (const layer of this.layers) h = layer.forward(h, training)
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

  /** The first layer with weights (dense1, or conv1 in a conv net): the one the studio draws as images. */
  get firstWeightedLayer(): Dense | Conv2D {
    return this.layers.find((layer) => layer instanceof Dense || layer instanceof Conv2D)!
  }

  /** Every trainable parameter in a stable order: layer by layer, each layer's weight then bias. */
  parameters(): Parameter[] {
    return this.layers.flatMap((layer) => layer.parameters())
  }

  /** Sets every gradient to 0 (they accumulate, so each step starts from zero). */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad.fill(0)
  }
}

/** The layer for one entry of the architecture (its activation is added separately). */
function buildLayer(shape: LayerShape, init: InitKind, rng: Rng, maskRng: Rng): Layer {
  const { name, spec, inputShape } = shape
  const image = (): ImageShape => {
    const [channels, height, width] = inputShape
    return { channels, height, width }
  }
  switch (spec.kind) {
    case 'dense':
      return new Dense(name, shapeSize(inputShape), spec.units, init, rng)
    case 'conv': {
      const { filters, kernel, stride, padding } = spec
      return new Conv2D(name, image(), filters, kernel, stride, padding, init, rng)
    }
    case 'maxpool':
      return new MaxPool2D(name, image(), spec.size)
    case 'flatten':
      return new Flatten(name, shapeSize(inputShape))
    case 'dropout':
      return new Dropout(name, spec.rate, maskRng)
  }
}
