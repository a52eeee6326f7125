// Checkpoints along a run within a memory budget, and the network at any step: the nearest checkpoint
// at or before it, replayed forward. A run is deterministic on its engine, so the replay is exact.

import type { Sequential } from '../nn/sequential'
import type { SettingChange } from './live-changes'
import type { StepTrainer } from './step-trainer'
import { stateBytes, type TrainerState } from './trainer-state'

export interface CheckpointPolicy {
  /** Steps between checkpoints at the start of a run (the spacing doubles as the budget fills). */
  readonly every: number
  /** The most bytes the kept states may hold together (stateBytes, the data order counted once). */
  readonly budgetBytes: number
  /** The step the run starts from, always kept (a fork's first state; default 0). */
  readonly start?: number
}

/** 64 MB: ~50 checkpoints of the mlp preset (784 → 128 → 10 with Adam: weights, m and v 1.22 MB,
 *  plus 0.24 MB of data order per epoch); over its 5 epochs (9 375 steps) a spacing of 256 steps. */
export const DEFAULT_CHECKPOINT_BUDGET = 64 * 1024 * 1024

/**
 * The kept checkpoints: every `spacing`-th step, step 0 included. The spacing starts at `every` and
 * doubles whenever the states would exceed the budget, which drops every other checkpoint ("keep every
 * 2^k-th"): a run of any length fits the budget, and any step is at most spacing − 1 steps of replay
 * away from a checkpoint. The replay is exact, so thinning loses no step, only time.
 */
export class CheckpointStore {
  private readonly kept: TrainerState[] = []
  private spacingNow: number

  constructor(readonly policy: CheckpointPolicy) {
    const { every, budgetBytes } = policy
    if (!Number.isInteger(every) || every < 1)
      throw new RangeError(`checkpoints: every must be a whole number of steps ≥ 1, got ${every}`)
    if (!(budgetBytes > 0)) throw new RangeError(`checkpoints: the budget must be > 0 bytes`)
    this.spacingNow = every
  }

  /** Steps between kept checkpoints now: every · 2^k. */
  get spacing(): number {
    return this.spacingNow
  }

  /** The steps of the kept checkpoints, in order. */
  get steps(): number[] {
    return this.kept.map((state) => state.step)
  }

  /** The kept states, oldest first. */
  get states(): readonly TrainerState[] {
    return this.kept
  }

  /** Bytes the kept states hold (each distinct data order counted once: an epoch's states share it). */
  get bytes(): number {
    const orders = new Set<Uint32Array>()
    let total = 0
    for (const state of this.kept) {
      total += stateBytes(state)
      if (orders.has(state.order)) total -= state.order.byteLength
      orders.add(state.order)
    }
    return total
  }

  /** Whether the checkpoint of `step` would be kept: capture a state only then (capturing costs). */
  wants(step: number): boolean {
    return this.onSchedule(step, this.spacingNow) && !this.kept.some((state) => state.step === step)
  }

  /**
   * Keeps `state` (when `wants` its step), then thins until the budget holds.
   * Throws RangeError when one state alone exceeds the budget.
   */
  add(state: TrainerState): void {
    if (!this.wants(state.step)) return
    if (stateBytes(state) > this.policy.budgetBytes)
      throw new RangeError(
        `checkpoints: one state is ${stateBytes(state)} bytes, more than the budget of ` +
          `${this.policy.budgetBytes}`
      )
    const previous = this.nearest(state.step - 1)
    const shared = previous && sameValues(previous.order, state.order)
    const kept = shared ? { ...state, order: previous.order } : state
    this.kept.push(kept)
    this.kept.sort((a, b) => a.step - b.step)
    while (this.bytes > this.policy.budgetBytes) {
      this.spacingNow *= 2
      const spacing = this.spacingNow
      const survivors = this.kept.filter((s) => this.onSchedule(s.step, spacing))
      this.kept.splice(0, this.kept.length, ...survivors)
    }
  }

  /** Whether `step` is kept at `spacing`: the run's start, and every spacing-th step. */
  private onSchedule(step: number, spacing: number): boolean {
    return step === (this.policy.start ?? 0) || step % spacing === 0
  }

