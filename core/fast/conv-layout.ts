// Where every buffer of a layer-list net (conv, pool, flatten, dropout, dense) lives in the fast
// engine's WebAssembly memory: a pure function of the architecture and the batch size.
//
// Activations flow between stages through "maps": per batch row, a stage's output values [B, stride]
// f32 and their gradient ∂L/∂(values) [B, stride]. Images keep the references' layout, one row = one
// sample [C, H, W] packed (stride = C·H·W), which is what the convolution and pooling kernels read;
// a dense layer's output row is padded to a multiple of 4 floats, as in the dense engine (layout.ts).
// Conv weights stay in the canonical layout [O, C, k, k] (the conv kernels read it as is), padded to a
// multiple of 4 floats for the optimizer's whole-vector kernels; dense weights are Wᵀ as in layout.ts.

import { ShapeError } from '../errors'
import type { LayerActivation, ModelArchitecture } from '../nn/architecture'
import { inferShapes, paddingOf, shapeSize } from '../nn/shapes'
import { convGeometry, poolGeometry, type ConvGeometry, type PoolGeometry } from '../tensor/conv'
import {
  convScratchBytes,
  sparseConvSupported,
  type CsrRows,
  type DyMethod
} from './conv-kernel-calls'
import {
  createAllocator,
  planDenseLayer,
  planInputBuffers,
  roundUp,
  type InputLayout,
  type LayerLayout,
  type ParameterBuffersLayout
} from './layout'

/** One stage's output: values [B, stride] f32 and ∂L/∂values [B, stride], `width` real values a row. */
export interface MapBuffers {
  readonly values: number
  readonly grads: number
  readonly stride: number
  readonly width: number
  /**
   * Whether a value of 0 here always has a gradient of 0 further down (it came out of a ReLU, through
   * pooling, flattening or dropout only): a dense layer reading it may then compute its input gradient
   * at the nonzero inputs alone (input_grad_relu), the same numbers as the full product masked later.
   */
  readonly zeroMeansNoGradient: boolean
}

/** A conv stage's weight [O, C, k, k], bias [O], their gradients and the optimizer's state. */
export interface ParameterLayout extends ParameterBuffersLayout {
  /** Floats in the weight (padded to a multiple of 4) and in the bias. */
  readonly weightFloats: number
  readonly biasFloats: number
}

export type StageLayout =
  | {
      readonly kind: 'conv'
      readonly name: string
      readonly geometry: ConvGeometry
      readonly activation: LayerActivation
      readonly parameters: ParameterLayout
      /** The first layer reads the batch's CSR rows (over its nonzero pixels) instead of `input`. */
      readonly sparse: boolean
      /** How its weight and input gradients go over dy: over its nonzeros when a max-pool follows (which routes dy). */
      readonly dyMethod: DyMethod
      readonly input: MapBuffers
      readonly output: MapBuffers
    }
  | {
      readonly kind: 'maxpool'
      readonly name: string
      readonly geometry: PoolGeometry
      /** [B, C, H', W'] u32: the index into the input of each window's winner. */
      readonly argmax: number
      readonly input: MapBuffers
      readonly output: MapBuffers
    }
  | {
      readonly kind: 'dropout'
      readonly name: string
      readonly rate: number
      /** [B, stride] f32: 0 for a dropped value, 1/(1 − rate) for a kept one (this step's draw). */
      readonly mask: number
      readonly input: MapBuffers
      readonly output: MapBuffers
    }
  | {
      /** A copy only when the next dense layer needs rows padded to 4 floats; else output = input. */
      readonly kind: 'flatten'
      readonly name: string
      readonly input: MapBuffers
      readonly output: MapBuffers
    }
  | {
      readonly kind: 'dense'
      readonly name: string
      readonly activation: LayerActivation
      /** The dense engine's buffers (layout.ts): Wᵀ, CSR input rows, output = this stage's values. */
      readonly layer: LayerLayout
      /** Whether its CSR rows are the batch's, encoded from pixels (the first layer). */
      readonly first: boolean
      readonly input: MapBuffers
      readonly output: MapBuffers
    }

export interface ConvNetworkLayout extends InputLayout {
  /** The batch's pixels as CSR rows (stride inputSize + 8, rounded to 4), encoded from bytes. */
  readonly inputCsr: CsrRows
  /** The batch's pixels / 255 as f32 images [B, inputSize], for a first stage that reads them densely. */
  readonly inputPlanes: MapBuffers
  readonly stages: readonly StageLayout[]
  /**
   * The convolution kernels' scratch (the largest any conv stage needs) of thread 0; thread t's is at
   * convScratch + t · convScratchPerThread. The scratches come last, so the layout of everything else (and
   * thread 0's scratch) is the same whatever the thread count: see convNetworkBytes.
   */
  readonly convScratch: number
  readonly convScratchPerThread: number
  /** Bytes for one thread; convNetworkBytes gives them for several. */
  readonly bytes: number
}

/** Bytes of memory a layout needs when `threads` threads each have their own conv scratch. */
export const convNetworkBytes = (layout: ConvNetworkLayout, threads: number): number =>
  layout.bytes + (threads - 1) * layout.convScratchPerThread

/** Byte address of thread `thread`'s conv scratch. */
export const convScratchOf = (layout: ConvNetworkLayout, thread: number): number =>
  layout.convScratch + thread * layout.convScratchPerThread

