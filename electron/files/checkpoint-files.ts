// Runs' checkpoint files on disk: <folder>/<run id>.checkpoints, beside the run records (<id>.json) in
// the data folder's runs/ (or a folder the CLI names), written atomically, read capped and validated.

import { readdir, rm, stat, utimes } from 'node:fs/promises'
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

/** A run's checkpoint file on disk. */
export interface CheckpointFileInfo {
  readonly id: string
  readonly bytes: number
  /** When it was last written (its mtime): the disk budget thins and deletes the oldest first. */
  readonly writtenMs: number
}

/** What the checkpoint files take: all of them, and the pinned runs' among them. */
export interface CheckpointUsage {
  readonly bytes: number
  readonly files: number
  readonly pinnedBytes: number
  readonly pinnedFiles: number
}

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

  /** The bytes all runs' checkpoint files take on disk and how many there are, and of those the
   *  `pinned` runs'. */
  async usage(pinned: ReadonlySet<string> = new Set()): Promise<CheckpointUsage> {
    const files = await this.list()
    const sum = (some: CheckpointFileInfo[]) => some.reduce((total, file) => total + file.bytes, 0)
    const pinnedFiles = files.filter((file) => pinned.has(file.id))
    return {
      bytes: sum(files),
      files: files.length,
      pinnedBytes: sum(pinnedFiles),
      pinnedFiles: pinnedFiles.length
    }
  }

  /** The ids of the runs that have a checkpoint file (time travel can reach them). */
  async ids(): Promise<string[]> {
    return (await this.names()).map((name) => name.slice(0, -EXTENSION.length))
  }

  /**
   * Replaces run `id`'s checkpoints with `file` (thinned: fewer states), atomically, and keeps the
   * file's age: its last-written time stays `writtenMs`, so the budget still counts it as old as it was.
   */
  async rewriteKeepingAge(id: string, file: CheckpointFile, writtenMs: number): Promise<void> {
    await this.write(id, file)
    const written = new Date(writtenMs)
    await utimes(this.path(id), written, written)
  }

  /** Deletes run `id`'s checkpoint file, if it has one (with the run's record). */
  async remove(id: string): Promise<void> {
    await rm(this.path(id), { force: true })
  }

  /**
   * Deletes every run's checkpoint file but those of `spared` (the pinned runs'; the run records stay):
   * the "Clear" of the disk budget.
   */
  async clear(spared: ReadonlySet<string> = new Set()): Promise<void> {
    for (const { id } of await this.list()) if (!spared.has(id)) await this.remove(id)
  }

  /** Every checkpoint file: its run's id, its size and when it was last written. */
  async list(): Promise<CheckpointFileInfo[]> {
    const files: CheckpointFileInfo[] = []
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
