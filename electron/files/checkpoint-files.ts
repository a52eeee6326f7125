// Runs' checkpoint files on disk: <folder>/<run id>.checkpoints, beside the run records (<id>.json) in
// the data folder's runs/ (or a folder the CLI names), written atomically, read capped and validated.

import { readdir, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { RUN_ID_PATTERN } from '../contract'
import { decodeCheckpoints, encodeCheckpoints, type CheckpointFile } from '../../core'
import { writeFileAtomic } from './atomic-write'
import { ensureDir } from './data-dir'
import { USER_FILES } from './file-limits'
import { readUserFile } from './user-file'

const EXTENSION = '.checkpoints'
/** The ids runs use: letters, digits, - and _, so never a path. */
const ID = RUN_ID_PATTERN

/** The most bytes a run's checkpoints may take (the budget a user can ask for, CLI included). */
export const CHECKPOINT_BUDGET_LIMIT = 1024 * 1024 * 1024

/**
 * A studio run's checkpoints: every ⌈steps / 256⌉ steps at first (electron/worker/time-travel.ts), the spacing
 * doubling as the budget fills (see CheckpointStore). 32 MB holds the seed preset's 100 steps whole
 * (32 KB a state: 3.4 MB with the data order), the mlp preset's 9 375 steps one state in 592 (1.2 MB a
 * state, Adam's m and v included), so a scrub replays at most 591 steps.
 */
export const STUDIO_CHECKPOINT_BUDGET = 32 * 1024 * 1024

export class CheckpointFiles {
  constructor(readonly dir: string) {}

  /** Where run `id`'s checkpoints live. Throws RangeError for an id that is not a run id. */
  path(id: string): string {
    if (!ID.test(id)) throw new RangeError(`not a run id: ${JSON.stringify(id.slice(0, 40))}`)
    return join(this.dir, id + EXTENSION)
  }

  async write(id: string, file: CheckpointFile): Promise<void> {
    await this.writeBytes(id, encodeCheckpoints(file))
  }

  /** Writes run `id`'s checkpoints, already encoded (encodeCheckpoints), atomically. */
  async writeBytes(id: string, bytes: Uint8Array): Promise<void> {
    await ensureDir(this.dir)
    await writeFileAtomic(this.path(id), bytes)
  }

  /** Run `id`'s checkpoints, validated (throws UserFileError or CheckpointFileError). */
  async read(id: string): Promise<CheckpointFile> {
    return decodeCheckpoints(await readUserFile(this.path(id), USER_FILES.checkpoints))
  }

  /** The bytes all runs' checkpoint files take on disk, and how many there are. */
  async usage(): Promise<{ bytes: number; files: number }> {
    const files = await this.files()
    return { bytes: files.reduce((sum, file) => sum + file.bytes, 0), files: files.length }
  }

  /** The ids of the runs that have a checkpoint file (time travel can reach them). */
  async ids(): Promise<string[]> {
    return (await this.names()).map((name) => name.slice(0, -EXTENSION.length))
  }

  /**
   * Deletes the oldest checkpoint files (by when they were last written) until all of them take at
   * most `budgetBytes`, never run `keep`'s (the run going now). Returns the ids deleted, oldest first.
   */
  async keepWithin(budgetBytes: number, keep: string | null): Promise<string[]> {
    const files = await this.files()
    let total = files.reduce((sum, file) => sum + file.bytes, 0)
    const removed: string[] = []
    for (const file of files.sort((a, b) => a.writtenMs - b.writtenMs)) {
      if (total <= budgetBytes) break
      if (file.id === keep) continue
      await this.remove(file.id)
      total -= file.bytes
      removed.push(file.id)
    }
    return removed
  }

  /** Deletes run `id`'s checkpoint file, if it has one (with the run's record). */
  async remove(id: string): Promise<void> {
    await rm(this.path(id), { force: true })
  }

  /** Deletes every run's checkpoint file (the run records stay): the "Clear" of the disk budget. */
  async clear(): Promise<void> {
    for (const name of await this.names()) await rm(join(this.dir, name), { force: true })
  }

  /** Every checkpoint file: its run's id, its size and when it was last written. */
  private async files(): Promise<{ id: string; bytes: number; writtenMs: number }[]> {
    const files = []
    for (const name of await this.names()) {
      const info = await stat(join(this.dir, name)).catch(() => null) // NOTE: deleted meanwhile
      if (info)
        files.push({
          id: name.slice(0, -EXTENSION.length),
          bytes: info.size,
          writtenMs: info.mtimeMs
        })
    }
    return files
  }

  private async names(): Promise<string[]> {
    const names = await readdir(this.dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return []
      throw error
    })
    return names.filter((n) => n.endsWith(EXTENSION) && ID.test(n.slice(0, -EXTENSION.length)))
  }
}
