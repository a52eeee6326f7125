// The disk budget over every run's checkpoint files (Settings.timeTravelBudgetMB): when they take too
// much, the oldest runs' files are thinned first (every other checkpoint dropped, the first and last
// kept: the run stays explorable, a scrub replays longer), and a file is deleted whole only when
// thinning every one of them to the floor is not enough. The run going now and pinned runs are spared.

import {
  CheckpointFileError,
  encodeCheckpoints,
  thinCheckpoints,
  type CheckpointFile
} from '../../core'
import type { CheckpointFileInfo, CheckpointFiles } from './checkpoint-files'
import { UserFileError } from './user-file'

/** What keepCheckpointsWithin did, oldest run first. */
export interface BudgetOutcome {
  /** Runs whose files were thinned, with the steps of the checkpoints each keeps now. */
  readonly thinned: readonly { readonly id: string; readonly keptSteps: readonly number[] }[]
  /** Runs whose files were deleted. */
  readonly deleted: readonly string[]
}

/** A file the budget may thin: its size after 0, 1, 2… thinnings, down to the floor. */
export interface Thinnable {
  readonly id: string
  /** sizes[k]: its bytes after k thinnings (sizes[0] its size now); the last is the floor's. */
  readonly sizes: readonly number[]
}

/** Which files to delete and how often to thin each of the rest (0: left as it is). */
export interface BudgetPlan {
  readonly deleted: readonly string[]
  readonly thinnings: ReadonlyMap<string, number>
}

/**
 * Keeps every checkpoint file in `files` within `budgetBytes`, never touching those of `spared` (the
 * run going now, pinned runs): see planBudget for the order. Each thinned file is rewritten atomically
 * (a crash leaves the old file or the thinned one, never a broken one) and keeps its age. A file that
 * cannot be read (damaged) cannot be thinned: it is deleted like one at its floor, if need be.
 */
export async function keepCheckpointsWithin(
  files: CheckpointFiles,
  budgetBytes: number,
  spared: ReadonlySet<string>
): Promise<BudgetOutcome> {
  const all = await files.list()
  let total = all.reduce((sum, file) => sum + file.bytes, 0)
  if (total <= budgetBytes) return { thinned: [], deleted: [] }
  const candidates = all.filter((file) => !spared.has(file.id))
  candidates.sort((a, b) => a.writtenMs - b.writtenMs)
  // NOTE: thinning a file means reading it; only as many (oldest first) as thinning them all could
  // need are read. Sizes of the rest count as they are (thinnable no further).
  // PERF: a file is read (validated) twice, to plan and to thin, rather than kept in memory between
  // the two (the files planned may together be as large as the budget). Measured: four 24 MB mlp
  // files against 64 MB (two thinned) took 1.6 s of CPU on the host's thread, in chunks of one file's
  // decoding or encoding (load average 17).
  const thinnable: Thinnable[] = []
  for (const file of candidates) {
    const sizes = total > budgetBytes ? await thinnedSizes(files, file) : [file.bytes]
    total -= sizes[0] - sizes[sizes.length - 1]
    thinnable.push({ id: file.id, sizes })
  }
  const spareBytes = all.reduce((sum, file) => sum + (spared.has(file.id) ? file.bytes : 0), 0)
  const plan = planBudget(thinnable, budgetBytes - spareBytes)
  for (const id of plan.deleted) await files.remove(id)
  const thinned = []
  for (const file of candidates) {
    const times = plan.thinnings.get(file.id) ?? 0
    if (times === 0) continue
    const { checkpoints, states } = await thinnedTimes(files, file.id, times)
    await files.rewriteKeepingAge(file.id, { ...checkpoints, states }, file.writtenMs)
    thinned.push({ id: file.id, keptSteps: states.map((state) => state.step) })
  }
  return { thinned, deleted: plan.deleted }
}

/**
 * How to bring `files` (oldest first) within `budgetBytes`: thin the oldest as often as needed down to
 * its floor, then the next oldest, and so on; when thinning every one to its floor is not enough, delete
 * the oldest first, each deletion letting the rest be thinned less. When even deleting all does not
 * fit (the spared files alone exceed the budget), all are deleted. Pure arithmetic on the sizes.
 */
export function planBudget(files: readonly Thinnable[], budgetBytes: number): BudgetPlan {
  for (let deleting = 0; deleting <= files.length; deleting++) {
    const kept = files.slice(deleting)
    let total = kept.reduce((sum, file) => sum + file.sizes[0], 0)
    const thinnings = new Map<string, number>()
    for (const { id, sizes } of kept) {
      let times = 0
      while (total > budgetBytes && times < sizes.length - 1) {
        total -= sizes[times] - sizes[times + 1]
        times++
      }
      if (times > 0) thinnings.set(id, times)
    }
    if (total <= budgetBytes || deleting === files.length) {
      const deleted = files.slice(0, deleting).map((file) => file.id)
      return { deleted, thinnings }
    }
  }
  throw new Error('unreachable: the last plan deletes every file')
}

/** The file's size after 0, 1, 2… thinnings down to the floor (its size alone if it cannot be read). */
async function thinnedSizes(files: CheckpointFiles, file: CheckpointFileInfo): Promise<number[]> {
  const checkpoints = await readIfValid(files, file.id)
  if (!checkpoints) return [file.bytes]
  const sizes = [file.bytes]
  // NOTE: each thinning of more than 2 states drops at least one, so this ends at the floor.
  for (let states = checkpoints.states; states.length > 2;) {
    states = thinCheckpoints(states)
    sizes.push(encodeCheckpoints({ ...checkpoints, states }).length)
  }
  return sizes
}

/** Run `id`'s checkpoints, and their states thinned `times` times. */
async function thinnedTimes(files: CheckpointFiles, id: string, times: number) {
  const checkpoints = await files.read(id)
  let states = checkpoints.states
  for (let k = 0; k < times; k++) states = thinCheckpoints(states)
  return { checkpoints, states }
}

/** Run `id`'s checkpoints, or null when its file is damaged or too large to read. */
async function readIfValid(files: CheckpointFiles, id: string): Promise<CheckpointFile | null> {
  try {
    return await files.read(id)
  } catch (error) {
    if (error instanceof CheckpointFileError || error instanceof UserFileError) return null
    throw error
  }
}
