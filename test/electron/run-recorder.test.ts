// The run recorder and its parts without a worker: periodic saves, pauses excluded from the duration,
// thinning of long runs, file validation and safe file names.

import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { PRESETS } from '../../core'
import { MetricSeries } from '../../electron/host/metric-series'
import { safeFileStem } from '../../electron/host/run-csv'
import { parseRunFile, serializeRun } from '../../electron/host/run-file'
import { RunRecorder } from '../../electron/host/run-recorder'
import { RunStore } from '../../electron/host/run-store'
import { settle } from './support/event-log'
import { tempDir } from './support/temp-dir'
import { stepMetrics as metrics } from './support/step-metrics'

describe('MetricSeries', () => {
  it('keeps every step up to the limit', () => {
    const series = new MetricSeries(10)
    for (let step = 1; step <= 9; step++) series.push(metrics(step))
    expect(series.values().map((m) => m.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9])
  })

  it('thins evenly beyond the limit, and always keeps the last step', () => {
    const series = new MetricSeries(10)
    for (let step = 1; step <= 1001; step++) series.push(metrics(step))
    const steps = series.values().map((m) => m.step)
    expect(steps.length).toBeLessThanOrEqual(10)
    expect(steps.at(-1)).toBe(1001)
    const gaps = steps.slice(1, -1).map((step, i) => step - steps[i])
    expect(new Set(gaps).size).toBe(1) // evenly spaced
    expect(steps[0]).toBeLessThanOrEqual(gaps[0]) // from the start of the run
  })
})

describe('RunRecorder', () => {
  it('saves at the start, periodically while training, and at the end; pauses do not count', async () => {
    const dir = tempDir()
    const store = new RunStore(dir)
    let now = 1_000_000
    const recorder = new RunRecorder(store, Promise.resolve(), {
      saveIntervalMs: 20,
      now: () => now
    })
    const config = PRESETS.seed.config
    recorder.record({
      type: 'started',
      runId: 'r1',
      config,
      preset: 'seed',
      totalSteps: 100,
      stepsPerEpoch: 100,
      state: 'running'
    })
    await recorder.idle()
    const read = async () => JSON.parse(await readFile(join(dir, 'runs', 'r1.json'), 'utf8'))
    expect(await read()).toMatchObject({ status: 'running', steps: 0, metrics: [] })

    recorder.record({ type: 'progress', metrics: [metrics(1), metrics(2)] })
    now += 2000
    recorder.record({ type: 'state', state: 'paused' })
    now += 60_000 // a long pause
    await settle(100)
    await recorder.idle()
    expect(await read()).toMatchObject({ status: 'running', steps: 2, durationSeconds: 2 })

    recorder.record({ type: 'state', state: 'running' })
    now += 1000
    recorder.record({ type: 'progress', metrics: [metrics(3)] })
    expect(recorder.activeRecord()).toMatchObject({ steps: 3, durationSeconds: 3 })
    recorder.record({ type: 'finished', reason: 'completed', step: 3, elapsedSeconds: 3.25 })
    await recorder.idle()
    expect(await read()).toMatchObject({
      status: 'completed',
      steps: 3,
      durationSeconds: 3.25,
      finalTestAccuracy: null
    })
    expect(recorder.activeId).toBeNull()
  })

  it('reports a failed save without throwing (training goes on)', async () => {
    const warnings: string[] = []
    const store = new RunStore('/dev/null/cannot-be-a-folder')
    const recorder = new RunRecorder(store, Promise.resolve(), {
      warn: (message) => warnings.push(message)
    })
    recorder.record({
      type: 'started',
      runId: 'r2',
      config: PRESETS.seed.config,
      preset: null,
      totalSteps: 1,
      stepsPerEpoch: 1,
      state: 'running'
    })
    await recorder.close()
    expect(warnings.join('\n')).toMatch(/could not save run r2/)
  })
})

describe('run files', () => {
  const record = {
    id: 'abc',
    name: 'a run',
    status: 'completed' as const,
    startedAt: '2026-01-02T03:04:05.000Z',
    durationSeconds: 1.5,
    steps: 2,
    totalSteps: 2,
    finalTestAccuracy: 0.5,
    finalTestLoss: 1.2,
    config: PRESETS.seed.config,
    metrics: [metrics(1), metrics(2)],
    evaluations: [{ step: 2, epoch: 1, accuracy: 0.5, loss: 1.2 }],
    failure: null
  }

  it('round-trips a record', () => {
    expect(parseRunFile(serializeRun(record), 'abc')).toEqual(record)
  })

  it('names the damaged field, and refuses a file that holds another run', () => {
    const text = (patch: object) =>
      JSON.stringify({ format: 'backprop-studio-run', version: 1, ...record, ...patch })
    expect(() => parseRunFile(text({ status: 'exploded' }), 'abc')).toThrow(/^run abc: status: /)
    expect(() => parseRunFile(text({ metrics: [{ ...metrics(1), loss: 'low' }] }), 'abc')).toThrow(
      /^run abc: metrics\.0\.loss: /
    )
    expect(() =>
      parseRunFile(text({ config: { ...PRESETS.seed.config, epochs: 0 } }), 'abc')
    ).toThrow(/^run abc: config\.epochs: /)
    expect(() => parseRunFile(text({ startedAt: 'yesterday' }), 'abc')).toThrow(
      /^run abc: startedAt: must be an ISO 8601 time/
    )
    expect(() => parseRunFile(text({ version: 2 }), 'abc')).toThrow(/^run abc: version: /)
    expect(() => parseRunFile(text({}), 'other')).toThrow('run other: the file holds run abc')
  })

  it('turns run names into safe file names', () => {
    expect(safeFileStem('784 → 128 ReLU → 10 · Adam 0.001')).toBe('784-128-ReLU-10-Adam-0.001')
    expect(safeFileStem('../../etc/passwd')).toBe('etc-passwd')
    expect(safeFileStem('.hidden')).toBe('hidden')
    expect(safeFileStem('→ · →')).toBe('run')
    expect(safeFileStem('x'.repeat(300))).toHaveLength(100)
  })
})
