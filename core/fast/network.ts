// The fast engine: a working copy of a Sequential in WebAssembly memory, trained by our SIMD kernels.
//
// It computes exactly what Sequential + SoftmaxCrossEntropy compute (same formulas, same order of
// layers), in a different memory layout (layout.ts: Wᵀ, padded rows, sparse CSR inputs) and with the
// sums in a different order, so results agree with the reference up to float32 rounding
// (test/core/train/fast-trainer.test.ts; each kernel: test/core/fast/kernels.test.ts). The canonical
// parameters, W [out, in] row-major, stay in the Sequential: `loadWeights` copies them in,
// `storeWeights` copies them back.
//
// A step is split into phases, each over a range, so that several threads can share one step
// (step-work.ts):
//   forward / loss / backward  over batch ROWS      (each row is independent of the others)
//   gradients (+ the update)   over weight ROWS     (row p of dWᵀ sums over every batch row, in order)
// Whatever the split, every number is computed by the same operations in the same order: one thread
// or two give bit-identical results.

import { assertLabelsBelow, type Dataset } from '../data/dataset'
import { ShapeError } from '../errors'
import { ACTIVATIONS, type ActivationKind } from '../nn/activations'
import type { ModelArchitecture } from '../nn/architecture'
import type { Parameter } from '../nn/layer'
import type { Sequential } from '../nn/sequential'
import type { FusedUpdate } from '../optim/fused-update'
import {
  instantiateKernels,
  kernelsModule,
  type Kernels,
  type WasmMemory,
  type WasmModule
} from '../wasm/runtime'
import { byteCompactionTable, laneCompactionTable, MAX_ENCODED_PIXELS } from './encoding'
import { isPlainSgd, updateRows } from './fused-optimizer'
import { GradientSplits } from './gradient-split'
import { fastDenseForm, planNetwork, type LayerLayout, type NetworkLayout } from './layout'
import { loadWorkingWeights, storeCanonicalWeights, workingParameters } from './working-weights'

/**
 * Where a batch's images come from: the batch's sample indices [B] u32 (batch row r is image
 * samples[r]) into either the resident, pre-encoded training set (`encoded`), or a raw pixel matrix
 * [count, inputSize] u8 at `pixels`; and the labels [count] u8. All are byte addresses.
 */
export interface BatchSource {
  readonly encoded: boolean
  readonly pixels: number
  readonly labels: number
  readonly samples: number
}

/**
 * The fast engine for one architecture and batch size, bound to one WebAssembly memory (see the notes
 * at the top of this file). FastTrainer drives it; threads sharing the memory each have their own.
 */
export class FastNetwork {
  readonly layout: NetworkLayout
  readonly kernels: Kernels
  /**
   * Every trainable parameter in the WORKING layout, in the canonical order (dense1.weight, dense1.bias,
   * …): weights are Wᵀ [n, m] (transposed, padded), so only elementwise optimizers may use these.
   */
  readonly parameters: readonly Parameter[]
  private readonly f32: Float32Array
  private readonly u8: Uint8Array
  private readonly u32: Uint32Array
  private readonly f64: Float64Array
  /** The hidden layers' shared activation. */
  private readonly activation: ActivationKind
  private readonly relu: boolean
  /** How gradientPart's work is cut into parts for threads (and what each weight row costs). */
  readonly gradientSplits: GradientSplits

  /**
   * Binds the engine to `memory`, which must hold at least `planNetwork(...).bytes` bytes (the same
   * arguments give the same layout, so threads sharing a memory agree on every address).
   * Writes nothing: call `initialise()` once per memory (the owning thread), then `loadWeights`.
   * `kernels`: the compiled kernels.wat to run, built for `memory`'s kind (see instantiateKernels).
   */
  constructor(
    readonly architecture: ModelArchitecture,
    batchSize: number,
    readonly memory: WasmMemory,
    datasetCount = 0,
    datasetEntries = 0,
    kernels: WasmModule = kernelsModule()
  ) {
    this.layout = planNetwork(architecture, batchSize, datasetCount, datasetEntries)
    if (memory.buffer.byteLength < this.layout.bytes) {
      throw new ShapeError(
        `FastNetwork: the memory has ${memory.buffer.byteLength} bytes, the layout needs ${this.layout.bytes}`
      )
    }
    this.kernels = instantiateKernels(memory, kernels)
    this.f32 = new Float32Array(memory.buffer)
    this.u8 = new Uint8Array(memory.buffer)
    this.u32 = new Uint32Array(memory.buffer)
    this.f64 = new Float64Array(memory.buffer, 0, Math.floor(memory.buffer.byteLength / 8))
    this.activation = fastDenseForm(architecture).activation
    this.relu = this.activation === 'relu'
    this.gradientSplits = new GradientSplits(this.layout)
    this.parameters = workingParameters(this.f32, this.layout)
  }

