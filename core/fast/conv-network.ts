// The fast engine for any layer list (conv, max-pooling, flatten, dropout, dense, an activation per
// layer): a working copy of a Sequential in WebAssembly memory, run stage by stage (stage-passes.ts) by
// our SIMD kernels. Plain dense nets with one activation take FastNetwork (network.ts), whose steps are
// tuned for them; both share the batch input (batch-input.ts), the loss kernel and step-work.ts.
//
// It computes what Sequential + SoftmaxCrossEntropy compute, layer for layer, with the sums in another
// order, so results agree with the reference up to float32 rounding
// (test/core/train/fast-conv-trainer.test.ts). Dropout draws its masks from the same seeded stream, in
// the same order, as the reference's Dropout layers, so both engines drop the same values.
//
// A step's phases, as FastNetwork's: forward / loss / backward over batch ROWS (images), then each
// parameterised stage's gradient over the whole batch with the optimizer's update fused in.

import { ShapeError } from '../errors'
import type { ModelArchitecture } from '../nn/architecture'
import { Conv2D } from '../nn/conv2d'
import { Dense } from '../nn/dense'
import type { Parameter } from '../nn/layer'
import type { Sequential } from '../nn/sequential'
import type { FusedUpdate } from '../optim/fused-update'
import type { SlotName } from '../optim/optimizer'
import type { Rng } from '../random'
import { instantiateMapKernels } from '../wasm/conv-runtime'
import { instantiateKernels, type WasmMemory } from '../wasm/runtime'
import { BatchInput, type BatchSource } from './batch-input'
import { convGradientTasks } from './conv-gradient-tasks'
import { ConvKernelCalls } from './conv-kernel-calls'
import {
  convNetworkBytes,
  convScratchOf,
  planConvNetwork,
  type ConvNetworkLayout,
  type StageLayout
} from './conv-layout'
import type { GradientTask } from './gradient-split'
import { stageBackward, stageForward, stageGradient, type StageContext } from './stage-passes'
import { slotBuffers } from './working-slots'
import { loadDenseWeights, storeDenseWeights, workingDenseParameters } from './working-weights'

/** What ConvNetwork may be given besides its net, batch size, memory and mask stream. */
export interface ConvNetworkOptions {
  /** A resident training set of `datasetCount` images holding `datasetEntries` nonzero pixels. */
  readonly datasetCount?: number
  readonly datasetEntries?: number
  /** Which thread this engine runs on (its conv scratch); 0 unless threads share the memory. */
  readonly thread?: number
}

/** The fast engine for a layer list, bound to one WebAssembly memory (see the notes above). */
export class ConvNetwork {
  readonly layout: ConvNetworkLayout
  readonly input: BatchInput
  /** Every trainable parameter in the working layout, in the canonical order (conv1.weight, …). */
  readonly parameters: readonly Parameter[]
  /** The gradient tasks: per parameterised stage, or half of a large one's filters or weight rows (conv-gradient-tasks.ts). */
  readonly gradientSplits: { tasks(splits: number): readonly GradientTask[] }
  private readonly context: StageContext
  private readonly f64: Float64Array
  private readonly u8: Uint8Array
  /** The stages with parameters, in order (their index in gradientPart's `layer`). */
  private readonly weighted: readonly StageLayout[]

  /**
   * Binds the engine to `memory` (at least convNetworkBytes(planConvNetwork(...), threads) bytes).
   * `maskRng` draws dropout's masks (the reference Trainer's stream; unused without dropout). Writes
   * nothing: call `input.initialise()` once per memory, then `loadWeights`. Threads sharing a memory
   * each bind their own ConvNetwork to it with their own `thread` (0 … threads − 1): its conv scratch.
   */
  constructor(
    readonly architecture: ModelArchitecture,
    batchSize: number,
    readonly memory: WasmMemory,
    private readonly maskRng: Rng,
    { datasetCount = 0, datasetEntries = 0, thread = 0 }: ConvNetworkOptions = {}
  ) {
    this.layout = planConvNetwork(architecture, batchSize, datasetCount, datasetEntries)
    const needed = convNetworkBytes(this.layout, thread + 1)
    if (memory.buffer.byteLength < needed) {
      throw new ShapeError(
        `ConvNetwork: the memory has ${memory.buffer.byteLength} bytes, the layout needs ${needed}`
      )
    }
    const kernels = instantiateKernels(memory)
    const f32 = new Float32Array(memory.buffer)
    this.context = {
      layout: this.layout,
      kernels,
      conv: new ConvKernelCalls(memory),
      map: instantiateMapKernels(memory),
      f32,
      scratch: convScratchOf(this.layout, thread)
    }
    this.input = new BatchInput(this.layout, memory, kernels, architecture.outputSize)
    this.u8 = new Uint8Array(memory.buffer)
    this.f64 = new Float64Array(memory.buffer, 0, Math.floor(memory.buffer.byteLength / 8))
    this.weighted = this.layout.stages.filter((s) => s.kind === 'conv' || s.kind === 'dense')
    const taskLists = new Map<number, readonly GradientTask[]>()
    this.gradientSplits = {
      tasks: (splits) => {
        if (!taskLists.has(splits)) taskLists.set(splits, convGradientTasks(this.weighted, splits))
        return taskLists.get(splits)!
      }
    }
    this.parameters = this.weighted.flatMap((stage) => workingParameters(f32, stage))
  }

