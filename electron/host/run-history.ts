// Run history as StudioApi serves it: the stored records, with the run in progress as the recorder has it.

import { longestReplay, type HealthSample } from '../../core'
import {
  StudioError,
  type RunRecord,
  type RunSummary,
  type TextFile,
  type TrainingEvent
} from '../contract'
import { runCsv } from './run-csv'
import { RunFileError, summarizeRun } from './run-file'
import { RunRecorder, type RecorderOptions } from './run-recorder'
import { RunStore } from './run-store'

export class RunHistory {
  private readonly store: RunStore
  private readonly recorder: RunRecorder
  private readonly warn: (message: string) => void
  /** Settles once records left 'running' by a previous session have been marked 'interrupted'. */
  private readonly ready: Promise<void>
  /** The health of the last finished run asked for (see health). */
  private lastHealth: { id: string; samples: readonly HealthSample[] } | null = null

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

  /** The id of the run being recorded now, or null between runs. */
  get activeId(): string | null {
    return this.recorder.activeId
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

  /** Ids and names arrive parsed (electron/host/arguments.ts): a run id can name no other file. */
  async get(id: string): Promise<RunRecord> {
    await this.settled()
    const active = this.recorder.activeRecord()
    return active?.id === id ? active : this.store.read(id)
  }

  /**
   * Run `id`'s health samples (RunRecord.health): the run in progress's as recorded so far, another's
   * from its file. PERF: scrubbing asks again and again, so the last file's are kept (a finished run's
   * health no longer changes).
   */
  async health(id: string): Promise<readonly HealthSample[]> {
    const active = this.recorder.activeRecord()
    if (active?.id === id) return active.health
    if (this.lastHealth?.id !== id) this.lastHealth = { id, samples: (await this.get(id)).health }
    return this.lastHealth.samples
  }

  async rename(id: string, name: string): Promise<void> {
    if (this.recorder.activeId === id) {
      this.recorder.rename(name) // NOTE: the recorder owns the live record; a direct write would be overwritten
      await this.recorder.idle()
      return
    }
    await this.settled()
    await this.store.write({ ...(await this.store.read(id)), name })
  }

  async setPinned(id: string, pinned: boolean): Promise<void> {
    if (this.recorder.activeId === id) {
      this.recorder.setPinned(pinned) // NOTE: as rename: the recorder owns the live record
      await this.recorder.idle()
      return
    }
    await this.settled()
    await this.store.write({ ...(await this.store.read(id)), pinned })
  }

  /** The ids of the pinned runs (whose time-travel data the disk budget never touches). */
  async pinnedIds(): Promise<Set<string>> {
    await this.settled()
    const { runs } = await this.store.list() // NOTE: not list(), which warns of damaged files each time
    return new Set(runs.filter((run) => run.pinned).map((run) => run.id))
  }

  /** Notes in run `id`'s record that the disk budget deleted its checkpoints. */
  noteTimeTravelDropped(id: string): Promise<void> {
    return this.amend(id, () => ({ timeTravelDropped: true }))
  }

  /**
   * Notes in run `id`'s record that the disk budget thinned its checkpoints to those of `keptSteps`
   * (in order), and how long a scrub may now replay: up to the next kept step, or the run's last.
   */
  noteTimeTravelThinned(id: string, keptSteps: readonly number[]): Promise<void> {
    return this.amend(id, (record) => ({
      timeTravelThinned: { longestReplay: longestReplay(keptSteps, record.steps) }
    }))
  }

  /** Rewrites run `id`'s record with `change`; a run without a record (a CLI run's checkpoints) or
   *  the run in progress is left alone. */
  private async amend(
    id: string,
    change: (record: RunRecord) => Partial<RunRecord>
  ): Promise<void> {
    if (this.recorder.activeId === id) return
    await this.settled()
    let record: RunRecord
    try {
      record = await this.store.read(id)
    } catch (error) {
      if (error instanceof RunFileError) return
      throw error
    }
    await this.store.write({ ...record, ...change(record) })
  }

  async remove(id: string): Promise<void> {
    if (this.recorder.activeId === id) {
      throw new StudioError({
        code: 'run-in-progress',
        message: `run ${id} is still training: stop it before deleting it`
      })
    }
    await this.settled()
    await this.store.remove(id)
    if (this.lastHealth?.id === id) this.lastHealth = null
  }

  async csv(id: string): Promise<TextFile> {
    return runCsv(await this.get(id))
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
