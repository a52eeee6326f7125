// The shape of a model as plain data: an input shape and an ordered list of layers. It is what the UI
// edits, model files store, and `Sequential` is built from. Shapes are inferred and checked in shapes.ts.

import type { ActivationKind } from './activations'

/** A layer's nonlinearity, or 'none' for a linear layer (the output layer always gives raw logits). */
export type LayerActivation = ActivationKind | 'none'

/** 'valid': no padding (the image shrinks by k − 1); 'same': (k − 1)/2 zeros on each side (odd k). */
export type ConvPadding = 'valid' | 'same'

/** One hidden layer. Images flow as [channels, height, width]; dense layers read a flat vector. */
export type LayerSpec =
  | { readonly kind: 'dense'; readonly units: number; readonly activation: LayerActivation }
  | {
      readonly kind: 'conv'
      readonly filters: number
      readonly kernel: number
      readonly stride: 1 | 2
      readonly padding: ConvPadding
      readonly activation: LayerActivation
    }
  /** size × size windows with stride = size; rows and columns that do not fill a window are dropped. */
  | { readonly kind: 'maxpool'; readonly size: number }
  /** [C, H, W] → [C·H·W]. Required between the last conv/pool layer and the first dense layer. */
  | { readonly kind: 'flatten' }
  /** Inverted dropout: while training, zeroes each value with probability `rate` (identity otherwise). */
  | { readonly kind: 'dropout'; readonly rate: number }

export type LayerKind = LayerSpec['kind']
export type DenseSpec = Extract<LayerSpec, { kind: 'dense' }>
export type ConvSpec = Extract<LayerSpec, { kind: 'conv' }>

/** A model: its input, its hidden layers in order, and the number of classes. */
export interface ModelArchitecture {
  /** Per-sample input [channels, height, width]: [1, 28, 28] for MNIST. */
  readonly inputShape: readonly [number, number, number]
  /** Hidden layers in order; the output layer (dense, outputSize units, logits) follows implicitly. */
  readonly layers: readonly LayerSpec[]
  readonly outputSize: number
}

/**
 * The dense-only form every architecture had before convolutions, still read from model files v1,
 * saved settings, run records and the CLI's --hidden: inputSize → hiddenSizes… → outputSize with one
 * activation after each hidden layer.
 */
export interface DenseArchitecture {
  readonly inputSize: number
  /** Widths of the hidden layers in order: [] is softmax regression, [128, 64] is 784-128-64-10. */
  readonly hiddenSizes: readonly number[]
  readonly activation: ActivationKind
  readonly outputSize: number
}

/** Pixels in one MNIST image (28 × 28). */
export const MNIST_PIXELS = 28 * 28
/** Digit classes 0..9. */
export const MNIST_CLASSES = 10
/** One MNIST image: 1 channel of 28 × 28. */
export const MNIST_INPUT_SHAPE: readonly [number, number, number] = [1, 28, 28]

/** Values in one input sample: C·H·W (784 for MNIST). */
export function inputSize(architecture: ModelArchitecture): number {
  const [channels, height, width] = architecture.inputShape
  return channels * height * width
}

/**
 * The input shape a flat input of n values had: n = s² (784 = 28²) is an s × s image, anything else a
 * 1 × n strip (only dense layers can read that).
 */
export function inputShapeOfSize(n: number): [number, number, number] {
  const side = Math.round(Math.sqrt(n))
  return side * side === n ? [1, side, side] : [1, 1, n]
}

/** The dense form in the list form: one dense layer per hidden width, each with the shared activation. */
export function denseArchitecture(dense: DenseArchitecture): ModelArchitecture {
  return {
    inputShape: inputShapeOfSize(dense.inputSize),
    layers: dense.hiddenSizes.map((units) => ({
      kind: 'dense',
      units,
      activation: dense.activation
    })),
    outputSize: dense.outputSize
  }
}

/**
 * The architecture in the dense form, or null when it is not a plain dense net (every hidden layer
 * dense, one shared activation that is not 'none'). A net without hidden layers reports 'relu', which
 * it never uses. The fast engine and the dense-only views read this.
 */
export function denseForm(architecture: ModelArchitecture): DenseArchitecture | null {
  const hiddenSizes: number[] = []
  let activation: ActivationKind | null = null
  for (const layer of architecture.layers) {
    if (layer.kind !== 'dense' || layer.activation === 'none') return null
    if (activation !== null && layer.activation !== activation) return null
    activation = layer.activation
    hiddenSizes.push(layer.units)
  }
  return {
    inputSize: inputSize(architecture),
    hiddenSizes,
    activation: activation ?? 'relu',
    outputSize: architecture.outputSize
  }
}

