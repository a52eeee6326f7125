// Shape inference: what each layer of an architecture receives and produces, checked before anything is
// built, so an impossible list fails with a sentence naming the layer instead of deep inside a kernel.

import { ConfigError } from '../errors'
import { convOutputSize } from '../tensor/conv'
import {
  describeLayer,
  layerNames,
  type ConvPadding,
  type LayerSpec,
  type ModelArchitecture
} from './architecture'

/** A per-sample tensor shape: [C, H, W] for images, [n] for flat vectors. */
export type TensorShape = readonly number[]

/** One layer with the shapes it receives and produces. */
export interface LayerShape {
  /** conv1, pool1, dense1, … (see layerNames). */
  readonly name: string
  /** The layer; for the implicit output layer, dense with outputSize units and no activation. */
  readonly spec: LayerSpec
  /** Its index in architecture.layers, or -1 for the output layer. */
  readonly index: number
  readonly inputShape: TensorShape
  readonly outputShape: TensorShape
  /** Trainable values: weights and biases (0 for pool, flatten and dropout). */
  readonly parameters: number
}

/** Number of values in a shape: C·H·W, or n. */
export function shapeSize(shape: TensorShape): number {
  return shape.reduce((a, b) => a * b, 1)
}

/** Zeros added on each side: 0 for 'valid', (k − 1)/2 for 'same' (k odd, so the size is kept at stride 1). */
export function paddingOf(kernel: number, padding: ConvPadding): number {
  return padding === 'same' ? (kernel - 1) / 2 : 0
}

/**
 * Every layer's input and output shape and parameter count, hidden layers first, the output layer last.
 * Shapes follow the input [C, H, W]:
 *   conv     [C, H, W] → [filters, H′, W′],  H′ = ⌊(H + 2p − k)/s⌋ + 1   (so stride 2 'same' gives ⌈H/2⌉)
 *   maxpool  [C, H, W] → [C, ⌊H/size⌋, ⌊W/size⌋]
 *   flatten  [C, H, W] → [C·H·W]
 *   dropout  any shape, unchanged
 *   dense    [n] → [units]   (the input itself may be read as its C·H·W values: a dense net needs no flatten)
 * Throws a ConfigError naming the layer (`architecture.layers[2]`) and why, e.g. a filter larger than its
 * input, pooling after a flatten, or a dense layer directly after a conv or pool layer.
 */
export function inferShapes(architecture: ModelArchitecture, field = 'architecture'): LayerShape[] {
  const { layers, problem } = traceShapes(architecture, field)
  if (problem) throw problem
  return layers
}

/** How far the shapes of an architecture work out: every layer up to the first that fails. */
export interface ShapeTrace {
  /** The layers whose shapes work out, in order; all of them, output layer last, when problem is null. */
  readonly layers: LayerShape[]
  /**
   * The first layer that cannot work, as inferShapes would throw it: `field` is
   * `architecture.layers[i]` for hidden layer i, `architecture.layers` for the output layer.
   */
  readonly problem: ConfigError | null
}

/**
 * inferShapes without throwing: the shapes of the layers before the first impossible one, and why that
 * one is impossible. The architecture editor shows both as the learner edits (a row's shape, and the
 * reason on the offending row).
 */
export function traceShapes(architecture: ModelArchitecture, field = 'architecture'): ShapeTrace {
  const layers: LayerShape[] = []
  try {
    walkShapes(architecture, field, layers)
    return { layers, problem: null }
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    return { layers, problem: err }
  }
}

