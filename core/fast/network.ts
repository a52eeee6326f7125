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

import type { Dataset } from '../data/dataset'
import { ShapeError } from '../errors'
import { ACTIVATIONS, type ActivationKind } from '../nn/activations'
import type { ModelArchitecture } from '../nn/architecture'
import type { Parameter } from '../nn/layer'
import type { Sequential } from '../nn/sequential'
import type { FusedUpdate } from '../optim/fused-update'
import type { SlotName } from '../optim/optimizer'
import { instantiateKernels, type Kernels, type WasmMemory } from '../wasm/runtime'
import { BatchInput, type BatchSource } from './batch-input'
import { denseGradientPart } from './dense-gradient'
import { GradientSplits } from './gradient-split'
import { fastDenseForm, planNetwork, type LayerLayout, type NetworkLayout } from './layout'
import { loadWorkingSlot, storeCanonicalSlot } from './working-slots'
import { loadWorkingWeights, storeCanonicalWeights, workingParameters } from './working-weights'

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
  /** The batch's images: the resident training set or pixels given directly. */
  readonly input: BatchInput
  private readonly f32: Float32Array
  private readonly u8: Uint8Array
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
   */
  constructor(
    readonly architecture: ModelArchitecture,
    batchSize: number,
    readonly memory: WasmMemory,
    datasetCount = 0,
    datasetEntries = 0
  ) {
    this.layout = planNetwork(architecture, batchSize, datasetCount, datasetEntries)
    if (memory.buffer.byteLength < this.layout.bytes) {
      throw new ShapeError(
        `FastNetwork: the memory has ${memory.buffer.byteLength} bytes, the layout needs ${this.layout.bytes}`
      )
    }
    this.kernels = instantiateKernels(memory)
    this.f32 = new Float32Array(memory.buffer)
    this.input = new BatchInput(this.layout, memory, this.kernels, architecture.outputSize)
    this.u8 = new Uint8Array(memory.buffer)
    this.f64 = new Float64Array(memory.buffer, 0, Math.floor(memory.buffer.byteLength / 8))
    this.activation = fastDenseForm(architecture).activation
    this.relu = this.activation === 'relu'
    this.gradientSplits = new GradientSplits(this.layout)
    this.parameters = workingParameters(this.f32, this.layout)
  }

  get batchSize(): number {
    return this.layout.batchSize
  }

  /** Writes the constant tables. Once per memory, by the thread that owns it (see BatchInput). */
  initialise(): void {
    this.input.initialise()
  }

  /** Encodes a training set into the resident dataset buffers, once (see BatchInput.loadDataset). */
  loadDataset(dataset: Dataset, offsets: Uint32Array): void {
    this.input.loadDataset(dataset, offsets)
  }

  /** The resident dataset's order [count] (shuffle it in place; batches are slices of it). */
  get order(): Uint32Array {
    return this.input.order
  }

  /** The batch order[start … start+rows) of the resident dataset. */
  datasetBatch(start: number): BatchSource {
    return this.input.datasetBatch(start)
  }

  /** Copies samples order[start … start+rows) of any dataset into the batch input (evaluation, tests). */
  setBatch(dataset: Dataset, order: Uint32Array, start: number, rows: number): BatchSource {
    return this.input.setBatch(dataset, order, start, rows)
  }

  /** Where the logits are after `forward`: the last layer's output [B, m]. */
  get logits(): { readonly at: number; readonly stride: number } {
    const last = this.layout.layers[this.layout.layers.length - 1]
    return { at: last.output, stride: last.m }
  }

  /** Nothing to prepare per step (no dropout in the dense form); see FastEngine.beginStep. */
  beginStep(): void {}

  /** Canonical → working (Wᵀ, padded); also clears the optimizer's state (see working-weights.ts). */
  loadWeights(model: Sequential): void {
    loadWorkingWeights(this.f32, this.layout, model)
  }

  /** Working → canonical: W [out, in] and b, into `model` (see working-weights.ts). */
  storeWeights(model: Sequential): void {
    storeCanonicalWeights(this.f32, this.layout, model)
  }

  /** Canonical → working for an optimizer slot: `model`'s parameters become the slot (working-slots.ts). */
  loadSlot(slot: SlotName, model: Sequential): void {
    loadWorkingSlot(this.f32, this.layout, slot, model)
  }

  /** Working → canonical for an optimizer slot, into `model`'s parameters (a scratch model). */
  storeSlot(slot: SlotName, model: Sequential): void {
    storeCanonicalSlot(this.f32, this.layout, slot, model)
  }

  /** Forward pass for batch rows r0..r1: every layer's output, with each input encoded as CSR rows. */
  forward(source: BatchSource, r0: number, r1: number): void {
    const k = this.kernels
    const { layers, compactLanes } = this.layout
    const first = layers[0]
    const csr = {
      index: first.csrIndex,
      value: first.csrValue,
      count: first.csrCount,
      stride: first.csrStride
    }
    this.input.encode(source, r0, r1, csr)
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
   * (the PERF notes on fusing are at denseGradientPart, dense-gradient.ts).
   */
  gradientPart(
    layer: number,
    part: number,
    parts: number,
    rows: number,
    update: FusedUpdate | null
  ): void {
    const p0 = this.gradientSplits.splitPoint(layer, part, parts)
    const p1 = this.gradientSplits.splitPoint(layer, part + 1, parts)
    const l = this.layout.layers[layer]
    denseGradientPart(this.kernels, this.f32, l, p0, p1, part === 0, rows, update)
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

export type { BatchSource } from './batch-input'
