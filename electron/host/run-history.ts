// Run history as StudioApi serves it: the stored records, with the run in progress as the recorder has it.

import type { RunRecord, RunSummary, TextFile, TrainingEvent } from '../contract'
import { parseName } from './model-requests'
import { runCsv } from './run-csv'
import { parseRunId, summarizeRun } from './run-file'
import { RunRecorder, type RecorderOptions } from './run-recorder'
import { RunStore } from './run-store'
import { RequestError } from './validation'

export class RunHistory {
  private readonly store: RunStore
  private readonly recorder: RunRecorder
  private readonly warn: (message: string) => void
  /** Settles once records left 'running' by a previous session have been marked 'interrupted'. */
  private readonly ready: Promise<void>

  constructor(dataDir: string, options: RecorderOptions = {}) {
    this.warn = options.warn ?? ((message) => console.warn(message))
    this.store = new RunStore(dataDir)
    // Records left 'running' by a previous session are swept first; new records wait for that.
    this.ready = this.store
      .recover()
      .catch((error: unknown) =>
        this.warn(`Backprop Studio could not check old runs: ${String(error)}`)
      )
    this.recorder = new RunRecorder(this.store, this.ready, { ...options, warn: this.warn })
  }

  /** Every TrainingEvent passes here, so each run is recorded whatever window (if any) is open. */
  record(event: TrainingEvent): void {
    this.recorder.record(event)
  }

  /** Newest first. Damaged files are skipped with a warning (getRun explains them). */
  async list(): Promise<RunSummary[]> {
    await this.settled()
    const { runs, skipped } = await this.store.list()
    for (const { file, reason } of skipped)
      this.warn(`Backprop Studio skipped the run file ${file}: ${reason}`)
    const active = this.recorder.activeRecord()
    if (!active) return runs
    return runs.map((run) => (run.id === active.id ? summarizeRun(active) : run))
  }

  async get(rawId: unknown): Promise<RunRecord> {
    const id = parseRunId(rawId)
    await this.settled()
    const active = this.recorder.activeRecord()
    return active?.id === id ? active : this.store.read(id)
  }

  async rename(rawId: unknown, rawName: unknown): Promise<void> {
    const id = parseRunId(rawId)
    const name = parseName(rawName, 'name')
    if (this.recorder.activeId === id) {
      this.recorder.rename(name) // NOTE: the recorder owns the live record; a direct write would be overwritten
      await this.recorder.idle()
      return
    }
    await this.settled()
    await this.store.write({ ...(await this.store.read(id)), name })
  }

  async remove(rawId: unknown): Promise<void> {
    const id = parseRunId(rawId)
    if (this.recorder.activeId === id)
      throw new RequestError(`run ${id} is still training: stop it before deleting it`)
    await this.settled()
    await this.store.remove(id)
  }

  async csv(rawId: unknown): Promise<TextFile> {
    return runCsv(await this.get(rawId))
  }

  /** The start-up sweep and every write so far are done: the files are what the recorder knows. */
  private async settled(): Promise<void> {
    await this.ready
    await this.recorder.idle()
  }

  /** Saves a run still in progress as 'interrupted' and waits for every write. */
  close(): Promise<void> {
    return this.recorder.close()
  }
}
