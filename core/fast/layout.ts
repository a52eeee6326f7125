// Where every buffer of the fast engine lives in its WebAssembly memory: a pure function of the
// architecture and the batch size, so several threads compute the same layout and share one memory.
//
// The working layout (internal; the canonical parameters stay W [out, in] row-major, see network.ts):
//   - a dense layer's weight is held transposed, Wᵀ [n, m], with n its input width and m its output
//     width rounded up to a multiple of 4 floats (one v128). The padding columns (and the padding rows
//     of the next layer's Wᵀ, which meet them) are zero and stay zero: their gradients are exactly 0.
//   - per batch row, every layer keeps its input as a CSR row (nonzero indices and values, capacity n),
//     its output [B, m] and the gradient of its pre-activation output [B, m].

import { ShapeError } from '../errors'
import {
  denseForm,
  describeArchitecture,
  type DenseArchitecture,
  inputSize as modelInputSize,
  type ModelArchitecture
} from '../nn/architecture'

/**
 * A layer's weight and bias, their gradients, and the optimizer's state for each: the first moment
 * (SGD's velocity v, Adam's m) and the second moment (Adam's v, the running mean of g²). Byte addresses.
 */
export interface ParameterBuffersLayout {
  readonly weight: number
  readonly bias: number
  readonly weightGrad: number
  readonly biasGrad: number
  readonly weightMoment: number
  readonly biasMoment: number
  readonly weightSquares: number
  readonly biasSquares: number
}

/** Byte offsets (and widths) of one dense layer's buffers: Wᵀ [n, m] and b [m] with their state. */
export interface LayerLayout extends ParameterBuffersLayout {
  /** Real input and output widths (784 and 128 for the MLP's first layer). */
  readonly inFeatures: number
  readonly outFeatures: number
  /** Working widths: n = input width (the previous layer's padded output), m = outFeatures rounded up to 4. */
  readonly n: number
  readonly m: number
  /** This layer's input as CSR rows: indices [B, csrStride] i32, values [B, csrStride] f32, counts [B] i32.
   *  A row holds at most n entries; the encoders use up to 8 more as scratch. */
  readonly csrStride: number
  readonly csrIndex: number
  readonly csrValue: number
  readonly csrCount: number
  /** Output [B, m] (after the activation for hidden layers; logits for the last) and ∂L/∂(pre-activation) [B, m]. */
  readonly output: number
  readonly outputGrad: number
}

/** The buffers every engine's batches go through (batch-input.ts), and the loss kernel's per-row outputs. */
export interface InputLayout {
  readonly batchSize: number
  readonly inputSize: number
  /** Compaction tables for the encoders (network.ts writes them): 256 × 8 bytes and 16 × 16 bytes. */
  readonly compactBytes: number
  readonly compactLanes: number
  /** A batch given directly (not from the resident dataset): pixels [B, inputSize] u8, labels [B] u8,
   *  and the sample indices 0, 1, …, B − 1 [B] u32 that address its rows. */
  readonly input: number
  readonly inputLabels: number
  readonly inputRows: number
  /** The resident training set, encoded once: image s owns entries offsets[s] … offsets[s+1] − 1 of
   *  the pixel indices (u16) and pixel values (u8) of its nonzero pixels; offsets [count + 1] u32,
   *  labels [count] u8, and the epoch's shuffled order [count] u32 (a batch is a slice of it).
   *  Empty when datasetCount is 0. */
  readonly datasetCount: number
  readonly datasetOffsets: number
  readonly datasetIndices: number
  readonly datasetBytes: number
  readonly datasetLabels: number
  readonly order: number
  /** Per batch row, from the loss kernel: max − z_y (f64), Σ e^(z − max) (f32), and whether the
   *  prediction was right (u8). The row's loss is shift + log(sum). */
  readonly rowShift: number
  readonly rowSum: number
  readonly rowCorrect: number
}

export interface NetworkLayout extends InputLayout {
  readonly layers: readonly LayerLayout[]
  /** Total bytes. */
  readonly bytes: number
}

/**
 * The net in the dense form the fast engine runs (dense layers with one shared activation), or a
 * ShapeError for any other (createTrainer picks the reference engine for those: fastEngineSupports).
 */