  get batchSize(): number {
    return this.layout.batchSize
  }

  /** Writes the constant tables. Once per memory, by the thread that owns it. */
  initialise(): void {
    this.u8.set(byteCompactionTable(), this.layout.compactBytes)
    this.u8.set(laneCompactionTable(), this.layout.compactLanes)
    for (let r = 0; r < this.batchSize; r++) this.u32[(this.layout.inputRows >> 2) + r] = r
  }

  /**
   * Encodes a training set into the resident dataset buffers, once: for each image, the indices (u16)
   * and values (u8) of its nonzero pixels, where `offsets` (from encodedOffsets) says. About 27 MB for
   * MNIST's 60 000 images (47 MB raw): MNIST is 81% zeros.
   */
  loadDataset(dataset: Dataset, offsets: Uint32Array): void {
    const { datasetCount, datasetOffsets, datasetIndices, datasetBytes, datasetLabels, inputSize } =
      this.layout
    if (dataset.count !== datasetCount || dataset.inputSize !== inputSize) {
      throw new ShapeError(
        `FastNetwork: the layout holds ${datasetCount} images of ${inputSize}, got ${dataset.count} of ${dataset.inputSize}`
      )
    }
    if (inputSize > MAX_ENCODED_PIXELS) {
      throw new ShapeError(
        `FastNetwork: images of ${inputSize} pixels; the fast engine holds at most ${MAX_ENCODED_PIXELS}`
      )
    }
    assertLabelsBelow(dataset.labels, this.architecture.outputSize, 'FastNetwork.loadDataset')
    const total = offsets[datasetCount]
    this.u32.set(offsets, datasetOffsets >> 2)
    const indices = new Uint16Array(this.memory.buffer, datasetIndices, total)
    const values = this.u8.subarray(datasetBytes, datasetBytes + total)
    const pixels = dataset.pixels
    let k = 0
    for (let s = 0; s < datasetCount; s++) {
      const base = s * inputSize
      for (let p = 0; p < inputSize; p++) {
        const byte = pixels[base + p]
        if (byte === 0) continue
        indices[k] = p
        values[k] = byte
        k++
      }
    }
    this.u8.set(dataset.labels.subarray(0, datasetCount), datasetLabels)
  }

  /** The resident dataset's order [count] (shuffle it in place; batches are slices of it). */
  get order(): Uint32Array {
    return this.u32.subarray(
      this.layout.order >> 2,
      (this.layout.order >> 2) + this.layout.datasetCount
    )
  }

  /** The batch order[start … start+rows) of the resident dataset. */
  datasetBatch(start: number): BatchSource {
    const { datasetLabels, order } = this.layout
    return { encoded: true, pixels: 0, labels: datasetLabels, samples: order + start * 4 }
  }

  /** Canonical → working (Wᵀ, padded); also clears the optimizer's state (see working-weights.ts). */
  loadWeights(model: Sequential): void {
    loadWorkingWeights(this.f32, this.layout, model)
  }

  /** Working → canonical: W [out, in] and b, into `model` (see working-weights.ts). */
  storeWeights(model: Sequential): void {
    storeCanonicalWeights(this.f32, this.layout, model)
  }

