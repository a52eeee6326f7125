// The disk budget over runs' checkpoint files (electron/files/checkpoint-budget.ts): the oldest runs'
// files are thinned first and stay explorable (the network at any step is the same, bit for bit);
// a file is deleted only when thinning them all is not enough, oldest first; spared runs (the run
// going now, pinned runs) are never touched.

import { mkdtempSync, readdirSync, readFileSync, statSync, utimesSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  CheckpointStore,
  createTrainer,
  longestReplay,
  PRESETS,
  replayInto,
  takeFirst,
  thinCheckpoints,
  type CheckpointFile,
  type Dataset,
  type TrainConfig,
  type TrainerState
} from '../../core'
import { keepCheckpointsWithin, planBudget } from '../../electron/files/checkpoint-budget'
import { CheckpointFiles } from '../../electron/files/checkpoint-files'
import { loadMnist } from '../../electron/files/datasets'

const config: TrainConfig = { ...PRESETS.seed.config, batchCount: 16 }
let train: Dataset
/** The seed net's 17 states (steps 0 … 16, every step kept), with a learning-rate change at step 5. */
let checkpoints: CheckpointFile

beforeAll(async () => {
  train = takeFirst((await loadMnist()).train, 16 * 32)
  const trainer = createTrainer(config, train, 'fast')
  const store = new CheckpointStore({ every: 1, budgetBytes: 1e8 })
  store.add(trainer.captureState())
  while (!trainer.done) {
    if (trainer.stepsCompleted === 4) trainer.setLearningRate(0.1)
    trainer.step()
    store.add(trainer.captureState())
  }
  const changes = [{ setting: 'learningRate' as const, step: 5, from: 0.03, to: 0.1 }]
  checkpoints = { config, states: store.states, changes }
})

/** The network's parameter bytes after `step` steps, replayed from `states`. */
function weightsAt(states: readonly TrainerState[], step: number): Uint8Array[] {
  const trainer = createTrainer(config, train, 'fast')
  replayInto(trainer, states, step, checkpoints.changes)
  return trainer.model.parameters().map((p) => new Uint8Array(p.data.buffer.slice(0)))
}

/** Writes `ids`' files (the same checkpoints), each a day older than the next: the first is oldest. */
async function runsOnDisk(ids: readonly string[]): Promise<CheckpointFiles> {
  const files = new CheckpointFiles(mkdtempSync(join(tmpdir(), 'backprop-budget-')))
  for (const [i, id] of ids.entries()) {
    await files.write(id, checkpoints)
    const written = new Date(Date.UTC(2026, 0, i + 1))
    utimesSync(files.path(id), written, written)
  }
  return files
}

const sizeOf = (files: CheckpointFiles, id: string) => statSync(files.path(id)).size

describe('thinCheckpoints and longestReplay', () => {
  it('drops every other checkpoint, keeping the first and the last, down to two', () => {
    const at = (...steps: number[]) => steps.map((step) => ({ step }))
    expect(thinCheckpoints(at(0, 1, 2, 3, 4))).toEqual(at(0, 2, 4))
    expect(thinCheckpoints(at(0, 1, 2, 3))).toEqual(at(0, 2, 3))
    expect(thinCheckpoints(at(0, 2, 3))).toEqual(at(0, 3))
    expect(thinCheckpoints(at(0, 3))).toEqual(at(0, 3)) // the floor
    expect(thinCheckpoints(at(7))).toEqual(at(7))
  })

  it('says the most steps a scrub replays: the widest gap less one, or to the run’s last step', () => {
    expect(longestReplay([0, 1, 2], 2)).toBe(0)
    expect(longestReplay([0, 4, 6], 6)).toBe(3)
    expect(longestReplay([0, 2], 9)).toBe(7) // an interrupted run's last steps replay from step 2
  })
})

describe('planBudget', () => {
  // sizes after 0, 1, 2 thinnings: 100 → 60 → 40 (the floor)
  const file = (id: string) => ({ id, sizes: [100, 60, 40] })

  it('thins the oldest to its floor before the next, and only as far as needed', () => {
    expect(planBudget([file('a'), file('b'), file('c')], 300)).toEqual({
      deleted: [],
      thinnings: new Map()
    })
    expect(planBudget([file('a'), file('b'), file('c')], 250)).toEqual({
      deleted: [],
      thinnings: new Map([['a', 2]])
    })
    expect(planBudget([file('a'), file('b'), file('c')], 230)).toEqual({
      deleted: [],
      thinnings: new Map([
        ['a', 2],
        ['b', 1]
      ])
    })
  })

  it('deletes the oldest first only when thinning every file is not enough, thinning the rest less', () => {
    // All at their floor: 120 > 110. Deleting a leaves b and c at 200: thinned to 60 + 40 = 100.
    expect(planBudget([file('a'), file('b'), file('c')], 110)).toEqual({
      deleted: ['a'],
      thinnings: new Map([
        ['b', 2],
        ['c', 1]
      ])
    })
    // A file that cannot be thinned (unreadable: its size alone) is deleted like one at its floor.
    expect(planBudget([{ id: 'x', sizes: [50] }, file('b')], 60)).toEqual({
      deleted: ['x'],
      thinnings: new Map([['b', 1]])
    })
    // Spared files alone over the budget (what is left for these is negative): all go.
    expect(planBudget([file('a'), file('b')], -5)).toEqual({
      deleted: ['a', 'b'],
      thinnings: new Map()
    })
  })
})

