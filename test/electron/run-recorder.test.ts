// The run recorder and its parts without a worker: periodic saves, pauses excluded from the duration,
// thinning of long runs, file validation and safe file names.

import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { HEALTH_BINS, HEALTH_HISTORY_LIMIT, healthAt, PRESETS, type HealthSample } from '../../core'
import { MetricSeries } from '../../electron/host/metric-series'
import { runCsv, safeFileStem } from '../../electron/host/run-csv'
import { parseRunFile, serializeRun } from '../../electron/host/run-file'
import { RunRecorder } from '../../electron/host/run-recorder'
import type { TrainConfig, TrainingEvent } from '../../electron/contract'
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
      parent: null,
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

  it('keeps the network’s health with the record, thinned like the live panel, and saves it', async () => {
    const dir = tempDir()
    const store = new RunStore(dir)
    const recorder = new RunRecorder(store, Promise.resolve())
    recorder.record({
      type: 'started',
      runId: 'r3',
      parent: null,
      config: PRESETS.seed.config,
      preset: null,
      totalSteps: 1000,
      stepsPerEpoch: 1000,
      state: 'running'
    })
    for (let step = 1; step <= 1000; step++) {
      recorder.record({ type: 'progress', metrics: [metrics(step)] })
      if (step % 3 === 0) recorder.record({ type: 'health', sample: healthSample(step) })
    }
    const live = recorder.activeRecord()!.health
    expect(live.length).toBeLessThan(HEALTH_HISTORY_LIMIT)
    expect(live.length).toBeGreaterThan(HEALTH_HISTORY_LIMIT / 4)
    expect(live[0].step).toBe(3)
    expect(live.at(-1)!.step).toBe(999)
    recorder.record({ type: 'finished', reason: 'completed', step: 1000, elapsedSeconds: 1 })
    await recorder.idle()
    expect((await store.read('r3')).health).toEqual(live)
    // The health at a step: that step's sample, or the nearest before it.
    expect(healthAt(live, 999)?.step).toBe(999)
    expect(healthAt(live, 1000)?.step).toBe(999)
    const second = live[1].step
    expect(healthAt(live, second + 1)?.step).toBe(second)
    expect(healthAt(live, 2)).toBeNull()
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
      parent: null,
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

describe('RunRecorder: what really happened', () => {
  const seed = PRESETS.seed.config
  const start = (runId: string, config: TrainConfig = seed): TrainingEvent => ({
    type: 'started',
    runId,
    parent: null,
    config,
    preset: 'seed',
    totalSteps: 100,
    stepsPerEpoch: 100,
    state: 'running'
  })
  const recorderIn = (dir: string) => {
    const store = new RunStore(dir)
    return { store, recorder: new RunRecorder(store, Promise.resolve()) }
  }

  it('logs live changes at the step they apply from, in the name and the record', async () => {
    const { store, recorder } = recorderIn(tempDir())
    recorder.record(start('r1'))
    recorder.record({ type: 'progress', metrics: [metrics(1), metrics(2), metrics(3)] })
    // The worker says how many steps were done with the old settings: the new ones apply from step 4.
    recorder.record({ type: 'updated', config: { ...seed, learningRate: 0.5 }, step: 3 })
    await recorder.idle()
    expect(recorder.activeRecord()).toMatchObject({
      name: '784 → 10 ReLU → 10 · SGD 0.03 → 0.5',
      config: { learningRate: 0.03 }, // as it started
      changes: [{ setting: 'learningRate', step: 4, from: 0.03, to: 0.5 }]
    })
    recorder.record({ type: 'progress', metrics: [metrics(4), metrics(5)] })
    const withMomentum = { ...seed, learningRate: 0.5, optimizer: { kind: 'sgd', momentum: 0.9 } }
    recorder.record({ type: 'updated', config: withMomentum as TrainConfig, step: 5 })
    recorder.record({ type: 'finished', reason: 'completed', step: 5, elapsedSeconds: 1 })
    await recorder.idle()
    const saved = await store.read('r1')
    expect(saved.name).toBe('784 → 10 ReLU → 10 · SGD 0.03 → 0.5, momentum 0 → 0.9')
    expect(saved.changes).toEqual([
      { setting: 'learningRate', step: 4, from: 0.03, to: 0.5 },
      { setting: 'momentum', step: 6, from: 0, to: 0.9 }
    ])
  })

  it('counts changes between the same two steps as one, and none when the value comes back', async () => {
    const { recorder } = recorderIn(tempDir())
    recorder.record(start('r1'))
    recorder.record({ type: 'progress', metrics: [metrics(1)] })
    for (const learningRate of [0.1, 0.2, 0.5])
      recorder.record({ type: 'updated', config: { ...seed, learningRate }, step: 1 })
    expect(recorder.activeRecord()!.changes).toEqual([
      { setting: 'learningRate', step: 2, from: 0.03, to: 0.5 }
    ])
    recorder.record({ type: 'updated', config: seed, step: 1 })
    expect(recorder.activeRecord()!.changes).toEqual([])
    await recorder.close()
  })

  it('numbers runs whose settings give the same name, and keeps a name the learner chose', async () => {
    const { store, recorder } = recorderIn(tempDir())
    for (const id of ['r1', 'r2', 'r3']) {
      recorder.record(start(id))
      recorder.record({ type: 'finished', reason: 'completed', step: 0, elapsedSeconds: 0 })
    }
    recorder.record(start('r4', { ...seed, learningRate: 0.1 }))
    recorder.rename('mine')
    recorder.record({ type: 'updated', config: { ...seed, learningRate: 0.5 }, step: 0 })
    await recorder.close()
    const names = (await store.list()).runs.map((r) => [r.id, r.name])
    expect(Object.fromEntries(names)).toEqual({
      r1: '784 → 10 ReLU → 10 · SGD 0.03',
      r2: '784 → 10 ReLU → 10 · SGD 0.03 #2',
      r3: '784 → 10 ReLU → 10 · SGD 0.03 #3',
      r4: 'mine'
    })
  })

  it("records a diverged run as 'diverged', where and how, with no final test result", async () => {
    const { store, recorder } = recorderIn(tempDir())
    recorder.record(start('r1'))
    recorder.record({ type: 'evaluation', step: 2, epoch: 1, evaluation: summaryOf(0.2, 2.1) })
    recorder.record({ type: 'progress', metrics: [metrics(1), metrics(2), metrics(3)] })
    const divergence = {
      kind: 'exploded',
      step: 3,
      loss: 60,
      smoothedLoss: 23.6,
      limit: 23
    } as const
    recorder.record({ type: 'diverged', divergence, elapsedSeconds: 0.5 })
    await recorder.idle()
    expect(await store.read('r1')).toMatchObject({
      status: 'diverged',
      divergence,
      steps: 3,
      durationSeconds: 0.5,
      finalTestAccuracy: null,
      finalTestLoss: null,
      failure: null
    })
  })

  it('writes the learning rate and momentum each step trained with into the CSV', async () => {
    const { store, recorder } = recorderIn(tempDir())
    recorder.record(start('r1'))
    recorder.record({ type: 'progress', metrics: [metrics(1), metrics(2)] })
    const changed = { ...seed, learningRate: 0.5, optimizer: { kind: 'sgd', momentum: 0.9 } }
    recorder.record({ type: 'updated', config: changed as TrainConfig, step: 2 })
    const at = (step: number) => ({ ...metrics(step), learningRate: 0.5 })
    recorder.record({ type: 'progress', metrics: [at(3), at(4)] })
    recorder.record({ type: 'finished', reason: 'completed', step: 4, elapsedSeconds: 1 })
    await recorder.idle()
    const csv = runCsv(await store.read('r1'))
    const rows = csv.text.trim().split('\n')
    expect(rows[0]).toBe(
      'step,epoch,batch,loss,accuracy,samples_seen,learning_rate,momentum,test_accuracy,test_loss'
    )
    expect(rows.slice(1).map((row) => row.split(',').slice(6, 8).join(' '))).toEqual([
      '0.03 0',
      '0.03 0',
      '0.5 0.9',
      '0.5 0.9'
    ])
    expect(csv.fileName).toBe('784-10-ReLU-10-SGD-0.03-0.5-momentum-0-0.9.csv')
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
    failure: null,
    changes: [{ setting: 'learningRate' as const, step: 2, from: 0.03, to: 0.5 }],
    divergence: null,
    parent: { runId: 'parent-run', step: 1 },
    timeTravelDropped: false,
    timeTravelThinned: { longestReplay: 7 },
    pinned: true,
    health: [healthSample(1), healthSample(2)]
  }

  it('round-trips a record', () => {
    expect(parseRunFile(serializeRun(record), 'abc')).toEqual(record)
  })

  it('names the damaged field, and refuses a file that holds another run', () => {
    const text = (patch: object) =>
      JSON.stringify({ format: 'backprop-studio-run', version: 2, ...record, ...patch })
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
    expect(() => parseRunFile(text({ version: 5 }), 'abc')).toThrow(/^run abc: version: /)
    expect(() =>
      parseRunFile(text({ changes: [{ setting: 'seed', step: 1, from: 1, to: 2 }] }), 'abc')
    ).toThrow(/^run abc: changes\.0\.setting: /)
    expect(() => parseRunFile(text({}), 'other')).toThrow('run other: the file holds run abc')
  })

  it('still reads version 1 files, which had no change log and no divergence', () => {
    const { changes: _changes, divergence: _divergence, ...v1 } = record
    const text = JSON.stringify({ format: 'backprop-studio-run', version: 1, ...v1 })
    expect(parseRunFile(text, 'abc')).toEqual({ ...record, changes: [], divergence: null })
  })

  it('reads files from before forks as runs with no parent, and refuses a parent that is no run point', () => {
    const { parent: _parent, ...before } = record
    const text = JSON.stringify({ format: 'backprop-studio-run', version: 2, ...before })
    expect(parseRunFile(text, 'abc')).toEqual({ ...record, parent: null })
    const bad = JSON.stringify({ ...JSON.parse(text), parent: { runId: '../x', step: 1 } })
    expect(() => parseRunFile(bad, 'abc')).toThrow(/^run abc: parent\.runId: /)
  })

  it('keeps the health with the record: a norm that was not finite reads back as NaN; older files have none', () => {
    const diverged: HealthSample = {
      step: 3,
      layers: [{ ...healthSample(3).layers[0], gradientNorm: Infinity, finite: false }]
    }
    const read = parseRunFile(serializeRun({ ...record, health: [diverged] }), 'abc')
    expect(read.health[0].layers[0].gradientNorm).toBeNaN()
    expect(read.health[0].layers[0]).toEqual({ ...diverged.layers[0], gradientNorm: NaN })
    const { health: _health, ...before } = record
    const text = JSON.stringify({ format: 'backprop-studio-run', version: 2, ...before })
    expect(parseRunFile(text, 'abc').health).toEqual([])
    const bins = { ...JSON.parse(serializeRun(record)) }
    bins.health[0].layers[0].weights.counts = [1, 2]
    expect(() => parseRunFile(JSON.stringify(bins), 'abc')).toThrow(
      /^run abc: health\.0\.layers\.0\.weights\.counts: /
    )
  })

  it('reads version 3 files as never thinned and not pinned, and refuses a pin or thinning of the wrong kind', () => {
    const { timeTravelThinned: _thinned, pinned: _pinned, ...v3 } = record
    const text = JSON.stringify({ format: 'backprop-studio-run', version: 3, ...v3 })
    expect(parseRunFile(text, 'abc')).toEqual({ ...record, timeTravelThinned: null, pinned: false })
    expect(JSON.parse(serializeRun(record)).version).toBe(4)
    const patched = (patch: object) => JSON.stringify({ ...JSON.parse(text), ...patch })
    expect(() => parseRunFile(patched({ pinned: 'yes' }), 'abc')).toThrow(/^run abc: pinned: /)
    expect(() =>
      parseRunFile(patched({ timeTravelThinned: { longestReplay: -1 } }), 'abc')
    ).toThrow(/^run abc: timeTravelThinned\.longestReplay: /)
  })

  it('turns run names into safe file names', () => {
    expect(safeFileStem('784 → 128 ReLU → 10 · Adam 0.001')).toBe('784-128-ReLU-10-Adam-0.001')
    expect(safeFileStem('../../etc/passwd')).toBe('etc-passwd')
    expect(safeFileStem('.hidden')).toBe('hidden')
    expect(safeFileStem('→ · →')).toBe('run')
    expect(safeFileStem('x'.repeat(300))).toHaveLength(100)
  })
})

/** One dense layer's health at `step` (made-up numbers of the right shape). */
function healthSample(step: number): HealthSample {
  const histogram = { min: -1, max: 1, counts: Array.from({ length: HEALTH_BINS }, (_, i) => i) }
  return {
    step,
    layers: [
      {
        layer: 'dense1',
        kind: 'dense',
        weights: histogram,
        gradients: histogram,
        activations: histogram,
        weightNorm: 3.5,
        gradientNorm: 0.25,
        updateRatio: 0.001,
        deadFraction: 0.1,
        finite: true
      }
    ]
  }
}

function summaryOf(accuracy: number, loss: number) {
  return { count: 10, accuracy, loss, confusion: [], classCounts: [], perClassAccuracy: [] }
}