export function fastDenseForm(architecture: ModelArchitecture): DenseArchitecture {
  const dense = denseForm(architecture)
  if (!dense) {
    throw new ShapeError(
      `the fast engine runs dense nets with one activation, not ${describeArchitecture(architecture)}`
    )
  }
  return dense
}

/** Rounds up to a multiple of `step`. */
export const roundUp = (value: number, step: number): number => Math.ceil(value / step) * step

/** Buffers start on 64-byte boundaries (a cache line), so no two buffers share one. */
const ALIGN = 64

/**
 * Computes the layout for a model, a maximum batch size and (optionally) a resident training set of
 * `datasetCount` images with `datasetEntries` nonzero pixels in all. Arrays the kernels read in whole
 * vectors get 16 spare bytes at the end.
 */
export function planNetwork(
  architecture: ModelArchitecture,
  batchSize: number,
  datasetCount = 0,
  datasetEntries = 0
): NetworkLayout {
  const allocator = createAllocator()
  const dense = fastDenseForm(architecture)
  const input = planInputBuffers(
    allocator.take,
    architecture,
    batchSize,
    datasetCount,
    datasetEntries
  )
  const sizes = [dense.inputSize, ...dense.hiddenSizes, dense.outputSize]
  const layers: LayerLayout[] = []
  let n = input.inputSize
  for (let i = 0; i + 1 < sizes.length; i++) {
    layers.push(planDenseLayer(allocator.take, batchSize, sizes[i], sizes[i + 1], n))
    n = layers[i].m
  }
  return { ...input, layers, bytes: allocator.bytes() }
}

/** Hands out buffers one after another, each on a 64-byte boundary; `bytes()` is the total so far. */
export function createAllocator(): { take: (bytes: number) => number; bytes: () => number } {
  let next = 0
  return {
    take: (bytes) => {
      const at = next
      next = roundUp(next + bytes, ALIGN)
      return at
    },
    bytes: () => next
  }
}

/** The input buffers (InputLayout) for batches of `batchSize` and an optional resident dataset. */
export function planInputBuffers(
  take: (bytes: number) => number,
  architecture: ModelArchitecture,
  batchSize: number,
  datasetCount: number,
  datasetEntries: number
): InputLayout {
  const B = batchSize
  const inputSize = modelInputSize(architecture)
  return {
    batchSize,
    inputSize,
    compactBytes: take(256 * 8),
    compactLanes: take(16 * 16),
    input: take(B * inputSize + 16),
    inputLabels: take(B),
    inputRows: take(B * 4),
    datasetCount,
    datasetOffsets: take((datasetCount + 1) * 4),
    datasetIndices: take(datasetEntries * 2 + 16),
    datasetBytes: take(datasetEntries + 16),
    datasetLabels: take(datasetCount),
    order: take(datasetCount * 4),
    rowShift: take(B * 8),
    rowSum: take(B * 4),
    rowCorrect: take(B)
  }
}

/**
 * One dense layer's buffers: `inFeatures` → `outFeatures`, reading rows of n floats (the input width,
 * or the previous layer's padded output m), with m = outFeatures rounded up to 4.
 */
export function planDenseLayer(
  take: (bytes: number) => number,
  batchSize: number,
  inFeatures: number,
  outFeatures: number,
  n: number
): LayerLayout {
  const B = batchSize
  const m = roundUp(outFeatures, 4)
  const csrStride = roundUp(n + 8, 4)
  return {
    inFeatures,
    outFeatures,
    n,
    m,
    weight: take(n * m * 4),
    bias: take(m * 4),
    weightGrad: take(n * m * 4),
    biasGrad: take(m * 4),
    weightMoment: take(n * m * 4),
    biasMoment: take(m * 4),
    weightSquares: take(n * m * 4),
    biasSquares: take(m * 4),
    csrStride,
    csrIndex: take(B * csrStride * 4),
    csrValue: take(B * csrStride * 4),
    csrCount: take(B * 4),
    output: take(B * m * 4),
    outputGrad: take(B * m * 4)
  }
}
