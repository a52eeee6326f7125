// StudioHost with the real built worker: what it refuses (bad configs, commands, updates and images;
// commands without a run) before anything reaches the worker, and how it recovers when the worker crashes
// or cannot start. Run control is in studio-host.test.ts.

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PRESETS } from '../../core'
import { StudioHost } from '../../electron/host/studio-host'
import { EventLog, settle } from './support/event-log'
import { createHost } from './support/studio-host'
import { tempDir } from './support/temp-dir'
import { LONG_RUN, LONG_RUN_PACE } from './support/long-run'

const SEED = PRESETS.seed.config

describe('StudioHost refusing bad input', () => {
  let host: StudioHost
  let log: EventLog

  beforeAll(async () => {
    host = createHost()
    log = new EventLog((listener) => host.onTrainingEvent(listener))
    await host.getInfo() // the worker has loaded MNIST
  })

  afterAll(async () => {
    log.dispose()
    await host.close()
  })

  it('rejects bad configs with a message naming the field, before anything reaches the worker', async () => {
    const since = log.mark()
    await expect(host.startTraining({ ...SEED, learningRate: -1 })).rejects.toThrow(
      /^learningRate: must be a number > 0/
    )
    await expect(host.startTraining({ ...SEED, batchSize: 0 })).rejects.toThrow(
      /^batchSize: must be a whole number from 1/
    )
    await expect(host.startTraining({ ...SEED, colour: 'blue' })).rejects.toThrow(
      /^config\.colour: is not a known setting/
    )
    await expect(host.startTraining('fast please')).rejects.toThrow(
      /^config: must be an object, got string/
    )
    await expect(host.startTraining(null)).rejects.toThrow(/^config: must be an object/)
    await expect(host.startTraining({ ...SEED, batchSize: 60_000, batchCount: 2 })).rejects.toThrow(
      /^batchCount: /
    )
    await expect(host.startTraining(SEED, { paused: 'yes' })).rejects.toThrow(/^options\.paused: /)
    await expect(host.startTraining(SEED, { fast: true })).rejects.toThrow(
      /^options\.fast: is not a known setting/
    )
    await expect(host.resetTraining({ ...SEED, epochs: 0 })).rejects.toThrow(/^epochs: /)
    expect(log.events.slice(since)).toEqual([])
  })

  it('rejects bad commands, updates and images', async () => {
    await expect(host.controlTraining('explode')).rejects.toThrow(/^command: /)
    await expect(host.controlTraining({ command: 'pause' })).rejects.toThrow(/^command: /)
    await expect(host.updateTraining({ learningRate: 0 })).rejects.toThrow(
      /^learningRate: must be a number > 0/
    )
    await expect(host.updateTraining({ momentum: 1 })).rejects.toThrow(/^optimizer\.momentum: /)
    await expect(host.updateTraining({})).rejects.toThrow(/^update: give learningRate/)
    await expect(host.updateTraining({ learningRate: 0.1, batchSize: 8 })).rejects.toThrow(
      /^update\.batchSize: /
    )
    await expect(host.predict(new Float32Array(10))).rejects.toThrow(
      /^pixels: must hold exactly 784 values/
    )
    await expect(host.predict(new Float32Array(784).fill(2))).rejects.toThrow(
      /^pixels\[0\]: must be a number from 0 to 1, got 2/
    )
    await expect(host.predict(new Float32Array(784).fill(Number.NaN))).rejects.toThrow(
      /^pixels\[0\]: /
    )
    await expect(host.predict('a picture')).rejects.toThrow(/^pixels: must be a Float32Array/)
  })

  it('refuses to pause without a run, and treats stop (and live updates) without a run as no-ops', async () => {
    await expect(host.controlTraining('pause')).rejects.toThrow(/no training run is in progress/)
    await expect(host.controlTraining('step')).rejects.toThrow(/no training run is in progress/)
    await expect(host.controlTraining('stop')).resolves.toBeUndefined()
    await expect(host.updateTraining({ learningRate: 0.1 })).resolves.toBeUndefined() // validated, nothing to change
  })
})

describe('StudioHost when the worker crashes', () => {
  it('reports the crash as failed, rejects the waiting call, and starts a fresh worker', async () => {
    const host = createHost()
    const log = new EventLog((listener) => host.onTrainingEvent(listener))
    try {
      await host.startTraining(LONG_RUN, LONG_RUN_PACE)
      await log.waitFor('progress')
      const pendingPredict = host.predict(new Float32Array(784))
      const since = log.mark()
      await host.killWorkerForTesting()
      const failed = await log.waitFor('failed', { since })
      expect(failed.message).toMatch(/training worker stopped unexpectedly .*start a new run/)
      expect(failed.step).toBeGreaterThan(0)
      await pendingPredict.then(
        () => undefined, // the reply may have beaten the kill
        (error: Error) => expect(error.message).toMatch(/training worker stopped/)
      )

      const again = log.mark()
      await host.startTraining(SEED)
      expect(await log.waitForEnd(again)).toMatchObject({
        type: 'finished',
        reason: 'completed',
        step: 100
      })
      expect((await host.getInfo()).train.count).toBe(60_000)
    } finally {
      log.dispose()
      await host.close()
    }
  })

  it('reports a worker that cannot start at all, without restarting it in a loop', async () => {
    const host = new StudioHost({
      workerPath: '/nonexistent/train-worker.js',
      mode: 'browser',
      version: 'test',
      dataDir: tempDir()
    })
    const log = new EventLog((listener) => host.onTrainingEvent(listener))
    try {
      await expect(host.getInfo()).rejects.toThrow(/training worker stopped .*nonexistent/)
      const failed = await log.waitFor('failed')
      expect(failed).toMatchObject({
        step: null,
        message: expect.stringMatching(/Restart Backprop Studio/)
      })
      await expect(host.startTraining(SEED)).rejects.toThrow(/training worker stopped/)
      await expect(host.controlTraining('stop')).rejects.toThrow(/training worker stopped/)
      await settle(300)
      expect(log.ofType('failed')).toHaveLength(1)
    } finally {
      log.dispose()
      await host.close()
    }
  })

  it("holds the seed preset's initial weights before the first start or reset", async () => {
    const host = createHost()
    try {
      const model = await host.getModel()
      expect(model).toMatchObject({
        source: 'reset',
        step: 0,
        trainingConfig: PRESETS.seed.config,
        fileName: null
      })
      const prediction = await host.predict(new Float32Array(784))
      expect(prediction.probabilities).toHaveLength(10)
    } finally {
      await host.close()
    }
  })
})
