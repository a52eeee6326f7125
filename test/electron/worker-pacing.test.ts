// The worker's pure parts: the run-control state machine and the throttles, with a fake clock.

import { describe, expect, it } from 'vitest'
import { AUTO_PACE } from '../../electron/contract'
import { resolvePace } from '../../electron/worker/pace'
import { RunControl } from '../../electron/worker/run-control'
import {
  EMIT_INTERVAL_MS,
  SNAPSHOT_INTERVAL_MS,
  snapshotIntervalMs,
  Stopwatch,
  Throttle
} from '../../electron/worker/throttle'

describe('RunControl', () => {
  it('grants every step while running, and exactly one per "step" while paused', () => {
    const control = new RunControl(false)
    expect(control.take()).toBe('run')
    expect(control.apply('pause')).toBe(true)
    expect(control.take()).toBe('wait')
    control.apply('step')
    control.apply('step')
    expect([control.take(), control.take(), control.take()]).toEqual(['single', 'single', 'wait'])
    expect(control.apply('resume')).toBe(true)
    expect(control.take()).toBe('run')
  })

  it('ignores "step" while running, and repeated pause/resume changes nothing visible', () => {
    const control = new RunControl(false)
    expect(control.apply('step')).toBe(false)
    expect(control.apply('resume')).toBe(false)
    expect(control.take()).toBe('run')
    control.apply('pause')
    expect(control.apply('pause')).toBe(false)
  })

  it('stops for good, and wakes a paused loop', async () => {
    const control = new RunControl(true)
    expect(control.state).toBe('paused')
    const woken = control.changed()
    control.apply('stop')
    await woken
    expect(control.take()).toBe('stop')
    expect(control.apply('resume')).toBe(false)
    expect(control.take()).toBe('stop')
  })
})

describe('Throttle and Stopwatch', () => {
  it('is due once per interval of the clock', () => {
    let now = 0
    const throttle = new Throttle(EMIT_INTERVAL_MS, () => now)
    now = EMIT_INTERVAL_MS - 1
    expect(throttle.due).toBe(false)
    now = EMIT_INTERVAL_MS
    expect(throttle.due).toBe(true)
    throttle.mark()
    now = EMIT_INTERVAL_MS * 1.5
    expect(throttle.due).toBe(false)
  })

  it('sends big weight matrices less often than small ones', () => {
    expect(snapshotIntervalMs(7840 * 4)).toBe(SNAPSHOT_INTERVAL_MS)
    expect(snapshotIntervalMs(4096 * 784 * 4)).toBeGreaterThan(2000)
  })

  it('counts running time only', () => {
    let now = 0
    const stopwatch = new Stopwatch(() => now)
    stopwatch.start()
    now = 1000
    stopwatch.stop()
    now = 5000 // paused
    stopwatch.start()
    now = 5500
    expect(stopwatch.seconds).toBe(1.5)
  })
})

describe('resolvePace', () => {
  it("slows a short run to a watchable pace under 'auto', and leaves a long one at full speed", () => {
    expect(resolvePace('auto', 100)).toBe(AUTO_PACE.stepsPerSecond) // the seed preset: ~5 s to watch
    expect(resolvePace('auto', AUTO_PACE.maxSteps)).toBe(AUTO_PACE.stepsPerSecond)
    expect(resolvePace('auto', AUTO_PACE.maxSteps + 1)).toBeNull()
    expect(resolvePace(5, 100_000)).toBe(5) // a pace the learner set is kept, whatever the length
    expect(resolvePace(null, 100)).toBeNull()
  })
})