/** Every dense width in order, e.g. [784, 128, 10], or null for a net that is not plain dense. */
export function denseWidths(architecture: ModelArchitecture): number[] | null {
  const dense = denseForm(architecture)
  return dense && [dense.inputSize, ...dense.hiddenSizes, dense.outputSize]
}

/** Whether the net has a layer that reads images (conv or maxpool). */
export function isConvolutional(architecture: ModelArchitecture): boolean {
  return architecture.layers.some((layer) => layer.kind === 'conv' || layer.kind === 'maxpool')
}

/**
 * Why this net cannot read `rows` × `cols` greyscale images (`images` names them in the sentence), or
 * null when it can. A net with conv or pool layers reads rows and columns, so its input must match them
 * exactly; a dense net only needs as many inputs as there are pixels.
 * E.g. "takes 100 inputs but MNIST images have 28×28 = 784 pixels".
 */
export function imageMismatch(
  architecture: ModelArchitecture,
  rows: number,
  cols: number,
  images: string
): string | null {
  if (isConvolutional(architecture)) {
    const [channels, height, width] = architecture.inputShape
    if (channels === 1 && height === rows && width === cols) return null
    return `reads ${architecture.inputShape.join('×')} images but ${images} are 1×${rows}×${cols}`
  }
  const size = inputSize(architecture)
  if (size === rows * cols) return null
  return `takes ${size} inputs but ${images} have ${rows}×${cols} = ${rows * cols} pixels`
}

/** The prefix layer names count with: conv1, pool1, flatten1, dropout1, dense1. */
const NAME_PREFIX: Record<LayerKind, string> = {
  dense: 'dense',
  conv: 'conv',
  maxpool: 'pool',
  flatten: 'flatten',
  dropout: 'dropout'
}

/**
 * The name of every layer, hidden layers first and the output layer last, counted per kind: conv1,
 * pool1, conv2, pool2, flatten1, dense1, dense2, dense3. The output layer is the last dense, so a dense
 * net's names (and its parameters 'dense1.weight', …) are what they always were.
 */
export function layerNames(architecture: ModelArchitecture): string[] {
  const counts = new Map<string, number>()
  const next = (prefix: string): string => {
    const count = (counts.get(prefix) ?? 0) + 1
    counts.set(prefix, count)
    return `${prefix}${count}`
  }
  return [...architecture.layers.map((layer) => next(NAME_PREFIX[layer.kind])), next('dense')]
}

const ACTIVATION_LABELS: Record<LayerActivation, string> = {
  relu: 'ReLU',
  sigmoid: 'sigmoid',
  tanh: 'tanh',
  none: ''
}

/** One layer in words: "128 ReLU", "conv 5×5×6 ReLU", "conv 3×3×32 /2 valid", "pool 2", "dropout 0.25". */
export function describeLayer(layer: LayerSpec): string {
  const withActivation = (text: string, activation: LayerActivation): string =>
    activation === 'none' ? text : `${text} ${ACTIVATION_LABELS[activation]}`
  switch (layer.kind) {
    case 'dense':
      return withActivation(String(layer.units), layer.activation)
    case 'conv': {
      const stride = layer.stride === 1 ? '' : ` /${layer.stride}`
      const padding = layer.padding === 'same' ? '' : ' valid'
      const size = `${layer.kernel}×${layer.kernel}×${layer.filters}`
      return withActivation(`conv ${size}${stride}${padding}`, layer.activation)
    }
    case 'maxpool':
      return `pool ${layer.size}`
    case 'flatten':
      return 'flatten'
    case 'dropout':
      return `dropout ${layer.rate}`
  }
}

/**
 * The architecture in the usual notation: "784 → 128 ReLU → 10" for a dense net (the input as its
 * number of values), "1×28×28 → conv 5×5×6 ReLU → pool 2 → … → 10" for a net that reads images.
 */
export function describeArchitecture(architecture: ModelArchitecture): string {
  const images = isConvolutional(architecture)
  const input = images ? architecture.inputShape.join('×') : String(inputSize(architecture))
  // NOTE: a flatten in a net without images changes nothing, so the dense notation leaves it out.
  const layers = architecture.layers.filter((layer) => images || layer.kind !== 'flatten')
  return [input, ...layers.map(describeLayer), String(architecture.outputSize)].join(' → ')
}