describe('keepCheckpointsWithin', () => {
  it('thins the oldest runs first; each stays explorable, the network at every step the same bytes', async () => {
    const files = await runsOnDisk(['old', 'middle', 'new'])
    const whole = sizeOf(files, 'old')
    const ages = ['old', 'middle', 'new'].map((id) => statSync(files.path(id)).mtimeMs)
    const newBytes = readFileSync(files.path('new'))
    // Room for 1.7 of the three files: old is thinned to its floor (17 → 9 → 5 → 3 → 2 states, 0.12
    // of a file), then middle once (17 → 9 states), and that is enough.
    const budget = Math.round(1.7 * whole)
    const outcome = await keepCheckpointsWithin(files, budget, new Set())
    expect(outcome.deleted).toEqual([])
    expect(outcome.thinned.map((t) => t.id)).toEqual(['old', 'middle'])
    expect(outcome.thinned[0].keptSteps).toEqual([0, 16]) // the floor: the first and last
    expect(outcome.thinned[1].keptSteps).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16])
    expect((await files.usage()).bytes).toBeLessThanOrEqual(budget)
    expect(readFileSync(files.path('new'))).toEqual(newBytes) // untouched
    // Each file keeps its age (the budget still finds the oldest first), and no temporary file stays.
    expect(['old', 'middle', 'new'].map((id) => statSync(files.path(id)).mtimeMs)).toEqual(ages)
    expect(readdirSync(files.dir).sort()).toEqual(
      ['middle', 'new', 'old'].map((id) => `${id}.checkpoints`)
    )

    for (const { id, keptSteps } of outcome.thinned) {
      const thinned = await files.read(id) // validated: CRC and all
      expect(thinned.states.map((s) => s.step)).toEqual(keptSteps)
      expect(thinned.changes).toEqual(checkpoints.changes)
      for (const step of [3, 5, 9, 15])
        expect(weightsAt(thinned.states, step)).toEqual(weightsAt(checkpoints.states, step))
    }
  }, 60_000)

  it('deletes the oldest runs’ files when thinning all is not enough, and never a spared run’s', async () => {
    const files = await runsOnDisk(['old', 'pinned', 'middle', 'new'])
    const whole = sizeOf(files, 'old')
    const pinnedBytes = readFileSync(files.path('pinned'))
    // The pinned run's whole file, plus 0.3 of a file for the three others: their floors (0.12 of a
    // file each) do not fit, two of them do.
    const budget = whole + Math.round(0.3 * whole)
    const outcome = await keepCheckpointsWithin(files, budget, new Set(['pinned']))
    expect(outcome.deleted).toEqual(['old'])
    expect((await files.usage()).bytes).toBeLessThanOrEqual(budget)
    expect(readFileSync(files.path('pinned'))).toEqual(pinnedBytes)
    expect(outcome.thinned.map((t) => t.id)).not.toContain('pinned')
    for (const id of ['middle', 'new'])
      expect(weightsAt((await files.read(id)).states, 11)).toEqual(
        weightsAt(checkpoints.states, 11)
      )
  }, 60_000)

  it('leaves everything when within the budget, and deletes a damaged file rather than read it', async () => {
    const files = await runsOnDisk(['a', 'b'])
    const usage = await files.usage()
    expect(await keepCheckpointsWithin(files, usage.bytes, new Set())).toEqual({
      thinned: [],
      deleted: []
    })
    await files.writeBytes('a', new Uint8Array(sizeOf(files, 'b'))) // zeros: no BPCK file
    utimesSync(files.path('a'), new Date(0), new Date(0))
    // Thinning b is preferred while it is enough (a cannot be read, so not thinned) …
    const thinB = await keepCheckpointsWithin(files, usage.bytes - 1, new Set())
    expect(thinB).toEqual({ thinned: [{ id: 'b', keptSteps: expect.any(Array) }], deleted: [] })
    // … and when b at its floor is not, the damaged file goes, and b need not be thinned further.
    const outcome = await keepCheckpointsWithin(files, sizeOf(files, 'a'), new Set())
    expect(outcome).toEqual({ thinned: [], deleted: ['a'] })
    // A budget no file fits, even at its floor: they all go.
    const one = await runsOnDisk(['x'])
    expect(await keepCheckpointsWithin(one, 1, new Set())).toEqual({ thinned: [], deleted: ['x'] })
  }, 60_000)
})