  get batchSize(): number {
    return this.layout.batchSize
  }

  /** Where the logits are after `forward`: the output layer's [B, m]. */
  get logits(): { readonly at: number; readonly stride: number } {
    const last = this.layout.stages[this.layout.stages.length - 1]
    return { at: last.output.values, stride: last.output.stride }
  }

  /** Canonical → working (conv weights as they are, dense ones as Wᵀ); clears the optimizer's state. */
  loadWeights(model: Sequential): void {
    this.loadStages(this.weighted, model)
  }

  /** Working → canonical, into `model`. */
  storeWeights(model: Sequential): void {
    this.storeStages(this.weighted, model)
  }

  /** Canonical → working for an optimizer slot: `model`'s parameters become the slot (working-slots.ts). */
  loadSlot(slot: SlotName, model: Sequential): void {
    this.loadStages(this.slotStages(slot), model)
  }

  /** Working → canonical for an optimizer slot, into `model`'s parameters (a scratch model). */
  storeSlot(slot: SlotName, model: Sequential): void {
    this.storeStages(this.slotStages(slot), model)
  }

  /**
   * Draws this step's dropout masks for a batch of `rows` rows, before its forward pass: for each
   * dropout stage in order, rows × width values in row-major order, as the reference's layers draw them.
   */
  beginStep(rows: number): void {
    const f32 = this.context.f32
    for (const stage of this.layout.stages) {
      if (stage.kind !== 'dropout') continue
      const scale = 1 / (1 - stage.rate)
      const { width, stride } = stage.input
      for (let r = 0; r < rows; r++) {
        const at = (stage.mask >> 2) + r * stride
        for (let j = 0; j < width; j++) f32[at + j] = this.maskRng() < stage.rate ? 0 : scale
      }
    }
  }

  /**
   * Forward pass for batch rows r0..r1, from the batch's pixels to the logits. `training`: dropout
   * applies the masks of beginStep (evaluation passes values through).
   */
  forward(source: BatchSource, r0: number, r1: number, training = true): void {
    const { stages, inputCsr, inputPlanes } = this.layout
    const first = stages[0]
    const csr =
      first.kind === 'dense'
        ? {
            index: first.layer.csrIndex,
            value: first.layer.csrValue,
            count: first.layer.csrCount,
            stride: first.layer.csrStride
          }
        : inputCsr
    this.input.encode(source, r0, r1, csr)
    if (first.kind !== 'dense' && !(first.kind === 'conv' && first.sparse))
      this.input.scatter(csr, r0, r1, inputPlanes.values)
    for (const stage of stages) stageForward(this.context, stage, r0, r1, training)
  }

  /** Softmax cross-entropy for rows r0..r1 of a `rows`-row batch (see FastNetwork.loss). */
  loss(source: BatchSource, r0: number, r1: number, rows: number): void {
    const last = this.layout.stages[this.layout.stages.length - 1]
    if (last.kind !== 'dense') throw new ShapeError('ConvNetwork: the last stage must be dense')
    const l = last.layer
    const { rowShift, rowSum, rowCorrect } = this.layout
    this.context.kernels.softmax_cross_entropy(
      r0,
      r1,
      l.output,
      l.m,
      l.outFeatures,
      source.labels,
      source.samples,
      l.outputGrad,
      1 / rows,
      rowShift,
      rowSum,
      rowCorrect
    )
  }

  /** Backpropagates ∂L/∂logits of rows r0..r1 through every stage (the first computes no ∂L/∂input). */
  backward(r0: number, r1: number): void {
    const stages = this.layout.stages
    for (let i = stages.length - 1; i >= 0; i--)
      stageBackward(this.context, stages[i], r0, r1, i > 0)
  }

