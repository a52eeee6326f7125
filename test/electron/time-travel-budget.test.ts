// The disk budget of time-travel data across runs (issue 18 item 1): when a run starts or the budget
// changes, the oldest runs' checkpoint files are thinned first, then deleted, never the run going
// now's nor a pinned run's, and their records say so.

import { mkdirSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CheckpointStore, createTrainer, PRESETS, type TrainConfig } from '../../core'
import type { RunRecord } from '../../electron/contract'
import { CheckpointFiles, STUDIO_CHECKPOINT_BUDGET } from '../../electron/files/checkpoint-files'
import { loadMnist } from '../../electron/files/datasets'
import { RunStore } from '../../electron/host/run-store'
import { StudioHost } from '../../electron/host/studio-host'
import { EventLog } from './support/event-log'
import { requireBuiltWorker } from './support/paths'
import { tempDir } from './support/temp-dir'

const MB = 1024 * 1024

const record = (
  id: string,
  startedAt: string,
  config: TrainConfig = PRESETS.seed.config,
  steps = 1
): RunRecord => ({
  id,
  name: `run ${id}`,
  status: 'completed',
  startedAt,
  durationSeconds: 1,
  steps,
  totalSteps: steps,
  finalTestAccuracy: 0.5,
  finalTestLoss: 1,
  config,
  changes: [],
  divergence: null,
  parent: null,
  timeTravelDropped: false,
  timeTravelThinned: null,
  pinned: false,
  metrics: [],
  evaluations: [],
  failure: null,
  health: []
})

