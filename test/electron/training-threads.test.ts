// Conv nets in the studio train on helper threads (electron/parallel/), through StudioHost and the real
// built worker: the run's metrics are the single-thread engine's, and the helpers end with the run
// (finished, stopped, reset) and with the worker (the host closing it, as its watchdog does).
// Threads are counted from /proc (a worker thread is one OS thread); skipped where there is none.

import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createTrainer, PRESETS, type StepMetrics, type TrainConfig } from '../../core'
import { loadMnist, type DatasetPair } from '../../electron/files/datasets'
import type { StudioHost } from '../../electron/host/studio-host'
import { defaultTrainingThreads } from '../../electron/parallel/threaded-trainer'
import { SMALL_CONV_NET } from '../helpers/architectures'
import { EventLog } from './support/event-log'
import { osThreads, threadsSettleAt } from './support/os-threads'
import { createHost } from './support/studio-host'

/** A small conv net with every layer kind, 60 steps. */
const CONV: TrainConfig = { ...PRESETS.seed.config, architecture: SMALL_CONV_NET, batchCount: 60 }
const HELPERS = defaultTrainingThreads(CONV.architecture) - 1

let mnist: DatasetPair
beforeAll(async () => {
  mnist = await loadMnist()
})

describe.runIf(osThreads() !== null)('a conv net in the studio, on helper threads', () => {
  const hosts: { host: StudioHost; log: EventLog }[] = []
  afterEach(async () => {
    for (const { host, log } of hosts.splice(0)) {
      log.dispose()
      await host.close()
    }
  })

  /** A host whose worker is ready, and the thread count then (the worker's thread included). */
  async function readyHost(
    env: Record<string, string> = {}
  ): Promise<{ host: StudioHost; log: EventLog; threads: number }> {
    // NOTE: a worker takes a copy of the environment as it starts (set until it is surely started).
    Object.assign(process.env, env)
    const host = createHost()
    const log = new EventLog((listener) => host.onTrainingEvent(listener))
    hosts.push({ host, log })
    try {
      await host.getModel() // answered once the worker has loaded MNIST
    } finally {
      for (const name of Object.keys(env)) delete process.env[name]
    }
    return { host, log, threads: osThreads()! }
  }

  it('trains to the single-thread engine’s metrics, its helpers ending with the run', async () => {
    const { host, log, threads } = await readyHost()
    await host.startTraining(CONV, { paused: true })
    await log.waitFor('started')
    expect(osThreads()).toBe(threads + HELPERS)
    await host.controlTraining('resume')
    expect(await log.waitForEnd()).toMatchObject({ type: 'finished', reason: 'completed' })
    const single = createTrainer(CONV, mnist.train)
    const expected: StepMetrics[] = Array.from({ length: 60 }, () => single.step())
    expect(log.metrics()).toEqual(expected)
    expect(await threadsSettleAt(threads)).toBe(threads)
  })

  it('Stop and Reset end the helpers; the next Start has its own', async () => {
    const { host, log, threads } = await readyHost()
    await host.startTraining({ ...CONV, batchCount: 'all', epochs: 5 })
    await log.waitFor('progress')
    const since = log.mark()
    await host.controlTraining('stop')
    expect(await log.waitForEnd(since)).toMatchObject({ type: 'finished', reason: 'stopped' })
    expect(await threadsSettleAt(threads)).toBe(threads)

    const again = log.mark()
    await host.startTraining(CONV, { paused: true })
    await log.waitFor('started', { since: again })
    expect(osThreads()).toBe(threads + HELPERS)
    await host.resetTraining(CONV)
    expect(await threadsSettleAt(threads)).toBe(threads)
  })

  it('BACKPROP_THREADS=1 trains it on one thread (the studio’s setting)', async () => {
    const { host, log, threads } = await readyHost({ BACKPROP_THREADS: '1' })
    await host.startTraining(CONV, { paused: true })
    await log.waitFor('started')
    expect(osThreads()).toBe(threads)
  })

  it('closing the worker mid-run (as the host does with a hung one) leaves no thread behind', async () => {
    const { host, log, threads } = await readyHost()
    await host.startTraining({ ...CONV, batchCount: 'all', epochs: 5 })
    await log.waitFor('progress')
    expect(osThreads()).toBe(threads + HELPERS)
    hosts.pop()
    log.dispose()
    await host.close()
    expect(await threadsSettleAt(threads - 1)).toBe(threads - 1)
  })
})
