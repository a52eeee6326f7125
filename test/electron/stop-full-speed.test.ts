// Regression (issue 15 item 5): Stop during a run at full speed answers promptly, ends the run where it
// is, and the run is recorded as stopped, not completed or failed; the host takes a new run at once.

import { describe, expect, it } from 'vitest'
import { PRESETS } from '../../core'
import { EventLog } from './support/event-log'
import { createHost } from './support/studio-host'

/** The MLP preset over 100 epochs: never done before the test stops it. */
const HEAVY_RUN = { ...PRESETS.mlp.config, epochs: 100 }

describe('Stop during a full-speed run', () => {
  it('ends the run promptly, recorded as stopped', async () => {
    const host = createHost()
    const log = new EventLog((listener) => host.onTrainingEvent(listener))
    try {
      await host.startTraining(HEAVY_RUN, { pace: null })
      const started = await log.waitFor('started')
      // Well under way: metrics, weight snapshots and evaluations all flowing.
      await log.waitFor('progress', { accept: (event) => event.metrics.at(-1)!.step >= 200 })
      const since = log.mark()
      await host.controlTraining('stop')
      // NOTE: a generous deadline, not a timing: a stop that waits for the run to finish never arrives.
      const end = await log.waitForEnd(since, 20_000)
      expect(end).toMatchObject({ type: 'finished', reason: 'stopped' })
      const step = (end as { step: number }).step
      expect(step).toBeGreaterThanOrEqual(200)
      expect(step).toBeLessThan(started.totalSteps)
      expect(
        log.ofType('progress', since).every((event) => event.metrics.every((m) => m.step <= step))
      ).toBe(true)

      const record = await host.getRun(started.runId)
      expect(record).toMatchObject({ status: 'stopped', steps: step })
      // The next run starts without a 'run in progress' refusal.
      await host.startTraining(PRESETS.seed.config, { paused: true })
      await host.controlTraining('stop')
    } finally {
      log.dispose()
      await host.close()
    }
  }, 60_000)
})
