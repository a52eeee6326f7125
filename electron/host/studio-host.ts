// StudioHost: the Node side of StudioApi. Owns the training worker, the run history and the settings,
// checks every request, and replaces a crashed worker. Plain Node (no electron import): Electron IPC
// and browser mode both use it.

import { join } from 'node:path'
import { healthAt } from '../../core'
import { StudioError, type StudioInfo, type TrainingEvent } from '../contract'
import { keepCheckpointsWithin } from '../files/checkpoint-budget'
import { CheckpointFiles, STUDIO_CHECKPOINT_BUDGET } from '../files/checkpoint-files'
import { CurrentRunTracker } from './current-run'
import { checkGradientRequestFits } from './model-requests'
import { RunHistory } from './run-history'
import { parseWindowBounds, SettingsStore, type WindowBounds } from './settings-store'
import {
  forwardedToWorker,
  untrustedCalls,
  type UntrustedCalls,
  type VerbImplementations
} from './untrusted-calls'
import { silenceAllowedMs, type WorkerLoad } from './worker-deadline'
import { WorkerLink } from './worker-link'

export interface StudioHostOptions {
  /** The built worker entry, e.g. out/main/train-worker.js. */
  readonly workerPath: string
  readonly mode: StudioInfo['mode']
  readonly version: string
  /** Where runs and settings live (Electron's userData folder; see data-dir.ts). Created on demand. */
  readonly dataDir: string
}

type Listener = (event: TrainingEvent) => void

/**
 * The host: every StudioApi call with untrusted arguments (host.startTraining(anything)), checked by the
 * verb table's argument kinds before anything is posted to the worker or touches a file, plus the
 * training events. Errors are StudioErrors whose messages name the field.
 */
export type StudioHost = Host & UntrustedCalls

class Host {
  private link: WorkerLink
  private readonly listeners = new Set<Listener>()
  private readonly history: RunHistory
  private readonly settings: SettingsStore
  /** Runs' checkpoint files, beside their records in <dataDir>/runs. */
  private readonly checkpoints: CheckpointFiles
  private readonly currentRun = new CurrentRunTracker()
  /** The model the worker holds and the batch it trains with: how long it may be silent. */
  private load: WorkerLoad | null = null
  /** Starts posted to the worker and not answered yet. */
  private starts = 0
  /** The last check of the time-travel disk budget (keepTimeTravelWithinBudget). */
  private trimming: Promise<void> = Promise.resolve()
  private closed = false

  constructor(private readonly options: StudioHostOptions) {
    this.history = new RunHistory(options.dataDir)
    this.settings = new SettingsStore(options.dataDir)
    this.checkpoints = new CheckpointFiles(join(options.dataDir, 'runs'))
    this.link = this.spawnWorker()
    // NOTE: the calls are derived from the verb table, so they are assigned rather than written out;
    // the StudioHost type (above) declares them. A crash replaces `this.link`: read it at each call.
    Object.assign(this, untrustedCalls(this.implementations(), { datasets: () => this.link.ready }))
  }

  /**
   * What each verb does once its arguments are parsed. The worker's verbs are posted to it as they
   * are, except those the host adds to (a pace to remember, a parameter that must exist).
   */
  private implementations(): VerbImplementations {
    return {
      ...forwardedToWorker((verb, args) => this.link.request(verb, args)),

      getInfo: async () => {
        const { train, test } = await this.link.ready
        return { version: this.options.version, mode: this.options.mode, train, test }
      },

      // ── training ──
      startTraining: async (config, options = {}) => {
        // NOTE: a start in flight counts as a run in progress, so two windows pressing Start at once
        // do not both begin one (the second would silently end the first).
        if (!options.replace && (this.starts > 0 || this.currentRun.inProgress())) {
          throw new StudioError({
            code: 'run-in-progress',
            message:
              'a run is already in progress (perhaps started in another window): stop it first, ' +
              'or start again to replace it'
          })
        }
        this.starts++
        this.expectLoad(config.architecture, config.batchSize)
        try {
          // The host's setting decides, unless the start says otherwise.
          const autoPause = options.autoPause ?? (await this.settings.get()).autoPause
          await this.link.request('startTraining', [config, { ...options, autoPause }])
        } finally {
          this.starts--
        }
        this.currentRun.setPace(options.pace ?? null)
      },
      resetTraining: async (config) => {
        this.expectLoad(config.architecture, config.batchSize)
        await this.link.request('resetTraining', [config])
      },
      updateTraining: async (update) => {
        await this.link.request('updateTraining', [update])
        if (update.pace !== undefined) this.currentRun.setPace(update.pace)
      },
      getCurrentRun: async () => this.currentRun.current(),

      // ── the current model ──
      checkGradients: async (request) => {
        const model = await this.link.request('getModel', [])
        checkGradientRequestFits(request, model.architecture)
        return this.link.request('checkGradients', [request])
      },

      // ── run history ──
      listRuns: () => this.history.list(),
      getRun: (id) => this.history.get(id),
      renameRun: (id, name) => this.history.rename(id, name),
      deleteRun: async (id) => {
        await this.history.remove(id)
        await this.checkpoints.remove(id)
      },
      exportRunCsv: (id) => this.history.csv(id),
      healthAtStep: async ({ runId, step }) => healthAt(await this.history.health(runId), step),
      pinRun: async (id, pinned) => {
        await this.history.setPinned(id, pinned)
        // NOTE: an unpinned run's data counts again: the budget may now thin or delete it.
        if (!pinned) await this.keepTimeTravelWithinBudget(null)
      },
      getTimeTravelUsage: async () => ({
        ...(await this.checkpoints.usage(await this.history.pinnedIds())),
        budgetBytes: await this.timeTravelBudgetBytes()
      }),
      // NOTE: Clear leaves pinned runs' data: a pin says "keep this", and a learner who wants a pinned
      // run's data gone unpins it first (Runs says how many pinned runs Clear leaves).
      clearTimeTravel: async () => this.checkpoints.clear(await this.history.pinnedIds()),
      listTimeTravelRuns: () => this.checkpoints.ids(),

      // ── settings ──
      getSettings: () => this.settings.get(),
      updateSettings: async (patch) => {
        const settings = await this.settings.update(patch)
        // NOTE: the run going now follows the setting at once (a new run reads it as it starts).
        if (patch.autoPause !== undefined && this.currentRun.inProgress())
          await this.link.request('updateTraining', [{ autoPause: patch.autoPause }])
        if (patch.timeTravelBudgetMB !== undefined) await this.keepTimeTravelWithinBudget(null)
        return settings
      }
    }
  }