  /** The latest kept state at or before `step`, or null when there is none. */
  nearest(step: number): TrainerState | null {
    return nearestState(this.kept, step)
  }
}

/**
 * `states` (in step order) with every other one dropped, the first and the last kept:
 * [s₀, s₂, s₄, …, s_last]. What the disk budget does to an old run's file before deleting it: the
 * replay stays exact (any step is replayed from the nearest kept state), only longer, about twice.
 * Two states or fewer are the floor (the run's start and its last saved state: every step stays
 * reachable) and come back as they are.
 */
export function thinCheckpoints<T extends { readonly step: number }>(states: readonly T[]): T[] {
  if (states.length <= 2) return states.slice()
  return states.filter((_, i) => i % 2 === 0 || i === states.length - 1)
}

/**
 * The most steps a scrub or fork replays with checkpoints at `keptSteps` (in step order), on a run
 * whose last step is `lastStep`: the widest gap between kept steps less one (the step before the
 * next checkpoint), or from the last kept step to `lastStep`. 0 when every step is kept.
 */
export function longestReplay(keptSteps: readonly number[], lastStep: number): number {
  let longest = Math.max(0, lastStep - (keptSteps.at(-1) ?? 0))
  for (let i = 1; i < keptSteps.length; i++)
    longest = Math.max(longest, keptSteps[i] - keptSteps[i - 1] - 1)
  return longest
}

/** The latest of `states` (in step order) at or before `step`, or null when there is none. */
export function nearestState(states: readonly TrainerState[], step: number): TrainerState | null {
  let found: TrainerState | null = null
  for (const state of states) if (state.step <= step) found = state
  return found
}

/**
 * Puts `trainer` (built for the run's config, data and engine; it may have moved on) where the run was
 * after `step` steps: restored from the nearest of `states` and stepped forward, with the run's live
 * `changes` (learning rate, momentum) made where the run made them. Returns the steps replayed.
 * Throws RangeError when no checkpoint precedes `step` or the run has no such step.
 * NOTE: a change logged at step s was made after step s − 1 completed (SettingChange.step is the first
 * step trained with it), so it is set just before step s, as live; an epoch's decay then applies to it
 * as it did live. A state already holds the changes made before it (TrainerState.learningRate), and
 * setting a value again is harmless, so only the changes after the checkpoint matter.
 */
export function replayInto(
  trainer: StepTrainer,
  states: readonly TrainerState[],
  step: number,
  changes: readonly SettingChange[] = []
): number {
  const start = nearestState(states, step)
  if (!start) throw new RangeError(`no checkpoint at or before step ${step}`)
  if (!Number.isInteger(step) || step > trainer.totalSteps)
    throw new RangeError(`the run has steps 0 … ${trainer.totalSteps}, not ${step}`)
  trainer.restoreState(start)
  while (trainer.stepsCompleted < step) {
    const next = trainer.stepsCompleted + 1
    for (const change of changes)
      if (change.step === next)
        if (change.setting === 'learningRate') trainer.setLearningRate(change.to)
        else trainer.setMomentum(change.to)
    trainer.step()
  }
  return step - start.step
}

/**
 * A trainer holding the network as it was after `step` steps: restored from the nearest checkpoint and
 * stepped forward. `createTrainer` must build a trainer for the run's config, data and engine.
 * Throws RangeError when no checkpoint precedes `step` or the run has no such step.
 */
export function replayTo(
  checkpoints: CheckpointStore,
  step: number,
  createTrainer: () => StepTrainer
): StepTrainer {
  if (!checkpoints.nearest(step)) throw new RangeError(`no checkpoint at or before step ${step}`)
  const trainer = createTrainer()
  replayInto(trainer, checkpoints.states, step)
  return trainer
}

/** The model as it was after `step` steps (see replayTo): the nearest checkpoint, replayed forward. */
export function modelAt(
  checkpoints: CheckpointStore,
  step: number,
  createTrainer: () => StepTrainer
): Sequential {
  return replayTo(checkpoints, step, createTrainer).model
}

function sameValues(a: Uint32Array, b: Uint32Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i])
}
