// A conv net's feature maps at a time-travel step, through StudioHost and the real built worker on the
// real MNIST: at the run's last step they are bit for bit the live model's, earlier they are the
// network's as it was then, and the worker's reuse of its replay (after networkAtStep of the same step)
// gives exactly what a fresh replay gives.

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PRESETS, type TrainConfig } from '../../core'
import type { ImageSource } from '../../electron/contract'
import { StudioHost } from '../../electron/host/studio-host'
import { EventLog } from './support/event-log'
import { requireBuiltWorker } from './support/paths'
import { tempDir } from './support/temp-dir'

/** A small conv net, 40 steps: every step is a checkpoint (⌈40 / 256⌉ = 1), so replays are short. */
const CONV: TrainConfig = {
  ...PRESETS.seed.config,
  architecture: {
    inputShape: [1, 28, 28],
    layers: [
      { kind: 'conv', filters: 4, kernel: 5, stride: 1, padding: 'valid', activation: 'relu' },
      { kind: 'maxpool', size: 2 },
      { kind: 'flatten' }
    ],
    outputSize: 10
  },
  learningRate: 0.05,
  batchCount: 40
}
const PROBE: ImageSource = { kind: 'test', index: 7 }

describe('feature maps at a time-travel step', () => {
  let host: StudioHost
  let log: EventLog
  let runId: string

  beforeAll(async () => {
    host = new StudioHost({
      workerPath: requireBuiltWorker(),
      mode: 'browser',
      version: 'test',
      dataDir: tempDir()
    })
    log = new EventLog((listener) => host.onTrainingEvent(listener))
    await host.startTraining(CONV)
    runId = (await log.waitFor('started')).runId
    expect(await log.waitForEnd()).toMatchObject({ type: 'finished', step: 40 })
  }, 120_000)

  afterAll(async () => {
    log.dispose()
    await host.close()
  })

  it('at the last step are the live model’s maps, bit for bit', async () => {
    const live = await host.featureMaps(PROBE)
    const replayed = await host.featureMapsAtStep({ runId, step: 40 }, PROBE)
    expect(live.step).toBe(40)
    expect(replayed).toEqual(live)
    expect(replayed.layers.map((layer) => layer.name)).toEqual(['conv1', 'pool1'])
  })

  it('at an early step are the network’s as it was then: other maps, named by that step', async () => {
    const late = await host.featureMapsAtStep({ runId, step: 40 }, PROBE)
    const early = await host.featureMapsAtStep({ runId, step: 2 }, PROBE)
    expect(early.step).toBe(2)
    expect(early.input).toEqual(late.input) // the same digit
    expect(early.layers[0].data).not.toEqual(late.layers[0].data)
  })

  it('after networkAtStep of the same step (the replay reused) equal a fresh replay’s', async () => {
    await host.networkAtStep({ runId, step: 30 })
    const fresh = await host.featureMapsAtStep({ runId, step: 17 }, PROBE) // replays from 30 to 17
    await host.networkAtStep({ runId, step: 17 })
    const reused = await host.featureMapsAtStep({ runId, step: 17 }, PROBE)
    expect(reused).toEqual(fresh)
  })

  it('refuses a step the run does not have, naming it', async () => {
    await expect(host.featureMapsAtStep({ runId, step: 41 }, PROBE)).rejects.toMatchObject({
      code: 'invalid-request',
      field: 'point.step'
    })
  })
})