/** The walk behind both: appends each layer's shapes to `shapes`, throws at the first bad layer. */
function walkShapes(architecture: ModelArchitecture, field: string, shapes: LayerShape[]): void {
  const names = layerNames(architecture)
  let shape: TensorShape = architecture.inputShape
  /** What produced `shape`: 'the input' or a layer name, for messages. */
  let producer = 'the input'
  /** The last conv or pool layer not yet flattened: dense layers cannot read its images. */
  let imageLayer: string | null = null

  architecture.layers.forEach((spec, index) => {
    const name = names[index]
    const fail = (why: string): never => {
      throw new ConfigError(`${field}.layers[${index}]`, `${name} (${describeLayer(spec)}): ${why}`)
    }
    const needsImages = (): readonly [number, number, number] => {
      if (shape.length !== 3) {
        fail(
          `it reads images [channels, height, width], but ${producer} gives a flat vector of ${shape[0]} ` +
            'values (conv and pool layers cannot follow a flatten or a dense layer)'
        )
      }
      return shape as readonly [number, number, number]
    }
    let output: TensorShape
    let parameters = 0
    switch (spec.kind) {
      case 'conv': {
        const [channels, height, width] = needsImages()
        if (spec.padding === 'same' && spec.kernel % 2 === 0) {
          fail(
            `'same' padding needs an odd kernel (k − 1 zeros split evenly on both sides); use ` +
              `${spec.kernel - 1} or ${spec.kernel + 1}, or 'valid'`
          )
        }
        const p = paddingOf(spec.kernel, spec.padding)
        const outHeight = convOutputSize(height, spec.kernel, spec.stride, p)
        const outWidth = convOutputSize(width, spec.kernel, spec.stride, p)
        if (outHeight < 1 || outWidth < 1)
          fail(`a ${spec.kernel}×${spec.kernel} filter does not fit its ${height}×${width} input`)
        output = [spec.filters, outHeight, outWidth]
        parameters = spec.filters * channels * spec.kernel * spec.kernel + spec.filters
        imageLayer = name
        break
      }
      case 'maxpool': {
        const [channels, height, width] = needsImages()
        if (height < spec.size || width < spec.size)
          fail(`a ${spec.size}×${spec.size} window does not fit its ${height}×${width} input`)
        output = [channels, Math.floor(height / spec.size), Math.floor(width / spec.size)]
        imageLayer = name
        break
      }
      case 'flatten':
        if (shape.length !== 3) fail(`${producer} already gives a flat vector`)
        output = [shapeSize(shape)]
        imageLayer = null
        break
      case 'dropout':
        output = shape
        break
      case 'dense':
        if (imageLayer) {
          fail(
            `a dense layer reads a flat vector, but ${imageLayer} gives ${shape.join('×')} images: ` +
              'put a flatten before it'
          )
        }
        output = [spec.units]
        parameters = shapeSize(shape) * spec.units + spec.units
        break
    }
    shapes.push({ name, spec, index, inputShape: shape, outputShape: output, parameters })
    shape = output
    producer = name
  })

  const name = names[names.length - 1]
  if (imageLayer) {
    throw new ConfigError(
      `${field}.layers`,
      `the output layer (${name}) reads a flat vector, but ${imageLayer} gives ${shape.join('×')} ` +
        'images: end the list with a flatten'
    )
  }
  const units = architecture.outputSize
  shapes.push({
    name,
    spec: { kind: 'dense', units, activation: 'none' },
    index: -1,
    inputShape: shape,
    outputShape: [units],
    parameters: shapeSize(shape) * units + units
  })
}

/** Number of trainable values: Σ over layers of weights + biases (throws like inferShapes). */
export function countParameters(architecture: ModelArchitecture): number {
  return inferShapes(architecture).reduce((total, layer) => total + layer.parameters, 0)
}

/**
 * The parameter names and shapes an architecture has, in order (without building a model): a dense
 * layer's weight [out, in] and bias [out], a conv layer's weight [out, in, k, k] and bias [out].
 */
export function parameterShapes(
  architecture: ModelArchitecture
): { name: string; shape: number[]; size: number }[] {
  return inferShapes(architecture).flatMap(({ name, spec, inputShape }) => {
    const weight =
      spec.kind === 'dense'
        ? [spec.units, shapeSize(inputShape)]
        : spec.kind === 'conv'
          ? [spec.filters, inputShape[0], spec.kernel, spec.kernel]
          : null
    if (!weight) return []
    return [
      { name: `${name}.weight`, shape: weight, size: shapeSize(weight) },
      { name: `${name}.bias`, shape: [weight[0]], size: weight[0] }
    ]
  })
}
