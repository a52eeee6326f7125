// Opening a recorded run after a restart (issue 18: "kept with the run record, so a finished run can
// still be explored after a restart"): a NEW host on the same data folder lists the run as one with
// time-travel data, serves what the Train view opens it with (its record, the network at any step,
// bit for bit what was live then) and forks from it; a run whose data was cleared is not listed.

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PRESETS, type TrainConfig } from '../../core'
import type { WeightSnapshot } from '../../electron/contract'
import { StudioHost } from '../../electron/host/studio-host'
import { EventLog, settle } from './support/event-log'
import { requireBuiltWorker } from './support/paths'
import { tempDir } from './support/temp-dir'

/** The seed preset (100 steps), paced so that several live weight snapshots arrive to compare with. */
const RUN: TrainConfig = PRESETS.seed.config

const hostOn = (dataDir: string): StudioHost =>
  new StudioHost({ workerPath: requireBuiltWorker(), mode: 'browser', version: 'test', dataDir })

describe('a recorded run opened after a restart', () => {
  const dataDir = tempDir()
  let runId: string
  /** The weights the run sent while it trained, each at its step: what was live then. */
  let live: WeightSnapshot[]

  beforeAll(async () => {
    const first = hostOn(dataDir)
    const log = new EventLog((listener) => first.onTrainingEvent(listener))
    try {
      await first.getInfo()
      const since = log.mark()
      await first.startTraining(RUN, { pace: 40 }) // ~2.5 s: a weight snapshot every ~500 ms
      runId = (await log.waitFor('started', { since })).runId
      expect(await log.waitForEnd(since)).toMatchObject({ type: 'finished', step: 100 })
      live = log.ofType('weights', since).map((event) => event.snapshot)
      await first.listRuns() // the recorder's last write has landed once the list reads it
    } finally {
      log.dispose()
      await first.close() // as the studio closing
    }
  }, 120_000)

  let host: StudioHost
  let log: EventLog
  beforeAll(async () => {
    host = hostOn(dataDir) // as the studio starting again
    log = new EventLog((listener) => host.onTrainingEvent(listener))
    await host.getInfo()
  })
  afterAll(async () => {
    log.dispose()
    await host.close()
  })

  it('lists the run as one with time-travel data, with its record (curves, tests, health)', async () => {
    expect(await host.listTimeTravelRuns()).toEqual([runId])
    expect(await host.getCurrentRun()).toBeNull() // nothing live: the window opens it from its record
    const record = await host.getRun(runId)
    expect(record).toMatchObject({ id: runId, status: 'completed', steps: 100 })
    expect(record.metrics.at(-1)?.step).toBe(100)
    expect(record.evaluations.length).toBeGreaterThan(0)
    expect(record.health.length).toBeGreaterThan(0)
  })

  it('gives the network at a step k as it was live at step k, bit for bit', async () => {
    expect(live.length).toBeGreaterThan(2)
    for (const snapshot of live) {
      const at = await host.networkAtStep({ runId, step: snapshot.step })
      expect(at).toMatchObject({ runId, step: snapshot.step, totalSteps: 100 })
      expect(at.weights.data).toEqual(snapshot.data)
    }
    const early = await host.networkAtStep({ runId, step: 2 })
    const end = await host.networkAtStep({ runId, step: 100 })
    expect(end.weights.data).not.toEqual(early.weights.data)
  })

  it('forks from it with a lower learning rate: the child names it as its parent', async () => {
    const since = log.mark()
    const point = { runId, step: 40 }
    await host.startTraining({ ...RUN, learningRate: 0.003 }, { fork: point })
    const started = await log.waitFor('started', { since })
    expect(started.parent).toEqual(point)
    await log.waitForEnd(since)
    await host.listRuns()
    await settle(100)
    const child = (await host.listRuns()).find((run) => run.id === started.runId)
    expect(child).toMatchObject({ parent: point, config: { learningRate: 0.003 }, steps: 100 })
    const parentAt = await host.networkAtStep(point)
    const childAt = await host.networkAtStep({ runId: started.runId, step: 40 })
    expect(childAt.weights.data).toEqual(parentAt.weights.data)
    expect((await host.listTimeTravelRuns()).sort()).toEqual([runId, started.runId].sort())
  }, 60_000)

  it('no longer lists a run once its time-travel data is cleared', async () => {
    await host.clearTimeTravel()
    expect(await host.listTimeTravelRuns()).toEqual([])
    expect((await host.listRuns()).length).toBe(2) // the records stay
  })
})