  /**
   * Copies samples order[start … start+rows) of any dataset into the batch input buffers and returns
   * them as a source: for data that is not resident (evaluation, tests).
   */
  setBatch(dataset: Dataset, order: Uint32Array, start: number, rows: number): BatchSource {
    if (rows > this.batchSize)
      throw new ShapeError(`FastNetwork: ${rows} rows exceed the batch size ${this.batchSize}`)
    const { input, inputLabels, inputRows, inputSize } = this.layout
    if (dataset.inputSize !== inputSize)
      throw new ShapeError(
        `FastNetwork: images of ${dataset.inputSize} values, expected ${inputSize}`
      )
    for (let r = 0; r < rows; r++) {
      const sample = order[start + r]
      this.u8.set(
        dataset.pixels.subarray(sample * inputSize, sample * inputSize + inputSize),
        input + r * inputSize
      )
      this.u8[inputLabels + r] = dataset.labels[sample]
    }
    // NOTE: the loss kernel reads the logit at each label: a label ≥ outputSize would read past its row.
    const labels = this.u8.subarray(inputLabels, inputLabels + rows)
    assertLabelsBelow(labels, this.architecture.outputSize, 'FastNetwork.setBatch')
    return { encoded: false, pixels: input, labels: inputLabels, samples: inputRows }
  }

  /** Forward pass for batch rows r0..r1: every layer's output, with each input encoded as CSR rows. */
  forward(source: BatchSource, r0: number, r1: number): void {
    const k = this.kernels
    const { layers, compactBytes, compactLanes, datasetOffsets, datasetIndices, datasetBytes } =
      this.layout
    const first = layers[0]
    if (source.encoded) {
      k.touch_sparse(datasetOffsets, datasetIndices, datasetBytes, source.samples, r0, r1)
      k.gather_sparse(
        datasetOffsets,
        datasetIndices,
        datasetBytes,
        source.samples,
        r0,
        r1,
        first.csrIndex,
        first.csrValue,
        first.csrCount,
        first.csrStride
      )
    } else {
      k.touch_rows(source.pixels, source.samples, r0, r1, first.n)
      k.encode_u8(
        source.pixels,
        source.samples,
        r0,
        r1,
        first.n,
        compactBytes,
        first.csrIndex,
        first.csrValue,
        first.csrCount,
        first.csrStride
      )
    }
    for (let i = 0; i < layers.length; i++) {
      const layer = layers[i]
      const hidden = i + 1 < layers.length
      const fusedRelu = hidden && this.relu ? 1 : 0
      k.sparse_forward(
        r0,
        r1,
        layer.csrStride,
        layer.csrIndex,
        layer.csrValue,
        layer.csrCount,
        layer.weight,
        layer.m,
        layer.bias,
        layer.output,
        fusedRelu
      )
      if (!hidden) break
      if (!this.relu) this.applyActivation(layer, r0, r1)
      const next = layers[i + 1]
      k.encode_f32(
        layer.output,
        r0,
        r1,
        layer.m,
        compactLanes,
        next.csrIndex,
        next.csrValue,
        next.csrCount,
        next.csrStride
      )
    }
  }

  /**
   * Softmax cross-entropy for rows r0..r1 of a `rows`-row batch, the same formulas as
   * SoftmaxCrossEntropy (core/nn/softmax-cross-entropy.ts), by the softmax_cross_entropy kernel:
   * each row's loss and correctness (see rowLoss, rowCorrect), and ∂L/∂z = (p − onehot(y)) / rows.
   */
  loss(source: BatchSource, r0: number, r1: number, rows: number): void {
    const last = this.layout.layers[this.layout.layers.length - 1]
    const { rowShift, rowSum, rowCorrect } = this.layout
    this.kernels.softmax_cross_entropy(
      r0,
      r1,
      last.output,
      last.m,
      last.outFeatures,
      source.labels,
      source.samples,
      last.outputGrad,
      1 / rows,
      rowShift,
      rowSum,
      rowCorrect
    )
  }

  /** Backpropagates ∂L/∂logits of rows r0..r1 down to the first layer's ∂L/∂(pre-activation). */
  backward(r0: number, r1: number): void {
    const k = this.kernels
    const layers = this.layout.layers
    for (let i = layers.length - 1; i > 0; i--) {
      const layer = layers[i]
      const below = layers[i - 1]
      if (this.relu) {
        k.input_grad_relu(
          r0,
          r1,
          layer.n,
          layer.csrStride,
          layer.csrIndex,
          layer.csrCount,
          layer.outputGrad,
          layer.m,
          layer.weight,
          below.outputGrad
        )
      } else {
        k.input_grad_dense(
          r0,
          r1,
          layer.n,
          layer.outputGrad,
          layer.m,
          layer.weight,
          below.outputGrad
        )
        this.applyActivationDerivative(below, r0, r1)
      }
    }
  }

