// A thinning cut short (electron/files/checkpoint-budget.ts): the thinned file is written beside the
// old one and renamed over it, so when the rename never happens (a crash, a full disk) the old file is
// still there, whole and valid, and a temporary file is never counted as a run's checkpoints.

import { readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { CheckpointStore, createTrainer, PRESETS, takeFirst, type TrainConfig } from '../../core'
import { keepCheckpointsWithin } from '../../electron/files/checkpoint-budget'
import { CheckpointFiles } from '../../electron/files/checkpoint-files'
import { loadMnist } from '../../electron/files/datasets'

const failRename = vi.hoisted(() => ({ now: false }))
vi.mock('node:fs/promises', async (original) => {
  const fs = await original<typeof import('node:fs/promises')>()
  return {
    ...fs,
    rename: (from: string, to: string) =>
      failRename.now ? Promise.reject(new Error('ENOSPC: the disk is full')) : fs.rename(from, to)
  }
})

describe('a thinning cut short', () => {
  it('leaves the old file whole when the thinned one never replaces it', async () => {
    const config: TrainConfig = { ...PRESETS.seed.config, batchCount: 8 }
    const trainer = createTrainer(config, takeFirst((await loadMnist()).train, 256), 'fast')
    const store = new CheckpointStore({ every: 1, budgetBytes: 1e8 })
    store.add(trainer.captureState())
    while (!trainer.done) {
      trainer.step()
      store.add(trainer.captureState())
    }
    const files = new CheckpointFiles(mkdtempSync(join(tmpdir(), 'backprop-budget-crash-')))
    await files.write('old', { config, states: store.states })
    await files.write('new', { config, states: store.states })
    utimesSync(files.path('old'), new Date(0), new Date(0))
    const before = readFileSync(files.path('old'))

    failRename.now = true
    await expect(keepCheckpointsWithin(files, before.length * 1.5, new Set())).rejects.toThrow(
      /ENOSPC/
    )
    failRename.now = false
    expect(readFileSync(files.path('old'))).toEqual(before)
    expect((await files.read('old')).states).toHaveLength(9)

    // A crash leaves the temporary file too: it is no run's checkpoints.
    writeFileSync(join(files.dir, '.old.checkpoints.0123456789ab.tmp'), before.subarray(0, 100))
    expect((await files.list()).map((file) => file.id).sort()).toEqual(['new', 'old'])
    // And the next check thins it after all.
    const outcome = await keepCheckpointsWithin(files, before.length * 1.5, new Set())
    expect(outcome.thinned.map((t) => t.id)).toEqual(['old'])
    expect(readdirSync(files.dir).filter((name) => name.endsWith('.tmp'))).toHaveLength(1)
  }, 60_000)
})
