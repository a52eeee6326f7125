// The disk budget of time-travel data across runs (issue 18 item 1): when a run starts or the budget
// changes, the oldest runs' checkpoint files are deleted first, never the run going now's, and their
// records say so.

import { mkdirSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { PRESETS } from '../../core'
import type { RunRecord } from '../../electron/contract'
import { STUDIO_CHECKPOINT_BUDGET } from '../../electron/files/checkpoint-files'
import { RunStore } from '../../electron/host/run-store'
import { StudioHost } from '../../electron/host/studio-host'
import { EventLog } from './support/event-log'
import { requireBuiltWorker } from './support/paths'
import { tempDir } from './support/temp-dir'

const MB = 1024 * 1024

const record = (id: string, startedAt: string): RunRecord => ({
  id,
  name: `run ${id}`,
  status: 'completed',
  startedAt,
  durationSeconds: 1,
  steps: 1,
  totalSteps: 1,
  finalTestAccuracy: 0.5,
  finalTestLoss: 1,
  config: PRESETS.seed.config,
  changes: [],
  divergence: null,
  parent: null,
  timeTravelDropped: false,
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
        budgetBytes: 512 * MB
      })
      expect((await host.getSettings()).timeTravelBudgetMB).toBe(512)

      // 64 MB: the CLI run's 10 MB and run a's 30 MB go (100 → 60 MB).
      await host.updateSettings({ timeTravelBudgetMB: 64 })
      expect(await host.getTimeTravelUsage()).toEqual({
        bytes: 60 * MB,
        files: 2,
        budgetBytes: 64 * MB
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
})
