// The fast trainer: the same run as Trainer (same init, same data order, same formulas, same metrics)
// computed by the WebAssembly SIMD engine in core/fast/ (helper threads may share its steps: electron/parallel/).

import type { Dataset } from '../data/dataset'
import { encodedOffsets } from '../fast/encoding'
import { createFastEngine, fastEngineBytes, type FastEngine } from '../fast/engine'
import { FastNetwork } from '../fast/network'
import { serialWork, type WorkSharing } from '../fast/step-work'
import { Sequential } from '../nn/sequential'
import { createRng, type SeededRng } from '../random'
import { createMemory, type WasmMemory } from '../wasm/runtime'
import type { TrainConfig } from './config'
import { MinibatchTrainer, type BatchOutcome } from './minibatch-trainer'
import { dropoutMaskRng } from './trainer'
import {
  captureSlots,
  findSlot,
  type NamedValues,
  type SlotValues,
  type TrainerState
} from './trainer-state'

export interface FastTrainerOptions {
  /** Who runs the chunks of each step: this thread alone (default) or helper threads too. */
  readonly work?: WorkSharing
  /** The memory to build the engine in (shared with the helper threads, if any; at least
   *  fastEngineBytes(architecture, batchSize, trainSet.count, encodedOffsets(trainSet)[count])). */
  readonly memory?: WasmMemory
  /** encodedOffsets(trainSet), when the caller has already computed it. */
  readonly datasetOffsets?: Uint32Array
}

/**
 * Trains exactly like Trainer, step for step, but on the fast engine (core/fast/network.ts):
 * same initial weights (built by Sequential from config.seed), same shuffled order, same loss and metrics.
 * Results match Trainer's up to float32 rounding (sums run in a different order), and are identical
 * from run to run, and with or without helper threads.
 *
 * NOTE: the weights live in the engine's working layout while training. `model` returns the Sequential
 * holding the canonical weights (W [out, in]), copied back from the working layout when it is read:
 * read `trainer.model` after a step (the object stays the same; its arrays are refreshed on access).
 * PERF: the optimizer's update runs as SIMD kernels inside the gradient pass (its fusedStep); an
 * optimizer without one runs its own `step` over the working copies.
 */
export class FastTrainer extends MinibatchTrainer {
  /** FastNetwork for plain dense nets, ConvNetwork for every other layer list (see engine.ts). */
  readonly network: FastEngine
  protected override readonly engine = 'fast'
  /** Dropout's masks, the same stream as the reference Trainer's (kept here so a checkpoint holds it). */
  protected override readonly dropoutRng: SeededRng
  private readonly canonical: Sequential
  private canonicalStale = false
  private readonly work: WorkSharing
  /** The plan of the step in progress: which chunks of rows and weight rows go to which thread. */
  private plan: ReturnType<WorkSharing['beginStep']> | null = null

  constructor(
    config: TrainConfig,
    trainSet: Dataset,
    { work = serialWork, memory, datasetOffsets }: FastTrainerOptions = {}
  ) {
    super(config, trainSet) // throws ConfigError when the config does not fit the data
    this.work = work
    this.dropoutRng = dropoutMaskRng(config.seed)
    this.canonical = new Sequential(config.architecture, config.init, createRng(config.seed))
    // PERF: the training set is encoded once into the engine's memory (nonzero pixels only: 27 MB for
    // MNIST, ~0.1 s), so a step gathers its images' pixel lists instead of copying and scanning bytes.
    const offsets = datasetOffsets ?? encodedOffsets(trainSet)
    const { count } = trainSet
    const entries = offsets[count]
    const { architecture, batchSize } = config
    this.network = createFastEngine(
      architecture,
      batchSize,
      memory ?? createMemory(fastEngineBytes(architecture, batchSize, count, entries), false),
      {
        maskRng: this.dropoutRng,
        datasetCount: count,
        datasetEntries: entries
      }
    )
    this.network.loadWeights(this.canonical)
    this.network.input.loadDataset(trainSet, offsets)
    const order = this.network.input.order
    for (let i = 0; i < order.length; i++) order[i] = i
    if (this.network instanceof FastNetwork)
      this.network.gradientSplits.setRowWeights(0, pixelOccupancy(trainSet))
  }