/**
 * Plans the buffers for `architecture` at batch size `batchSize` with (optionally) a resident training
 * set of `datasetCount` images holding `datasetEntries` nonzero pixels.
 */
export function planConvNetwork(
  architecture: ModelArchitecture,
  batchSize: number,
  datasetCount = 0,
  datasetEntries = 0
): ConvNetworkLayout {
  const B = batchSize
  const allocator = createAllocator()
  const take = allocator.take
  const input = planInputBuffers(take, architecture, B, datasetCount, datasetEntries)
  const csrStride = roundUp(input.inputSize + 8, 4)
  const inputCsr: CsrRows = {
    index: take(B * csrStride * 4),
    value: take(B * csrStride * 4),
    count: take(B * 4),
    stride: csrStride
  }
  const mapBuffers = (width: number, stride: number, zeroMeansNoGradient: boolean): MapBuffers => ({
    values: take(B * stride * 4 + 32),
    grads: take(B * stride * 4 + 32),
    stride,
    width,
    zeroMeansNoGradient
  })
  const parameters = (weightFloats: number, biasFloats: number): ParameterLayout => {
    const w = roundUp(weightFloats, 4)
    const b = roundUp(biasFloats, 4)
    return {
      weight: take(w * 4 + 32),
      bias: take(b * 4 + 32),
      weightGrad: take(w * 4 + 32),
      biasGrad: take(b * 4 + 32),
      weightMoment: take(w * 4),
      biasMoment: take(b * 4),
      weightSquares: take(w * 4),
      biasSquares: take(b * 4),
      weightFloats: w,
      biasFloats: b
    }
  }

  const shapes = inferShapes(architecture) // hidden layers, then the output layer (dense, no activation)
  const inputPlanes = mapBuffers(input.inputSize, input.inputSize, false)
  const stages: StageLayout[] = []
  let scratch = 0
  let current = inputPlanes
  shapes.forEach((shape, i) => {
    const { spec, name, inputShape, outputShape } = shape
    const [C, H, W] = inputShape
    const size = shapeSize(outputShape)
    switch (spec.kind) {
      case 'conv': {
        const geometry = convGeometry({
          batch: B,
          inChannels: C,
          inHeight: H,
          inWidth: W,
          outChannels: spec.filters,
          kernel: spec.kernel,
          stride: spec.stride,
          padding: paddingOf(spec.kernel, spec.padding)
        })
        scratch = Math.max(scratch, convScratchBytes(geometry))
        const k2 = spec.kernel * spec.kernel
        stages.push({
          kind: 'conv',
          name,
          geometry,
          activation: spec.activation,
          parameters: parameters(spec.filters * C * k2, spec.filters),
          sparse: i === 0 && sparseConvSupported(geometry),
          dyMethod: shapes[i + 1]?.spec.kind === 'maxpool' ? 'nonzeros' : 'dense',
          input: current,
          output: (current = mapBuffers(size, size, spec.activation === 'relu'))
        })
        return
      }
      case 'maxpool': {
        const geometry = poolGeometry({
          batch: B,
          channels: C,
          inHeight: H,
          inWidth: W,
          size: spec.size
        })
        const output = mapBuffers(size, size, current.zeroMeansNoGradient)
        stages.push({
          kind: 'maxpool',
          name,
          geometry,
          argmax: take(B * size * 4 + 32),
          input: current,
          output
        })
        current = output
        return
      }
      case 'flatten': {
        // PERF: a no-op unless the dense layers after it need rows padded to 4 floats (150 → 152).
        const stride = roundUp(size, 4)
        const output =
          stride === current.stride
            ? current
            : mapBuffers(size, stride, current.zeroMeansNoGradient)
        stages.push({ kind: 'flatten', name, input: current, output })
        current = output
        return
      }
      case 'dropout': {
        const output = mapBuffers(current.width, current.stride, current.zeroMeansNoGradient)
        stages.push({
          kind: 'dropout',
          name,
          rate: spec.rate,
          mask: take(B * current.stride * 4 + 32),
          input: current,
          output
        })
        current = output
        return
      }
      case 'dense':
        current = pushDense(name, spec.units, spec.activation, i === 0)
        return
    }
  })

  function pushDense(
    name: string,
    units: number,
    activation: LayerActivation,
    first: boolean
  ): MapBuffers {
    const n = first ? input.inputSize : current.stride
    if (!first && n % 4 !== 0) {
      throw new ShapeError(`${name}: a dense layer reads rows of ${n} floats, not a multiple of 4`)
    }
    const layer = planDenseLayer(take, B, current.width, units, n)
    const output: MapBuffers = {
      values: layer.output,
      grads: layer.outputGrad,
      stride: layer.m,
      width: units,
      zeroMeansNoGradient: activation === 'relu'
    }
    stages.push({ kind: 'dense', name, activation, layer, first, input: current, output })
    return output
  }

  // NOTE: last, so that more threads' scratches can follow it (convNetworkBytes).
  const convScratch = take(scratch)
  const bytes = allocator.bytes()
  return {
    ...input,
    inputCsr,
    inputPlanes,
    stages,
    convScratch,
    convScratchPerThread: bytes - convScratch,
    bytes
  }
}
