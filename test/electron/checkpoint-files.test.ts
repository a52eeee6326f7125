// Runs' checkpoint files in the data folder (electron/files/checkpoint-files.ts): beside the run records,
// read back validated, counted for the disk budget and cleared without touching anything else.

import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  CheckpointFileError,
  CheckpointStore,
  createTrainer,
  PRESETS,
  takeFirst,
  type TrainConfig
} from '../../core'
import { CheckpointFiles } from '../../electron/files/checkpoint-files'
import { loadMnist } from '../../electron/files/datasets'

const config: TrainConfig = { ...PRESETS.seed.config, batchCount: 4 }

async function someCheckpoints() {
  const trainer = createTrainer(config, takeFirst((await loadMnist()).train, 128), 'fast')
  const store = new CheckpointStore({ every: 2, budgetBytes: 1e8 })
  store.add(trainer.captureState())
  while (!trainer.done) {
    trainer.step()
    store.add(trainer.captureState())
  }
  return { config, states: store.states }
}

describe('CheckpointFiles', () => {
  it('writes <id>.checkpoints beside the run records, reads it back, counts and clears only those', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'backprop-time-travel-'))
    const files = new CheckpointFiles(dir)
    const none = { bytes: 0, files: 0, pinnedBytes: 0, pinnedFiles: 0 }
    expect(await files.usage()).toEqual(none) // the folder does not exist yet
    const checkpoints = await someCheckpoints()
    await files.write('run-1', checkpoints)
    await files.write('run-2', checkpoints)
    writeFileSync(join(dir, 'run-1.json'), '{}') // a run record
    writeFileSync(join(dir, 'notes.checkpoints.txt'), 'mine')
    expect(await files.read('run-1')).toEqual({ ...checkpoints, changes: [] }) // no live changes
    const usage = await files.usage(new Set(['run-2', 'run-3']))
    expect(usage.files).toBe(2)
    expect(usage.bytes).toBeGreaterThan(2 * 128 * 4)
    expect(usage).toMatchObject({ pinnedFiles: 1, pinnedBytes: usage.bytes / 2 }) // run-2's
    await files.clear(new Set(['run-2'])) // a pinned run's file stays
    expect(await files.usage()).toEqual({ ...none, bytes: usage.bytes / 2, files: 1 })
    await files.clear()
    expect(await files.usage()).toEqual(none)
    expect(readdirSync(dir).sort()).toEqual(['notes.checkpoints.txt', 'run-1.json'])
  })

  it('refuses a damaged file and an id that is not a run id', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'backprop-time-travel-'))
    const files = new CheckpointFiles(dir)
    writeFileSync(join(dir, 'bad.checkpoints'), 'BPCK and then nothing useful at all')
    await expect(files.read('bad')).rejects.toThrow(CheckpointFileError)
    expect(() => files.path('../elsewhere')).toThrow(/not a run id/)
  })
})