  /** The model with the current weights (copied back from the working layout when they changed). */
  get model(): Sequential {
    if (this.canonicalStale) {
      this.network.storeWeights(this.canonical)
      this.canonicalStale = false
    }
    return this.canonical
  }

  protected get order(): Uint32Array {
    return this.network.input.order
  }

  /**
   * Job 1, shared out by batch rows: forward, loss and backward for every row of the batch: the
   * resident images order[start …], or their warped copies `augmented` when augmentation is on.
   * PERF: augmented images are copied in and encoded per step (encode_u8) instead of gathered from the
   * pre-encoded training set; see docs/performance.md for what that costs.
   */
  protected forward(start: number, rows: number, augmented: Uint8Array | null): BatchOutcome {
    const net = this.network
    const batch = augmented
      ? net.input.setPixels(augmented, start, rows)
      : net.input.datasetBatch(start)
    net.beginStep(rows)
    this.plan = this.work.beginStep(rows)
    this.work.run({ kind: 'rows', chunks: this.plan.rowChunks, rows, source: batch }, net)
    let totalLoss = 0
    let correct = 0
    for (let r = 0; r < rows; r++) {
      totalLoss += net.rowLoss(r)
      if (net.rowCorrect(r)) correct++
    }
    return { loss: totalLoss / rows, correct }
  }

  /** Job 2, shared out by weight rows: gradients, with the optimizer's update fused in when it can be. */
  protected update(rows: number): void {
    const net = this.network
    const update = this.optimizer.fusedStep?.() ?? null
    this.work.run({ kind: 'gradients', splits: this.plan!.gradientSplits, rows, update }, net)
    if (!update) this.optimizer.step(net.parameters)
    this.canonicalStale = true
  }

  // Checkpoints: the parameters and the optimizer's slots, through a canonical Sequential (the engine
  // copies a slot as it copies the weights: working-slots.ts).

  protected override captureValues(): { parameters: NamedValues[]; slots: SlotValues[] } {
    const parameters = this.model.parameters().map((p) => ({ name: p.name, data: p.data.slice() }))
    const scratch = this.scratchModel()
    const slots = captureSlots(this.optimizer, parameters, (slot) => {
      this.network.storeSlot(slot, scratch)
      return scratch.parameters().map((p) => p.data)
    })
    return { parameters, slots }
  }

  protected override restoreValues(state: TrainerState): void {
    this.canonical.parameters().forEach((p, i) => p.data.set(state.parameters[i].data))
    this.network.loadWeights(this.canonical) // clears the slots
    this.canonicalStale = false
    const scratch = this.scratchModel()
    for (const slot of this.optimizer.slotNames) {
      for (const p of scratch.parameters())
        p.data.set(findSlot(state, slot, p.name) ?? new Float32Array(p.data.length))
      this.network.loadSlot(slot, scratch)
    }
  }

  /** A model of the same net to carry a slot's values in the canonical layout. */
  private scratchModel(): Sequential {
    return new Sequential(this.config.architecture, this.config.init, createRng(0))
  }
}

/** How often each pixel is nonzero in (up to) the first 2 000 images: the cost of its gradient row. */
function pixelOccupancy(dataset: Dataset): Float64Array {
  const counts = new Float64Array(dataset.inputSize)
  const images = Math.min(dataset.count, 2000)
  for (let i = 0; i < images * dataset.inputSize; i++)
    if (dataset.pixels[i] !== 0) counts[i % dataset.inputSize]++
  for (let p = 0; p < counts.length; p++) counts[p] += 1 // every row costs something, even an empty one
  return counts
}
