// A worker that stops answering (a busy loop) is noticed within its deadline and ended; one that is
// merely idle or busy between heartbeats is left alone; the host marks the run failed with that reason
// and the next Start runs on a fresh worker (issue 15, item 6). No wall-clock asserts: only generous
// test timeouts.

import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { PRESETS } from '../../core'
import { WORKER_HEARTBEAT_MS } from '../../electron/contract'
import { StudioHost } from '../../electron/host/studio-host'
import { HUNG_AFTER_MS, silenceAllowedMs } from '../../electron/host/worker-deadline'
import { WorkerLink } from '../../electron/host/worker-link'
import { PATIENT_WAIT_MS } from '../helpers/waits'
import { EventLog, settle } from './support/event-log'
import { LONG_RUN, LONG_RUN_PACE } from './support/long-run'
import { requireBuiltWorker } from './support/paths'
import { tempDir } from './support/temp-dir'

/** A stand-in worker: ready at once, alive every heartbeat, and stuck for good on a 'hang' command. */
const TINY_WORKER = `
const { parentPort } = require('node:worker_threads')
const summary = { name: 'none', count: 0, rows: 28, cols: 28, classes: 10 }
parentPort.postMessage({ type: 'ready', train: summary, test: summary })
setInterval(() => parentPort.postMessage({ type: 'alive' }), ${WORKER_HEARTBEAT_MS}).unref()
parentPort.on('message', ({ id, verb }) => {
  if (verb === 'hang') for (;;);
  parentPort.postMessage({ type: 'reply', id, ok: true, result: verb })
})
`

function tinyWorkerPath(): string {
  const path = join(tempDir('studio-worker-'), 'tiny-worker.cjs')
  writeFileSync(path, TINY_WORKER)
  return path
}

describe('WorkerLink watching its worker', () => {
  const links: WorkerLink[] = []
  afterEach(async () => {
    for (const link of links.splice(0)) await link.close()
  })

  function link(silenceAllowedMs: number, onCrash: (reason: string) => void): WorkerLink {
    const made = new WorkerLink(
      tinyWorkerPath(),
      { onEvent: () => undefined, onCrash },
      { silenceAllowedMs: () => silenceAllowedMs }
    )
    links.push(made)
    return made
  }

  it('ends a worker stuck in a busy loop, rejecting what waits for it with the reason', async () => {
    const crashes: string[] = []
    const worker = link(1_500, (reason) => crashes.push(reason))
    await worker.ready
    // NOTE: 'hang' is no verb of ours: the stand-in worker's way to be stuck.
    const waiting = worker.request('hang' as 'getModel', [])
    await expect(waiting).rejects.toThrow(/training worker stopped \(it did not answer for \d+ s\)/)
    expect(crashes).toEqual([expect.stringMatching(/^it did not answer for \d+ s$/)])
    await expect(worker.request('getModel', [])).rejects.toThrow(/did not answer/)
  }, 30_000)

  it('leaves an idle worker that keeps saying it is alive running, well past the deadline', async () => {
    const crashes: string[] = []
    const worker = link(1_500, (reason) => crashes.push(reason))
    await worker.ready
    await settle(4 * 1_500)
    expect(crashes).toEqual([])
    await expect(worker.request('getModel', [])).resolves.toBe('getModel')
  }, 30_000)
})

describe('silenceAllowedMs', () => {
  it('allows a few seconds for the presets, and more for work that takes longer', () => {
    const seed = PRESETS.seed.config
    expect(silenceAllowedMs(null)).toBe(HUNG_AFTER_MS)
    expect(silenceAllowedMs(seed)).toBeLessThan(HUNG_AFTER_MS + 1_000)
    expect(silenceAllowedMs(PRESETS.mlp.config)).toBeLessThan(HUNG_AFTER_MS + 2_000)
    // A step of LeNet's batch of 64 on the reference engine, at its slowest: 3 · 416 520 · 500 / 50 000
    expect(silenceAllowedMs(PRESETS.lenet.config)).toBeGreaterThan(HUNG_AFTER_MS + 4_000)
    const wide = { ...seed.architecture, layers: [...Array(6)].map(() => dense4096) }
    // 87 M multiply-adds per sample, a batch of 1 000: hours, not seconds
    expect(silenceAllowedMs({ architecture: wide, batchSize: 1_000 })).toBeGreaterThan(3_600_000)
  })
})

const dense4096 = { kind: 'dense', units: 4_096, activation: 'relu' } as const

describe('StudioHost when the worker hangs', () => {
  it('marks the run failed with the reason, records it, and starts the next run on a fresh worker', async () => {
    const marker = join(tempDir('studio-hang-'), 'hang-once')
    writeFileSync(marker, '')
    process.env.STUDIO_TEST_HANG_MARKER = marker
    requireBuiltWorker()
    const host = new StudioHost({
      workerPath: join(import.meta.dirname, 'support/hanging-worker.mjs'),
      mode: 'browser',
      version: 'test',
      dataDir: tempDir()
    })
    const log = new EventLog((listener) => host.onTrainingEvent(listener))
    try {
      await host.getInfo()
      await host.startTraining(LONG_RUN, LONG_RUN_PACE)
      const started = await log.waitFor('started')
      const failed = await log.waitFor('failed', { timeoutMs: PATIENT_WAIT_MS })
      expect(failed.message).toMatch(
        /training worker stopped unexpectedly \(it did not answer for \d+ s\).*start a new run/
      )
      const record = await host.getRun(started.runId)
      expect(record).toMatchObject({ status: 'failed', failure: failed.message })
      expect(await host.getCurrentRun()).toMatchObject({ status: 'failed' })

      const again = log.mark()
      await host.startTraining(PRESETS.seed.config)
      expect(await log.waitForEnd(again)).toMatchObject({ type: 'finished', reason: 'completed' })
    } finally {
      delete process.env.STUDIO_TEST_HANG_MARKER
      log.dispose()
      await host.close()
    }
  }, 90_000)
})