  /**
   * Part `part` of `parts` of parameterised stage `layer`'s gradients over `rows` rows, then its update
   * (a conv stage cut in parts by filters, a dense one by weight rows: see conv-gradient-tasks.ts).
   */
  gradientPart(
    layer: number,
    part: number,
    parts: number,
    rows: number,
    update: FusedUpdate | null
  ): void {
    stageGradient(this.context, this.weighted[layer], rows, update, { part, parts })
  }

  /** Loss of batch row r (after `loss`): −log p_y = (max − z_y) + log Σ e^(z − max). */
  rowLoss(r: number): number {
    return (
      this.f64[(this.layout.rowShift >> 3) + r] +
      Math.log(this.context.f32[(this.layout.rowSum >> 2) + r])
    )
  }

  /** Whether batch row r was classified correctly (after `loss`). */
  rowCorrect(r: number): boolean {
    return this.u8[this.layout.rowCorrect + r] === 1
  }

  private loadStages(stages: readonly StageLayout[], model: Sequential): void {
    const layers = weightedLayers(model)
    stages.forEach((stage, i) => {
      const layer = layers[i]
      if (stage.kind === 'dense' && layer instanceof Dense)
        loadDenseWeights(this.context.f32, stage.layer, layer)
      else if (stage.kind === 'conv' && layer instanceof Conv2D) this.loadConv(stage, layer)
      else
        throw new ShapeError(`ConvNetwork: ${stage.name} does not match the model's ${layer.name}`)
    })
  }

  private storeStages(stages: readonly StageLayout[], model: Sequential): void {
    const layers = weightedLayers(model)
    const f32 = this.context.f32
    stages.forEach((stage, i) => {
      const layer = layers[i]
      if (stage.kind === 'dense' && layer instanceof Dense)
        storeDenseWeights(f32, stage.layer, layer)
      else if (stage.kind === 'conv' && layer instanceof Conv2D) {
        const { weight, bias } = stage.parameters
        layer.weight.data.set(f32.subarray(weight >> 2, (weight >> 2) + layer.weight.data.length))
        layer.bias.data.set(f32.subarray(bias >> 2, (bias >> 2) + layer.bias.data.length))
      }
    })
  }

  /** The parameterised stages with slot's buffers in place of the parameters'. */
  private slotStages(slot: SlotName): StageLayout[] {
    return this.weighted.map((stage) => {
      if (stage.kind === 'dense') return { ...stage, layer: slotBuffers(stage.layer, slot) }
      if (stage.kind === 'conv')
        return { ...stage, parameters: slotBuffers(stage.parameters, slot) }
      return stage
    })
  }

  private loadConv(stage: Extract<StageLayout, { kind: 'conv' }>, layer: Conv2D): void {
    const f32 = this.context.f32
    const p = stage.parameters
    for (const [at, floats] of [
      [p.weight, p.weightFloats],
      [p.bias, p.biasFloats],
      [p.weightMoment, p.weightFloats],
      [p.biasMoment, p.biasFloats],
      [p.weightSquares, p.weightFloats],
      [p.biasSquares, p.biasFloats]
    ])
      f32.fill(0, at >> 2, (at >> 2) + floats)
    f32.set(layer.weight.data, p.weight >> 2)
    f32.set(layer.bias.data, p.bias >> 2)
  }
}

/** The model's layers with parameters, in order: the stages with parameters match them one to one. */
function weightedLayers(model: Sequential): (Conv2D | Dense)[] {
  return model.layers.filter((l): l is Conv2D | Dense => l instanceof Conv2D || l instanceof Dense)
}

/** A parameterised stage's working parameters (conv: [O, C, k, k] as is; dense: Wᵀ, see working-weights.ts). */
function workingParameters(f32: Float32Array, stage: StageLayout): Parameter[] {
  if (stage.kind === 'dense') return workingDenseParameters(f32, stage.layer, stage.name)
  if (stage.kind !== 'conv') return []
  const p = stage.parameters
  const view = (at: number, floats: number): Float32Array =>
    f32.subarray(at >> 2, (at >> 2) + floats)
  const name = stage.name
  return [
    {
      name: `${name}.weight`,
      shape: [p.weightFloats],
      data: view(p.weight, p.weightFloats),
      grad: view(p.weightGrad, p.weightFloats),
      decays: true
    },
    {
      name: `${name}.bias`,
      shape: [p.biasFloats],
      data: view(p.bias, p.biasFloats),
      grad: view(p.biasGrad, p.biasFloats),
      decays: false
    }
  ]
}
