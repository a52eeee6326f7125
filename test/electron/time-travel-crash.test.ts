// Checkpoints that survive a crash: a studio run saves its checkpoints as it trains, so a worker killed
// mid-run leaves a whole file, and after a restart the run replays exactly to any step it saved; a
// damaged file is refused with a clear error, never a crash (issue 18 item 1).

import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { PRESETS, decodeCheckpoints, type TrainConfig } from '../../core'
import type { WeightSnapshot } from '../../electron/contract'
import { StudioHost } from '../../electron/host/studio-host'
import { EventLog, settle } from './support/event-log'
import { requireBuiltWorker } from './support/paths'
import { tempDir } from './support/temp-dir'

/** The seed net over a whole epoch (1 875 steps), paced so that it is still going when killed. */
const RUN: TrainConfig = { ...PRESETS.seed.config, batchCount: 'all' }

const hostOn = (dataDir: string): StudioHost =>
  new StudioHost({ workerPath: requireBuiltWorker(), mode: 'browser', version: 'test', dataDir })

describe('checkpoints saved while a run trains', () => {
  const dataDir = tempDir()
  const file = (id: string): string => join(dataDir, 'runs', `${id}.checkpoints`)
  let runId: string
  /** The weights the run sent before it was killed, each at its step. */
  let live: WeightSnapshot[]
  /** The last step the file on disk held when the worker was killed. */
  let savedStep: number

  beforeAll(async () => {
    const host = hostOn(dataDir)
    const log = new EventLog((listener) => host.onTrainingEvent(listener))
    try {
      await host.getInfo()
      // 1 875 steps at 250 steps/s: 7.5 s, saved about once a second.
      await host.startTraining(RUN, { pace: 250 })
      runId = (await log.waitFor('started')).runId
      // Killed once the file holds a state past step 300 (a save after some training).
      for (let i = 0; i < 400; i++) {
        await settle(25)
        const steps = stepsIn(file(runId))
        if (steps.length > 0 && steps.at(-1)! >= 300) break
      }
      await host.killWorkerForTesting()
      expect(await log.waitForEnd()).toMatchObject({ type: 'failed' })
      live = log.ofType('weights').map((event) => event.snapshot)
      savedStep = stepsIn(file(runId)).at(-1)!
      await host.listRuns() // the recorder's writes have landed
    } finally {
      log.dispose()
      await host.close()
    }
  }, 120_000)

  it('keeps the checkpoints taken before the kill, and replays them exactly after a restart', async () => {
    expect(savedStep).toBeGreaterThanOrEqual(300)
    expect(savedStep).toBeLessThan(1875) // killed mid-run
    const again = hostOn(dataDir)
    try {
      const record = await again.getRun(runId)
      expect(record.status).toBe('failed')
      // Every live snapshot up to the saved state replays bit for bit (step 0 and later ones).
      const saved = live.filter((snapshot) => snapshot.step <= savedStep)
      expect(saved.some((snapshot) => snapshot.step > 0)).toBe(true)
      for (const snapshot of saved) {
        const at = await again.networkAtStep({ runId, step: snapshot.step })
        expect(at.weights.data).toEqual(snapshot.data)
      }
      // A fork from the last saved step starts there.
      const log = new EventLog((listener) => again.onTrainingEvent(listener))
      try {
        await again.startTraining(RUN, { fork: { runId, step: savedStep } })
        expect(await log.waitForEnd()).toMatchObject({ type: 'finished', step: 1875 })
        expect(log.metrics()[0].step).toBe(savedStep + 1)
      } finally {
        log.dispose()
      }
    } finally {
      await again.close()
    }
  }, 60_000)

  it('refuses a damaged file (its checksum) with a clear error, and the run still loads', async () => {
    const bytes = readFileSync(file(runId))
    writeFileSync(file(runId), bytes.subarray(0, bytes.length - 1000)) // a torn tail
    const again = hostOn(dataDir)
    try {
      await expect(again.networkAtStep({ runId, step: 1 })).rejects.toMatchObject({
        code: 'run-file',
        message: expect.stringMatching(/checksum/)
      })
      expect((await again.getRun(runId)).id).toBe(runId)
      expect((await again.listRuns()).map((run) => run.id)).toContain(runId)
    } finally {
      await again.close()
    }
  })
})

/** The steps of the states in a checkpoint file, or [] while it is missing or being replaced. */
function stepsIn(path: string): number[] {
  try {
    return decodeCheckpoints(readFileSync(path)).states.map((state) => state.step)
  } catch {
    return []
  }
}
