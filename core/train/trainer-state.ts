// A trainer's whole state between two steps: enough to go on later, in a fresh trainer, with exactly the
// steps the original would have taken (a checkpoint, the start of a fork).

import { ConfigError } from '../errors'
import type { Optimizer, SlotName } from '../optim/optimizer'
import type { TrainConfig } from './config'
import type { DivergenceWatchState } from './divergence'

/** Which engine computed a run. Each is deterministic, but the two differ by float32 rounding, so a
 *  state replays exactly only on the engine that captured it. */
export type TrainingEngine = 'reference' | 'fast'

/** One parameter's values, named as the model file names them ('dense1.weight', 'conv1.bias', …). */
export interface NamedValues {
  readonly name: string
  readonly data: Float32Array
}

/** One optimizer slot of one parameter (SGD's velocity, Adam's m or v), in the canonical layout. */
export interface SlotValues extends NamedValues {
  readonly slot: SlotName
}

/**
 * Everything a step depends on that earlier steps changed:
 *   the parameters, the optimizer's slots and step count, the live hyperparameters,
 *   the schedule position, the data order (reshuffled in place each epoch, so it carries every earlier
 *   shuffle), the positions of the random streams (data order, dropout masks) and what the divergence
 *   check has seen of the losses (its smoothed loss).
 * Augmentation needs nothing here: its warps are drawn from a stream derived from (seed, step).
 * The config itself is not stored: a state is restored into a trainer built from the run's config.
 */
export interface TrainerState {
  readonly engine: TrainingEngine
  /** Steps completed; the next step is step + 1. */
  readonly step: number
  /** The epoch the next step belongs to (1-based) and how many of its batches are done. */
  readonly epoch: number
  readonly batchInEpoch: number
  readonly samplesSeen: number
  readonly learningRate: number
  /** SGD's momentum μ; null for Adam. */
  readonly momentum: number | null
  /** Every parameter in the model's order (Sequential.parameters()), canonical layout (W [out, in]). */
  readonly parameters: readonly NamedValues[]
  readonly optimizerKind: TrainConfig['optimizer']['kind']
  /** Adam's t (0 for SGD). */
  readonly optimizerSteps: number
  /** The slots that are not all zeros (a missing slot is zeros: plain SGD never touches its velocity). */
  readonly slots: readonly SlotValues[]
  /** The training set's visiting order after the shuffles so far: a permutation of 0 … count − 1. */
  readonly order: Uint32Array
  /** mulberry32 states of the data-order and dropout streams (SeededRng.position()). */
  readonly orderStream: number
  readonly dropoutStream: number
  readonly divergence: DivergenceWatchState
}

/** Bytes a state holds in memory (and, within a few hundred bytes of names, on disk). */
export function stateBytes(state: TrainerState): number {
  const arrays = [...state.parameters, ...state.slots]
  return arrays.reduce((sum, a) => sum + a.data.byteLength, state.order.byteLength)
}

/** The optimizer's slots for `params` (valuesOf(slot): canonical layout, params' order), leaving out
 *  the all-zero ones. */
export function captureSlots(
  optimizer: Optimizer,
  params: readonly NamedValues[],
  valuesOf: (slot: SlotName) => readonly Float32Array[]
): SlotValues[] {
  return optimizer.slotNames.flatMap((slot) =>
    valuesOf(slot).flatMap((data, i) =>
      data.some((x) => x !== 0) ? [{ slot, name: params[i].name, data: data.slice() }] : []
    )
  )
}

/**
 * Checks that `state` can go into a trainer whose parameters are `params` with `optimizer`: same
 * engine, same parameter names and sizes, same optimizer kind, slots that exist. Throws ConfigError.
 */
export function checkStateFits(
  state: TrainerState,
  engine: TrainingEngine,
  params: readonly NamedValues[],
  optimizerKind: TrainConfig['optimizer']['kind'],
  optimizer: Optimizer
): void {
  const fail = (problem: string): never => {
    throw new ConfigError('resume', `the checkpoint at step ${state.step} ${problem}`)
  }
  if (state.engine !== engine)
    fail(`was computed by the ${state.engine} engine; replay it on that engine (this is ${engine})`)
  if (state.optimizerKind !== optimizerKind)
    fail(`was taken with ${state.optimizerKind}, not ${optimizerKind}`)
  if (state.parameters.length !== params.length)
    fail(`has ${state.parameters.length} parameters, this model ${params.length}`)
  state.parameters.forEach((p, i) => {
    const expected = params[i]
    if (p.name !== expected.name || p.data.length !== expected.data.length)
      fail(
        `holds ${p.name} [${p.data.length}] where this model has ${expected.name} [${expected.data.length}]`
      )
  })
  for (const s of state.slots) {
    const p = params.find((q) => q.name === s.name)
    if (!optimizer.slotNames.includes(s.slot) || !p || p.data.length !== s.data.length)
      fail(`holds an optimizer slot ${s.slot} for ${s.name} that this optimizer has no place for`)
  }
}

/** The slot's values in `state`, or null when it is all zeros (not stored). */
export function findSlot(state: TrainerState, slot: SlotName, name: string): Float32Array | null {
  return state.slots.find((s) => s.slot === slot && s.name === name)?.data ?? null
}