  private async timeTravelBudgetBytes(): Promise<number> {
    return (await this.settings.get()).timeTravelBudgetMB * 1024 * 1024
  }

  /**
   * Keeps every run's time-travel data within the disk budget (keepCheckpointsWithin): the oldest runs'
   * checkpoint files are thinned first, then deleted (their records say so), leaving room for the run
   * starting now, `starting`, to fill its own budget (STUDIO_CHECKPOINT_BUDGET). The run in progress's
   * file and pinned runs' are never touched. Checked when a run starts (so the files stay within the
   * budget while it saves), when the budget changes and when a run is unpinned. One at a time.
   */
  private keepTimeTravelWithinBudget(starting: string | null): Promise<void> {
    this.trimming = this.trimming
      .then(async () => {
        const room = starting === null ? 0 : STUDIO_CHECKPOINT_BUDGET
        const budget = (await this.timeTravelBudgetBytes()) - room
        const spared = await this.history.pinnedIds()
        for (const id of [starting, this.history.activeId]) if (id !== null) spared.add(id)
        const { thinned, deleted } = await keepCheckpointsWithin(this.checkpoints, budget, spared)
        for (const { id, keptSteps } of thinned)
          await this.history.noteTimeTravelThinned(id, keptSteps)
        for (const id of deleted) await this.history.noteTimeTravelDropped(id)
      })
      .catch((error: unknown) =>
        console.warn(`Backprop Studio could not keep time-travel data within its budget:`, error)
      )
    return this.trimming
  }

  /** For Electron main only (not part of StudioApi): where to put the window at start. */
  windowBounds(): Promise<WindowBounds | null> {
    return this.settings.windowBounds()
  }

  /** For Electron main only: remembers the window's bounds for the next start. */
  async saveWindowBounds(bounds: unknown): Promise<void> {
    await this.settings.saveWindowBounds(parseWindowBounds(bounds))
  }

  onTrainingEvent(listener: Listener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Stops the worker for good (app quit, server shutdown), after saving a run in progress as interrupted. */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.listeners.clear()
    await Promise.allSettled([this.history.close(), this.settings.idle(), this.trimming])
    await this.link.close()
  }

  /**
   * Kills the worker as a crash would. Only for tests of the crash path; nothing in the app calls it.
   * @internal
   */
  async killWorkerForTesting(): Promise<void> {
    await this.link.kill()
  }

  private spawnWorker(): WorkerLink {
    this.load = null // a fresh worker holds the default model
    return new WorkerLink(
      this.options.workerPath,
      {
        onEvent: (event) => this.forward(event),
        onCrash: (reason, wasReady) => this.recover(reason, wasReady)
      },
      {
        silenceAllowedMs: () => silenceAllowedMs(this.load),
        workerData: { checkpointDir: this.checkpoints.dir }
      }
    )
  }

  /**
   * Remembers the largest work the worker may be busy with: a run's model is built before its 'started'
   * event, and a loaded model keeps the batch size last trained with.
   */
  private expectLoad(architecture: WorkerLoad['architecture'], batchSize?: number): void {
    this.load = { architecture, batchSize: batchSize ?? this.load?.batchSize ?? 1 }
  }

  /** Reports a crash as `failed`, and starts a fresh worker first so that the user can start again at once. */
  private recover(reason: string, wasReady: boolean): void {
    if (this.closed) return
    // NOTE: a worker that dies before it is ready (missing file, unreadable dataset) would die again;
    // restarting it in a loop helps nobody, so that is reported and left for the next getInfo to show.
    if (wasReady) this.link = this.spawnWorker()
    const step = this.currentRun.activeStep()
    this.forward({
      type: 'failed',
      message:
        `The training worker stopped unexpectedly (${reason}). ` +
        (wasReady ? 'A fresh one has been started: start a new run.' : 'Restart Backprop Studio.'),
      step
    })
  }

  private forward(event: TrainingEvent): void {
    if (event.type === 'started') {
      this.expectLoad(event.config.architecture, event.config.batchSize)
      void this.keepTimeTravelWithinBudget(event.runId)
    }
    if (event.type === 'modelLoaded') this.expectLoad(event.model.architecture)
    this.currentRun.record(event)
    this.history.record(event)
    for (const listener of this.listeners) listener(event)
  }
}

/** NOTE: Host's instances carry the derived calls (see its constructor); this is where their type is said. */
export const StudioHost = Host as new (options: StudioHostOptions) => StudioHost
