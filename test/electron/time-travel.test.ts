// Time travel through the host and the real built worker on the real MNIST: a studio run keeps its
// checkpoints (beside its record, within the budget), the network at any step equals what was live at
// that step, after a restart too, and a fork continues from exactly that state (issue 18 items 1–3).

import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeCheckpoints, PRESETS, type TrainConfig } from '../../core'
import { SCRUB_TEST_IMAGES, type RunPoint, type WeightSnapshot } from '../../electron/contract'
import { StudioHost } from '../../electron/host/studio-host'
import { CheckpointFiles, STUDIO_CHECKPOINT_BUDGET } from '../../electron/files/checkpoint-files'
import { EventLog, settle } from './support/event-log'
import { requireBuiltWorker } from './support/paths'
import { tempDir } from './support/temp-dir'

/** The seed net over a whole epoch: 1 875 steps, so the checkpoints thin out (spacing > 1). */
const RUN: TrainConfig = { ...PRESETS.seed.config, batchCount: 'all' }

const hostOn = (dataDir: string): StudioHost =>
  new StudioHost({ workerPath: requireBuiltWorker(), mode: 'browser', version: 'test', dataDir })

describe('time travel in the studio', () => {
  const dataDir = tempDir()
  let host: StudioHost
  let log: EventLog
  let runId: string
  /** The weights the run sent while it trained, each at its step: what was live then. */
  let live: WeightSnapshot[]

  beforeAll(async () => {
    host = hostOn(dataDir)
    log = new EventLog((listener) => host.onTrainingEvent(listener))
    await host.getInfo()
    const since = log.mark()
    // NOTE: a paced run (1 875 steps at 500 steps/s, ~3.8 s) sends a weight snapshot every ~500 ms, so
    // several live snapshots exist to compare with however fast the machine; at full speed a quiet
    // machine finishes in under a second and sends only the first and last.
    await host.startTraining(RUN, { pace: 500 })
    runId = (await log.waitFor('started', { since })).runId
    expect(await log.waitForEnd(since)).toMatchObject({ type: 'finished', step: 1875 })
    live = log.ofType('weights', since).map((event) => event.snapshot)
  }, 120_000)

  afterAll(async () => {
    log.dispose()
    await host.close()
  })

  it('replays the network at a step to exactly the weights that were live at that step', async () => {
    expect(live.length).toBeGreaterThan(3)
    expect(live[0].step).toBe(0)
    for (const snapshot of live) {
      const at = await host.networkAtStep({ runId, step: snapshot.step })
      expect(at).toMatchObject({ runId, step: snapshot.step, totalSteps: 1875 })
      expect(at.weights.step).toBe(snapshot.step)
      expect(at.weights.data).toEqual(snapshot.data) // bit for bit
    }
  })

  it('shows one probe digit per class and the confusion on a fixed subset, worse early than late', async () => {
    const early = await host.networkAtStep({ runId, step: 5 })
    const late = await host.networkAtStep({ runId, step: 1875 })
    expect(early.probes.map((p) => p.label)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    expect(early.probes.map((p) => p.index)).toEqual(late.probes.map((p) => p.index))
    expect(early.probes[0].pixels).toHaveLength(784)
    expect(early.evaluation.count).toBe(SCRUB_TEST_IMAGES)
    const total = early.evaluation.confusion.flat().reduce((a, b) => a + b, 0)
    expect(total).toBe(SCRUB_TEST_IMAGES)
    expect(late.evaluation.accuracy).toBeGreaterThan(early.evaluation.accuracy + 0.2)
    const right = (probes: typeof early.probes) => probes.filter((p) => p.predicted === p.label)
    expect(right(late.probes).length).toBeGreaterThan(right(early.probes).length)
  })

  it('keeps the checkpoints in one file beside the run record, within the budget', async () => {
    const usage = await host.getTimeTravelUsage()
    expect(usage.files).toBe(1)
    expect(usage.bytes).toBeGreaterThan(0)
    expect(usage.bytes).toBeLessThanOrEqual(STUDIO_CHECKPOINT_BUDGET + 1024 * 1024) // + the header
  })

  it('explores a finished run after a restart, from its file', async () => {
    const again = hostOn(dataDir)
    try {
      const snapshot = live[Math.floor(live.length / 2)]
      const at = await again.networkAtStep({ runId, step: snapshot.step })
      expect(at.weights.data).toEqual(snapshot.data)
    } finally {
      await again.close()
    }
  })

  it('keeps the network’s health with the run: the sample at a step or the nearest before, after a restart too', async () => {
    const { health } = await host.getRun(runId)
    expect(health.length).toBeGreaterThan(3)
    const [, second, third] = health
    expect(await host.healthAtStep({ runId, step: second.step })).toEqual(second)
    expect(await host.healthAtStep({ runId, step: third.step - 1 })).toEqual(second)
    expect(await host.healthAtStep({ runId, step: 0 })).toBeNull()
    const again = hostOn(dataDir)
    try {
      expect((await again.getRun(runId)).health).toEqual(health)
      expect(await again.healthAtStep({ runId, step: 1875 })).toEqual(health.at(-1))
    } finally {
      await again.close()
    }
  })

  it('refuses a step the run does not have, naming it', async () => {
    await expect(host.networkAtStep({ runId, step: 1876 })).rejects.toMatchObject({
      code: 'invalid-request',
      field: 'point.step'
    })
    await expect(host.networkAtStep({ runId: 'no-such-run', step: 1 })).rejects.toMatchObject({
      code: 'run-file',
      message: expect.stringMatching(/no time-travel data/)
    })
  })

  /** Starts a fork of the run at `step` with `config`, runs it to its end; its metrics and record. */
  async function fork(config: TrainConfig, point: RunPoint) {
    const since = log.mark()
    await host.startTraining(config, { fork: point })
    const started = await log.waitFor('started', { since })
    await log.waitForEnd(since)
    await host.listRuns() // the recorder's last write has landed once the list reads it
    await settle(100)
    return { started, metrics: log.metrics(since), record: await host.getRun(started.runId) }
  }

  it('forks from a step: with unchanged settings it repeats the parent exactly; the record names its parent', async () => {
    const parent = await host.getRun(runId)
    const point = { runId, step: 1000 }
    const same = await fork(RUN, point)
    expect(same.started.parent).toEqual(point)
    expect(same.metrics[0].step).toBe(1001)
    expect(same.metrics).toEqual(parent.metrics.slice(1000)) // every loss and accuracy, bit for bit
    expect(same.record.parent).toEqual(point)
    expect(same.record.steps).toBe(1875)

    const slower = await fork({ ...RUN, learningRate: 0.003 }, point)
    expect(slower.metrics[0].step).toBe(1001)
    expect(slower.metrics[0].learningRate).toBe(0.003)
    expect(slower.metrics.map((m) => m.loss)).not.toEqual(
      parent.metrics.slice(1000).map((m) => m.loss)
    )
    // A fork's own checkpoints start at its first step: it can be scrubbed from there.
    const at = await host.networkAtStep({ runId: slower.started.runId, step: 1000 })
    const parentAt = await host.networkAtStep({ runId, step: 1000 })
    expect(at.weights.data).toEqual(parentAt.weights.data)
  }, 60_000)

  it('refuses a fork that changes what it must keep (the net, the data order)', async () => {
    await expect(
      host.startTraining({ ...RUN, batchSize: 64 }, { fork: { runId, step: 10 } })
    ).rejects.toMatchObject({ code: 'invalid-config', field: 'batchSize' })
  })

  it('forks to another optimizer (SGD → Adam): from the parent’s weights, finite, as accurate as at the fork', async () => {
    const point = { runId, step: 1000 }
    const adam = { kind: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } as const
    const parentAt = await host.networkAtStep(point)
    const forked = await fork({ ...RUN, optimizer: adam, learningRate: 0.001 }, point)
    expect(forked.record).toMatchObject({ parent: point, steps: 1875, config: { optimizer: adam } })
    expect(forked.metrics[0].step).toBe(1001)
    expect(forked.metrics.every((m) => Number.isFinite(m.loss))).toBe(true)
    const at = await host.networkAtStep({ runId: forked.started.runId, step: 1000 })
    expect(at.weights.data).toEqual(parentAt.weights.data)
    const end = await host.networkAtStep({ runId: forked.started.runId, step: 1875 })
    expect(end.evaluation.accuracy).toBeGreaterThan(parentAt.evaluation.accuracy - 0.05)
  }, 60_000)

  it('deletes a run’s checkpoints with it, and clears them all on request (records stay)', async () => {
    const runs = await host.listRuns()
    expect((await host.getTimeTravelUsage()).files).toBe(runs.length)
    const fork = runs.find((r) => r.parent !== null)!
    await host.deleteRun(fork.id)
    expect((await host.getTimeTravelUsage()).files).toBe(runs.length - 1)
    await host.clearTimeTravel()
    expect(await host.getTimeTravelUsage()).toEqual({
      bytes: 0,
      files: 0,
      budgetBytes: 512 * 1024 * 1024,
      pinnedBytes: 0, // no run is pinned
      pinnedFiles: 0
    })
    expect((await host.listRuns()).length).toBe(runs.length - 1)
    const again = hostOn(dataDir) // a fresh worker: nothing in memory
    try {
      await expect(again.networkAtStep({ runId, step: 5 })).rejects.toMatchObject({
        code: 'run-file'
      })
    } finally {
      await again.close()
    }
  })
})

describe('a run’s end and its checkpoint file', () => {
  it('writes the last checkpoints before the run’s end is announced, so Clear right after it holds', async () => {
    const dataDir = tempDir()
    const host = hostOn(dataDir)
    const log = new EventLog((listener) => host.onTrainingEvent(listener))
    try {
      await host.getInfo()
      const since = log.mark()
      // 100 steps at full speed: well under the saver's 1 s spacing on a quiet machine, so only the
      // save at the end can hold step 100.
      await host.startTraining({ ...PRESETS.seed.config, batchCount: 100 })
      const id = (await log.waitFor('started', { since })).runId
      expect(await log.waitForEnd(since)).toMatchObject({ type: 'finished', step: 100 })
      const file = decodeCheckpoints(
        new Uint8Array(await readFile(new CheckpointFiles(join(dataDir, 'runs')).path(id)))
      )
      expect(file.states.at(-1)!.step).toBe(100)

      await host.clearTimeTravel()
      await settle(500) // a save still in flight would land here
      expect(await host.getTimeTravelUsage()).toMatchObject({ bytes: 0, files: 0 })
    } finally {
      log.dispose()
      await host.close()
    }
  }, 60_000)
})
