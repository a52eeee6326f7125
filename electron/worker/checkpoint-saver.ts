// Writes a run's checkpoints while it trains, so that a worker killed or a studio closed mid-run keeps
// the checkpoints taken so far: the run can be scrubbed and forked after a restart, up to the last save.

import { encodeCheckpoints, type CheckpointFile } from '../../core'
import type { CheckpointFiles } from '../files/checkpoint-files'
import type { Clock } from './throttle'

/** Never two saves of a run closer together than this (a small net's states change every few steps). */
export const CHECKPOINT_SAVE_MIN_INTERVAL_MS = 1_000
/** At most this share of a run's time goes to saving its checkpoints (see CheckpointSaver). */
export const CHECKPOINT_SAVE_COST_SHARE = 0.05

/** What one save cost: its bytes and its time. */
export interface CheckpointSave {
  readonly bytes: number
  /** Encoding the file: the part that holds up training (between two steps). */
  readonly encodeMs: number
  /** From the start of encoding to the rename: the write itself runs beside training (libuv's
   *  threads), and this includes waiting for the run's loop to yield. */
  readonly ms: number
  /** The latest step the file holds. */
  readonly step: number
}

/**
 * Saves a run's kept checkpoints as they change: each save rewrites the whole file atomically (a
 * temporary file, flushed, then renamed over the old one), so the file on disk is always a complete,
 * CRC-checked checkpoint file: the previous save's until the rename, the new one after it.
 * NOTE: whole rewrites rather than an append-only log, because the kept states are thinned as the
 * budget fills (every other one dropped), which an append-only log would have to compact anyway; and
 * the file stays within the run's budget (32 MB), so a rewrite is cheap. Its cost is bounded by
 * time: a save is due once the kept states have changed, no sooner than max(1 s, 20 × the last
 * encoding's time) after the previous one ended, so saving holds training up at most 5 % of its
 * time, and a crash loses at most the last few seconds' checkpoints (later steps replay from the
 * last one saved anyway).
 */
export class CheckpointSaver {
  /** The changes of the kept states saved last (-1: none yet). */
  private savedVersion = -1
  private dueAt = 0
  private writing: Promise<void> | null = null
  /** Every save so far, for measurements. */
  readonly saves: CheckpointSave[] = []

  constructor(
    private readonly files: CheckpointFiles,
    private readonly runId: string,
    /** The kept states now, and a number that changes whenever they do. */
    private readonly kept: () => { file: CheckpointFile; version: number },
    private readonly clock: Clock = () => performance.now(),
    private readonly warn: (message: string) => void = (message) => console.warn(message)
  ) {}

  /** Between steps: starts a save in the background when one is due (cheap when none is). */
  saveIfDue(): void {
    if (this.writing || this.clock() < this.dueAt) return
    this.writing = this.save().finally(() => (this.writing = null))
  }

  /** The run has ended: waits for a save in flight, then saves what changed since. */
  async finish(): Promise<void> {
    await this.writing
    await this.save()
  }

  private async save(): Promise<void> {
    const { file, version } = this.kept()
    if (version === this.savedVersion || file.states.length === 0) return
    const started = this.clock()
    try {
      const bytes = encodeCheckpoints(file)
      const encodeMs = this.clock() - started
      await this.files.writeBytes(this.runId, bytes)
      const ms = this.clock() - started
      this.saves.push({ bytes: bytes.length, encodeMs, ms, step: file.states.at(-1)!.step })
      this.savedVersion = version
      // NOTE: the encoding's time is what training loses; the write's wall time also counts the
      // run's loop not yielding, so it would space saves by the run's pace rather than their cost.
      this.dueAt =
        this.clock() +
        Math.max(CHECKPOINT_SAVE_MIN_INTERVAL_MS, encodeMs / CHECKPOINT_SAVE_COST_SHARE)
    } catch (error) {
      // NOTE: a full disk must not stop training; the next save tries again (no sooner than 1 s).
      this.dueAt = this.clock() + CHECKPOINT_SAVE_MIN_INTERVAL_MS
      this.warn(`checkpoints of run ${this.runId} not saved: ${String(error)}`)
    }
  }
}
