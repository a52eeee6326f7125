// The run records on disk, one file per run in <dataDir>/runs/<id>.json, written atomically, read validated.

import { readdir, readFile, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { RunRecord, RunSummary } from '../contract'
import { writeFileAtomic } from '../files/atomic-write'
import { ensureDir } from '../files/data-dir'
import { isRunId, parseRunFile, RunFileError, serializeRun, summarizeRun } from './run-file'

/** Run files larger than this are not ours (20 000 recorded steps are about 3 MB). */
const MAX_RUN_FILE_BYTES = 64 * 1024 * 1024

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

  /** One run, validated. Throws RunFileError when it is missing or damaged. `id` must be a valid run id. */
  async read(id: string): Promise<RunRecord> {
    const path = this.path(id)
    let size: number
    try {
      size = (await stat(path)).size
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        throw new RunFileError(`run ${id}: there is no such run`)
      throw new RunFileError(`run ${id}: cannot read ${path}: ${String(error)}`)
    }
    if (size > MAX_RUN_FILE_BYTES)
      throw new RunFileError(`run ${id}: the file is ${size} bytes, too large to be a run record`)
    return parseRunFile(await readFile(path, 'utf8'), id)
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

  /** At start: a record still 'running' belongs to a session that ended without finishing it. */
  async markInterrupted(): Promise<void> {
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
