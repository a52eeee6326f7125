// The run records on disk, one file per run in <dataDir>/runs/<id>.json, written atomically, read validated.

import { readdir, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { RunRecord, RunSummary } from '../contract'
import { removeInterruptedWrites, writeFileAtomic } from '../files/atomic-write'
import { ensureDir } from '../files/data-dir'
import { USER_FILES } from '../files/file-limits'
import { readUserText, UserFileError } from '../files/user-file'
import { isRunId, parseRunFile, RunFileError, serializeRun, summarizeRun } from './run-file'

/** A run file listRuns skipped, and why. */
export interface SkippedRun {
  readonly file: string
  readonly reason: string
}

interface CachedSummary {
  readonly mtimeMs: number
  readonly size: number
  readonly summary: RunSummary
}

export class RunStore {
  readonly dir: string
  /** PERF: listing parses every file; a file whose size and time are unchanged is not parsed again. */
  private readonly summaries = new Map<string, CachedSummary>()

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'runs')
  }

  /** Every readable run, newest first, and the files that were skipped with the reason. */
  async list(): Promise<{ runs: RunSummary[]; skipped: SkippedRun[] }> {
    const runs: RunSummary[] = []
    const skipped: SkippedRun[] = []
    for (const id of await this.ids()) {
      try {
        runs.push(await this.summary(id))
      } catch (error) {
        skipped.push({
          file: this.path(id),
          reason: error instanceof Error ? error.message : String(error)
        })
      }
    }
    runs.sort((a, b) => b.startedAt.localeCompare(a.startedAt) || a.id.localeCompare(b.id))
    return { runs, skipped }
  }

  /**
   * One run, validated. Throws RunFileError when it is missing, not a regular file (a folder or a FIFO
   * named like a run), too large or damaged. `id` must be a valid run id.
   */
  async read(id: string): Promise<RunRecord> {
    let text: string
    try {
      text = await readUserText(this.path(id), USER_FILES.run)
    } catch (error) {
      if (!(error instanceof UserFileError)) throw error
      if (error.problem.kind === 'missing')
        throw new RunFileError(`run ${id}: there is no such run`)
      throw new RunFileError(`run ${id}: ${error.message}`)
    }
    return parseRunFile(text, id)
  }

  async write(record: RunRecord): Promise<void> {
    await ensureDir(this.dir)
    await writeFileAtomic(this.path(record.id), serializeRun(record))
  }

  async remove(id: string): Promise<void> {
    try {
      await rm(this.path(id))
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        throw new RunFileError(`run ${id}: there is no such run`)
      throw error
    }
    this.summaries.delete(id)
  }

  /**
   * At start: temporary files left by writes a crash interrupted are removed, and a record still
   * 'running' belongs to a session that ended without finishing it: it is marked 'interrupted'.
   */
  async recover(): Promise<void> {
    await removeInterruptedWrites(this.dir)
    for (const id of await this.ids()) {
      let record: RunRecord
      try {
        record = await this.read(id)
      } catch {
        continue // NOTE: damaged files are left as they are for listRuns to report
      }
      if (record.status === 'running') await this.write({ ...record, status: 'interrupted' })
    }
  }

  private async summary(id: string): Promise<RunSummary> {
    const { mtimeMs, size } = await stat(this.path(id))
    const cached = this.summaries.get(id)
    if (cached && cached.mtimeMs === mtimeMs && cached.size === size) return cached.summary
    const summary = summarizeRun(await this.read(id))
    this.summaries.set(id, { mtimeMs, size, summary })
    return summary
  }

  /** The ids of the run files present (temporary files of interrupted writes are not runs). */
  private async ids(): Promise<string[]> {
    let names: string[]
    try {
      names = await readdir(this.dir)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
      throw error
    }
    return names
      .filter((name) => name.endsWith('.json') && isRunId(name.slice(0, -5)))
      .map((name) => name.slice(0, -5))
  }

  /** NOTE: safe only for ids that passed parseRunId / isRunId: they cannot hold '/', '\\' or '..'. */
  private path(id: string): string {
    if (!isRunId(id)) throw new RunFileError(`not a run id: ${JSON.stringify(id)}`)
    return join(this.dir, `${id}.json`)
  }
}
