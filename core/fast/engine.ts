// The fast engine as the trainers and evaluation see it, whichever network computes it: FastNetwork for
// plain dense nets (one activation; its steps are tuned for them and can be shared by threads), or
// ConvNetwork for every other layer list (conv, pooling, flatten, dropout, activations per layer).

import { denseForm, type ModelArchitecture } from '../nn/architecture'
import type { Parameter } from '../nn/layer'
import type { Sequential } from '../nn/sequential'
import type { FusedUpdate } from '../optim/fused-update'
import type { SlotName } from '../optim/optimizer'
import { createRng, type Rng } from '../random'
import type { WasmMemory } from '../wasm/runtime'
import type { BatchInput, BatchSource } from './batch-input'
import { ConvNetwork } from './conv-network'
import { convNetworkBytes, planConvNetwork } from './conv-layout'
import type { GradientTask } from './gradient-split'
import { planNetwork } from './layout'
import { FastNetwork } from './network'

/** What a step (step-work.ts), a trainer and an evaluation need of the engine. */
export interface FastEngine {
  readonly memory: WasmMemory
  readonly batchSize: number
  /** The batch's images: the resident training set or pixels given directly. */
  readonly input: BatchInput
  /** Every trainable parameter in the WORKING layout (elementwise optimizers only). */
  readonly parameters: readonly Parameter[]
  /** How the gradient work is cut into tasks (see GradientSplits.tasks). */
  readonly gradientSplits: { tasks(splits: number): readonly GradientTask[] }
  /** Where the logits are after `forward`: [batchSize, stride] f32 from byte address `at`. */
  readonly logits: { readonly at: number; readonly stride: number }
  /** Canonical → working; clears the optimizer's slots. */
  loadWeights(model: Sequential): void
  /** Working → canonical, into `model`. */
  storeWeights(model: Sequential): void
  /** The same copies for one optimizer slot (checkpoints): `model`'s parameters carry its values. */
  loadSlot(slot: SlotName, model: Sequential): void
  storeSlot(slot: SlotName, model: Sequential): void
  /** Called once per training step before its forward passes (dropout draws its masks here). */
  beginStep(rows: number): void
  /** Forward pass of batch rows r0..r1; `training` false for evaluation (no dropout). */
  forward(source: BatchSource, r0: number, r1: number, training?: boolean): void
  loss(source: BatchSource, r0: number, r1: number, rows: number): void
  backward(r0: number, r1: number): void
  gradientPart(
    layer: number,
    part: number,
    parts: number,
    rows: number,
    update: FusedUpdate | null
  ): void
  rowLoss(r: number): number
  rowCorrect(r: number): boolean
}

/** Whether `architecture` runs on FastNetwork (plain dense, one activation) rather than ConvNetwork. */
export const runsOnDenseNetwork = (architecture: ModelArchitecture): boolean =>
  denseForm(architecture) !== null

/**
 * Bytes of memory the engine needs for this net, batch size and resident dataset, when `threads`
 * threads share it (a conv net gives each thread its own scratch; a dense net needs none).
 */
export function fastEngineBytes(
  architecture: ModelArchitecture,
  batchSize: number,
  datasetCount = 0,
  datasetEntries = 0,
  threads = 1
): number {
  if (runsOnDenseNetwork(architecture))
    return planNetwork(architecture, batchSize, datasetCount, datasetEntries).bytes
  const layout = planConvNetwork(architecture, batchSize, datasetCount, datasetEntries)
  return convNetworkBytes(layout, threads)
}

/** Where the engine's extras come from (all optional). */
export interface FastEngineOptions {
  /** Dropout's mask stream, as the reference Trainer's (dropoutMaskRng); unused without dropout. */
  readonly maskRng?: Rng
  /** A resident training set of `datasetCount` images with `datasetEntries` nonzero pixels in all. */
  readonly datasetCount?: number
  readonly datasetEntries?: number
}

/**
 * The engine for `architecture` over `memory` (at least fastEngineBytes(...) bytes), with its constant
 * tables written (once per memory: threads sharing one build theirs over it with the classes directly).
 */
export function createFastEngine(
  architecture: ModelArchitecture,
  batchSize: number,
  memory: WasmMemory,
  { maskRng = createRng(0), datasetCount = 0, datasetEntries = 0 }: FastEngineOptions = {}
): FastEngine {
  const engine = runsOnDenseNetwork(architecture)
    ? new FastNetwork(architecture, batchSize, memory, datasetCount, datasetEntries)
    : new ConvNetwork(architecture, batchSize, memory, maskRng, {
        datasetCount,
        datasetEntries
      })
  engine.input.initialise()
  return engine
}