  /**
   * Part `part` of `parts` of layer `layer`'s parameter gradients for a `rows`-row batch ("=", so no
   * zeroing is needed), then, when `update` is given, the optimizer's update of exactly those parameters
   * (fused-optimizer.ts: SGD, momentum or Adam, by SIMD kernels):
   *   dWᵀ[p, :] = Σ_r x[r, p] · dy[r, :]     for this part's weight rows p0 ≤ p < p1
   *   db        = Σ_r dy[r, :]               by part 0
   * PERF: updating rows right after computing their gradient finds them still in cache, and lets
   * threads share the update (every rule is elementwise, so any split is exact).
   * PERF: plain SGD (μ = 0, λ = 0) skips the gradient buffer: each sample adds (−lr·x_p)·dy straight
   * to row p of Wᵀ, the same update up to float32 rounding, without zeroing dWᵀ and a second pass
   * over the weights (MLP's first layer: 111 → 90 µs a step). The weight gradients are then not stored.
   */
  gradientPart(
    layer: number,
    part: number,
    parts: number,
    rows: number,
    update: FusedUpdate | null
  ): void {
    const k = this.kernels
    const l = this.layout.layers[layer]
    const p0 = this.gradientSplits.splitPoint(layer, part, parts)
    const p1 = this.gradientSplits.splitPoint(layer, part + 1, parts)
    const csr = [l.n, l.csrStride, l.csrIndex, l.csrValue, l.csrCount, l.outputGrad, l.m] as const
    if (update && isPlainSgd(update)) {
      k.sparse_weight_grad(0, rows, ...csr, l.weight, p0, p1, -update.learningRate)
      if (part === 0) {
        k.column_sums(0, rows, l.outputGrad, l.m, l.biasGrad)
        k.sgd(l.bias, l.biasGrad, l.m, update.learningRate, 0)
      }
      return
    }
    this.f32.fill(0, (l.weightGrad >> 2) + p0 * l.m, (l.weightGrad >> 2) + p1 * l.m)
    k.sparse_weight_grad(0, rows, ...csr, l.weightGrad, p0, p1, 1)
    if (part === 0) k.column_sums(0, rows, l.outputGrad, l.m, l.biasGrad)
    if (update) updateRows(k, l, p0, p1, part === 0, update)
  }

  /** Loss of batch row r (after `loss`): −log p_y = (max − z_y) + log Σ e^(z − max). */
  rowLoss(r: number): number {
    return (
      this.f64[(this.layout.rowShift >> 3) + r] + Math.log(this.f32[(this.layout.rowSum >> 2) + r])
    )
  }

  /** Whether batch row r was classified correctly (after `loss`). */
  rowCorrect(r: number): boolean {
    return this.u8[this.layout.rowCorrect + r] === 1
  }

  /** Sigmoid or tanh on the real columns of rows r0..r1, in place: y = f(z) (ACTIVATIONS). */
  private applyActivation(layer: LayerLayout, r0: number, r1: number): void {
    const f32 = this.f32
    const { apply } = ACTIVATIONS[this.activation]
    for (let r = r0; r < r1; r++) {
      const row = (layer.output >> 2) + r * layer.m
      for (let j = row; j < row + layer.outFeatures; j++) f32[j] = apply(f32[j])
    }
  }

  /** dx ⊙= f′ in place, with f′ from the cached output y (ACTIVATIONS' inputGrad). */
  private applyActivationDerivative(layer: LayerLayout, r0: number, r1: number): void {
    const f32 = this.f32
    const { inputGrad } = ACTIVATIONS[this.activation]
    for (let r = r0; r < r1; r++) {
      const y = (layer.output >> 2) + r * layer.m
      const d = (layer.outputGrad >> 2) + r * layer.m
      for (let j = 0; j < layer.outFeatures; j++) f32[d + j] = inputGrad(f32[y + j], f32[d + j])
    }
  }
}
