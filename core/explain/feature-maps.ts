// Feature maps: what each conv and pool layer of a conv net makes of one image, read off the forward pass.

import { Activation } from '../nn/activations'
import { describeLayer, inputSize } from '../nn/architecture'
import type { Sequential } from '../nn/sequential'
import type { LayerShape } from '../nn/shapes'
import { Matrix } from '../tensor/matrix'

/** One conv or pool layer's output for one image: `channels` maps of height × width. */
export interface FeatureMap {
  /** conv1, pool1, … as in the architecture. */
  readonly name: string
  readonly kind: 'conv' | 'maxpool'
  /** The layer in words (core's describeLayer): "conv 5×5×6 ReLU", "pool 2". */
  readonly description: string
  /** [C, H, W]: every channel the layer has, even when `data` holds fewer (see maxChannels). */
  readonly shape: readonly [number, number, number]
  /** The first `shownChannels` maps, each H·W values row by row, channel after channel (CHW). */
  readonly data: Float32Array
  readonly shownChannels: number
}

/**
 * Every conv and pool layer's output for one input x [C·H·W], first to last. A conv layer's maps are
 * read after its activation, y = f(W ⊛ x + b): what the next layer receives, and what "the filter
 * fired here" means (for ReLU, 0 where it did not). A pool layer's maps are its maxima.
 * Dense nets have none: the list is empty.
 * @param maxChannels keeps at most this many maps per layer (a 64-filter layer would otherwise mean 64
 *   canvases per snapshot); the shape still says how many there are.
 */
export function featureMaps(
  model: Sequential,
  input: Float32Array,
  maxChannels = Number.POSITIVE_INFINITY
): FeatureMap[] {
  const size = inputSize(model.architecture)
  if (input.length !== size)
    throw new RangeError(`featureMaps: expected ${size} input values, got ${input.length}`)
  const shapes = new Map(model.shapes.map((shape) => [shape.name, shape]))
  const maps: FeatureMap[] = []
  const keep = (shape: LayerShape, output: Matrix): void => {
    const [channels, height, width] = shape.outputShape
    const shownChannels = Math.min(channels, maxChannels)
    maps.push({
      name: shape.name,
      kind: shape.spec.kind === 'conv' ? 'conv' : 'maxpool',
      description: describeLayer(shape.spec),
      shape: [channels, height, width],
      // NOTE: a copy: layers reuse their output buffers on the next forward pass.
      data: output.data.slice(0, shownChannels * height * width),
      shownChannels
    })
  }
  /** A conv layer whose activation comes next: its maps are that activation's output. */
  let awaitingActivation: LayerShape | null = null
  let h = new Matrix(1, size, Float32Array.from(input))
  model.layers.forEach((layer, i) => {
    h = layer.forward(h)
    const shape = shapes.get(layer.name)
    if (awaitingActivation && layer instanceof Activation) {
      keep(awaitingActivation, h)
      awaitingActivation = null
    } else if (shape?.spec.kind === 'conv') {
      if (model.layers[i + 1] instanceof Activation) awaitingActivation = shape
      else keep(shape, h)
    } else if (shape?.spec.kind === 'maxpool') keep(shape, h)
  })
  return maps
}