describe('the time-travel disk budget', () => {
  it('deletes the oldest runs’ checkpoints first, keeps the new run’s, and marks the records', async () => {
    const dataDir = tempDir()
    const runs = join(dataDir, 'runs')
    mkdirSync(runs, { recursive: true })
    const store = new RunStore(dataDir)
    // Oldest first: a CLI run's checkpoints (no record), then runs a, b and c. The files' contents do
    // not matter to the budget (only their sizes and ages).
    const files: [string, number][] = [
      ['cli-old', 10],
      ['a', 30],
      ['b', 30],
      ['c', 30]
    ]
    for (const [i, [id, megabytes]] of files.entries()) {
      if (id !== 'cli-old') await store.write(record(id, `2026-01-0${i + 1}T00:00:00.000Z`))
      const path = join(runs, `${id}.checkpoints`)
      writeFileSync(path, new Uint8Array(megabytes * MB))
      const written = new Date(Date.UTC(2026, 0, i + 1))
      utimesSync(path, written, written)
    }
    const host = new StudioHost({
      workerPath: requireBuiltWorker(),
      mode: 'browser',
      version: 'test',
      dataDir
    })
    const log = new EventLog((listener) => host.onTrainingEvent(listener))
    const dropped = async () =>
      Object.fromEntries((await host.listRuns()).map((run) => [run.id, run.timeTravelDropped]))
    try {
      expect(await host.getTimeTravelUsage()).toEqual({
        bytes: 100 * MB,
        files: 4,
        budgetBytes: 512 * MB,
        pinnedBytes: 0, // no run is pinned
        pinnedFiles: 0
      })
      expect((await host.getSettings()).timeTravelBudgetMB).toBe(512)

      // 64 MB: the CLI run's 10 MB and run a's 30 MB go (100 → 60 MB).
      await host.updateSettings({ timeTravelBudgetMB: 64 })
      expect(await host.getTimeTravelUsage()).toEqual({
        bytes: 60 * MB,
        files: 2,
        budgetBytes: 64 * MB,
        pinnedBytes: 0,
        pinnedFiles: 0
      })
      expect(await dropped()).toEqual({ a: true, b: false, c: false })
      expect((await host.getRun('a')).metrics).toEqual([]) // the record stays, charts and all

      // A new run needs room for its own 32 MB: run b goes too; the new run's file is kept.
      await host.startTraining(PRESETS.seed.config)
      const { runId } = await log.waitFor('started')
      expect(await log.waitForEnd()).toMatchObject({ type: 'finished' })
      await expect.poll(async () => (await host.getTimeTravelUsage()).files).toBe(2)
      const usage = await host.getTimeTravelUsage()
      expect(usage.bytes).toBeLessThanOrEqual(64 * MB)
      expect(usage.bytes).toBeGreaterThan(30 * MB) // c and the new run
      expect(await dropped()).toEqual({ a: true, b: true, c: false, [runId]: false })
      expect(64 * MB - STUDIO_CHECKPOINT_BUDGET).toBeGreaterThanOrEqual(30 * MB) // why c stayed
      await expect(host.networkAtStep({ runId, step: 50 })).resolves.toMatchObject({ step: 50 })

      await expect(host.updateSettings({ timeTravelBudgetMB: 10 })).rejects.toMatchObject({
        code: 'invalid-request'
      })
    } finally {
      log.dispose()
      await host.close()
    }
  }, 60_000)

  it('thins old runs before deleting them, keeps them explorable, and never touches a pinned run', async () => {
    // The mlp preset's first 20 steps, every one kept: 21 states of 1.22 MB, a 26 MB file. Four runs
    // have it (oldest first: a, p, b, c), 104 MB against a budget of 64 MB, p pinned.
    const config: TrainConfig = { ...PRESETS.mlp.config, batchCount: 20, epochs: 1 }
    const trainer = createTrainer(config, (await loadMnist()).train, 'fast')
    const store = new CheckpointStore({ every: 1, budgetBytes: 1e9 })
    store.add(trainer.captureState())
    while (!trainer.done) {
      trainer.step()
      store.add(trainer.captureState())
    }
    const dataDir = tempDir()
    const runs = join(dataDir, 'runs')
    const files = new CheckpointFiles(runs)
    const records = new RunStore(dataDir)
    for (const [i, id] of ['a', 'p', 'b', 'c'].entries()) {
      await records.write(record(id, `2026-01-0${i + 1}T00:00:00.000Z`, config, 20))
      await files.write(id, { config, states: store.states })
      const written = new Date(Date.UTC(2026, 0, i + 1))
      utimesSync(files.path(id), written, written)
    }
    const whole = (await files.usage()).bytes / 4
    const host = new StudioHost({
      workerPath: requireBuiltWorker(),
      mode: 'browser',
      version: 'test',
      dataDir
    })
    const summaries = async () => Object.fromEntries((await host.listRuns()).map((r) => [r.id, r]))
    try {
      await expect(host.pinRun('p', 'yes' as unknown as boolean)).rejects.toMatchObject({
        code: 'invalid-request',
        field: 'pinned'
      })
      await host.pinRun('p', true)
      expect((await summaries()).p.pinned).toBe(true)
      const before = await host.networkAtStep({ runId: 'a', step: 13 })
      expect(before.replayedSteps).toBe(0)

      await host.updateSettings({ timeTravelBudgetMB: 64 })
      const usage = await host.getTimeTravelUsage()
      expect(usage).toMatchObject({ files: 4, pinnedFiles: 1, pinnedBytes: whole })
      expect(usage.bytes).toBeLessThanOrEqual(64 * MB)
      const after = await summaries()
      // a to its floor (steps 0 and 20: a scrub replays up to 19 steps), then b as far as needed.
      expect(after.a.timeTravelThinned).toEqual({ longestReplay: 19 })
      expect(after.b.timeTravelThinned?.longestReplay).toBeGreaterThan(0)
      expect(after.c.timeTravelThinned).toBeNull()
      expect(after.p).toMatchObject({ pinned: true, timeTravelThinned: null })
      expect(Object.values(after).every((run) => !run.timeTravelDropped)).toBe(true)
      expect((await files.read('p')).states).toHaveLength(21)
      expect((await files.read('c')).states).toHaveLength(21)

      // The thinned run is still explored exactly: the same network at step 13, replayed from step 0.
      // NOTE: the worker keeps the last file it read; reading another run's first makes it read a's again.
      await host.networkAtStep({ runId: 'c', step: 1 })
      const thinned = await host.networkAtStep({ runId: 'a', step: 13 })
      expect(thinned.replayedSteps).toBe(13)
      expect({ ...thinned, replayedSteps: 0 }).toEqual(before)

      // Clear leaves the pinned run's data; unpinned, it counts like any other.
      await host.clearTimeTravel()
      expect(await host.getTimeTravelUsage()).toMatchObject({ files: 1, pinnedFiles: 1 })
      await host.pinRun('p', false)
      expect(await host.getTimeTravelUsage()).toMatchObject({ files: 1, pinnedFiles: 0 })
      await host.clearTimeTravel()
      expect((await host.getTimeTravelUsage()).files).toBe(0)
    } finally {
      await host.close()
    }
  }, 120_000)
})
