// Time travel over a run whose learning rate and momentum the learner changed while it trained, through
// the host and the real built worker on the real MNIST: a replay from a checkpoint before the change
// makes the change at the step it took effect live, so the network at a later step is the one that was
// live, and a fork from there with the same settings repeats the parent (issue 18).

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PRESETS, type TrainConfig } from '../../core'
import type { WeightSnapshot } from '../../electron/contract'
import { StudioHost } from '../../electron/host/studio-host'
import { EventLog, settle } from './support/event-log'
import { requireBuiltWorker } from './support/paths'
import { tempDir } from './support/temp-dir'

/** 3 epochs of 1 875 steps: checkpoints every ⌈5 625 / 256⌉ = 22 steps (0, 22, 44, …). */
const RUN: TrainConfig = {
  ...PRESETS.seed.config,
  optimizer: { kind: 'sgd', momentum: 0.9 },
  batchCount: 'all',
  epochs: 3
}
/** Made after step 30 (so from step 31 on), between the checkpoints of steps 22 and 44. */
const CHANGED_AFTER = 30
const CHANGED: TrainConfig = {
  ...RUN,
  learningRate: 0.1,
  optimizer: { kind: 'sgd', momentum: 0.5 }
}
/** A step after the change whose nearest checkpoint (22) precedes it. */
const SCRUBBED = 40

const hostOn = (dataDir: string): StudioHost =>
  new StudioHost({ workerPath: requireBuiltWorker(), mode: 'browser', version: 'test', dataDir })

describe('time travel over live changes', () => {
  const dataDir = tempDir()
  let host: StudioHost
  let log: EventLog
  let runId: string
  /** The weights that were live after SCRUBBED steps. */
  let live: WeightSnapshot

  beforeAll(async () => {
    host = hostOn(dataDir)
    log = new EventLog((listener) => host.onTrainingEvent(listener))
    const since = log.mark()
    await host.startTraining(RUN, { paused: true })
    runId = (await log.waitFor('started', { since })).runId
    const stepTo = async (step: number): Promise<void> => {
      const from = log.metrics(since).at(-1)?.step ?? 0
      for (let i = from; i < step; i++) await host.controlTraining('step')
      await log.waitFor('progress', { since, accept: (e) => e.metrics.at(-1)!.step === step })
    }
    await stepTo(CHANGED_AFTER)
    await host.updateTraining({ learningRate: 0.1, momentum: 0.5 })
    await log.waitFor('updated', { since })
    await stepTo(SCRUBBED)
    const weights = await log.waitFor('weights', {
      since,
      accept: (e) => e.snapshot.step === SCRUBBED
    })
    live = weights.snapshot
    await host.controlTraining('resume')
    expect(await log.waitForEnd(since)).toMatchObject({ type: 'finished', step: 5625 })
    for (let i = 0; i < 100 && (await host.getTimeTravelUsage()).files === 0; i++) await settle(50)
  }, 120_000)

  afterAll(async () => {
    log.dispose()
    await host.close()
  })

  it('logs the changes at the step they took effect', async () => {
    expect((await host.getRun(runId)).changes).toEqual([
      { setting: 'learningRate', step: 31, from: 0.03, to: 0.1 },
      { setting: 'momentum', step: 31, from: 0.9, to: 0.5 }
    ])
  })

  it('replays the network after the change to exactly the weights that were live, after a restart too', async () => {
    const at = await host.networkAtStep({ runId, step: SCRUBBED })
    expect(at.replayedSteps).toBeGreaterThan(SCRUBBED - CHANGED_AFTER) // from a checkpoint before it
    expect(at.weights.data).toEqual(live.data) // bit for bit
    const again = hostOn(dataDir) // the changes come back with the checkpoint file
    try {
      expect((await again.networkAtStep({ runId, step: SCRUBBED })).weights.data).toEqual(live.data)
    } finally {
      await again.close()
    }
  })

  it('forks from after the change: with the same settings it repeats the parent exactly', async () => {
    const parent = await host.getRun(runId)
    const since = log.mark()
    await host.startTraining(CHANGED, { fork: { runId, step: SCRUBBED } })
    await log.waitFor('started', { since })
    await log.waitForEnd(since)
    const metrics = log.metrics(since)
    expect(metrics[0].step).toBe(SCRUBBED + 1)
    expect(metrics).toEqual(parent.metrics.slice(SCRUBBED)) // every loss and accuracy, bit for bit
  }, 60_000)
})
