// CurrentRunTracker on hand-made events: what a window that opens late is told about the run it missed.

import { describe, expect, it } from 'vitest'
import { HEALTH_HISTORY_LIMIT, PRESETS, type Divergence, type HealthSample } from '../../core'
import {
  MAX_RECORDED_STEPS,
  type AutoPause,
  type EvaluationSummary,
  type TrainingEvent,
  type WeightSnapshot
} from '../../electron/contract'
import { CurrentRunTracker } from '../../electron/host/current-run'
import { stepMetrics as metric } from './support/step-metrics'

const config = PRESETS.seed.config
const started: TrainingEvent = {
  type: 'started',
  runId: 'r1',
  parent: null,
  config,
  preset: 'seed',
  totalSteps: 100,
  stepsPerEpoch: 100,
  state: 'running'
}
const evaluation: EvaluationSummary = {
  count: 10,
  accuracy: 0.9,
  loss: 0.3,
  confusion: [],
  classCounts: [],
  perClassAccuracy: []
}

/** A tracker on a clock the test moves by hand. */
function tracked(): { tracker: CurrentRunTracker; advance: (ms: number) => void } {
  let now = 1_000
  return { tracker: new CurrentRunTracker(() => now), advance: (ms) => (now += ms) }
}

describe('CurrentRunTracker', () => {
  const health = (step: number): HealthSample => ({ step, layers: [] })
  const alarm = (divergence: Divergence | null): AutoPause => ({
    alarm: {
      kind: 'dead-layer',
      layer: 'dense1',
      layerKind: 'dense',
      step: 2,
      value: 0.95,
      divergence
    },
    image: null
  })

  it('keeps the health samples, bounded, and why the run paused itself until it is resumed', () => {
    const { tracker } = tracked()
    tracker.record(started)
    for (let step = 1; step <= 1000; step++)
      tracker.record({ type: 'health', sample: health(step) })
    const kept = tracker.current()!.health
    expect(kept.length).toBeLessThan(HEALTH_HISTORY_LIMIT)
    expect([kept[0].step, kept.at(-1)!.step]).toEqual([1, 1000])
    tracker.record({ type: 'autoPaused', pause: alarm(null) })
    tracker.record({ type: 'state', state: 'paused' })
    expect(tracker.current()).toMatchObject({ status: 'paused', autoPause: alarm(null) })
    tracker.record({ type: 'state', state: 'running' })
    expect(tracker.current()!.autoPause).toBeNull()
    // A pause where the loss diverged stays: the run ends there, whatever the next command.
    const diverged: Divergence = {
      kind: 'not-finite',
      step: 9,
      loss: null,
      smoothedLoss: null,
      limit: 23
    }
    tracker.record({ type: 'autoPaused', pause: alarm(diverged) })
    tracker.record({ type: 'state', state: 'running' })
    tracker.record({ type: 'diverged', divergence: diverged, elapsedSeconds: 1 })
    expect(tracker.current()).toMatchObject({ status: 'diverged', autoPause: alarm(diverged) })
    tracker.record(started) // a new run starts with neither
    expect(tracker.current()).toMatchObject({ health: [], autoPause: null })
  })

  it('knows of no run before the first start', () => {
    const { tracker } = tracked()
    expect(tracker.current()).toBeNull()
    expect(tracker.activeStep()).toBeNull()
  })

  it('condenses a run: metrics, evaluations, live config changes, status and time spent training', () => {
    const { tracker, advance } = tracked()
    tracker.setPace(50)
    tracker.record(started)
    tracker.record({ type: 'progress', metrics: [metric(1), metric(2)] })
    advance(2_000)
    tracker.record({ type: 'state', state: 'paused' })
    advance(60_000) // a long pause does not count
    expect(tracker.current()).toMatchObject({ status: 'paused', elapsedSeconds: 2 })
    expect(tracker.activeStep()).toBe(2)
    tracker.record({ type: 'state', state: 'running' })
    tracker.record({ type: 'updated', config: { ...config, learningRate: 0.1 }, step: 2 })
    tracker.record({ type: 'progress', metrics: [metric(3)] })
    tracker.record({ type: 'evaluation', step: 3, epoch: 1, evaluation })
    advance(1_000)
    expect(tracker.current()).toEqual({
      runId: 'r1',
      config: { ...config, learningRate: 0.1 },
      preset: 'seed',
      initialWeights: null,
      totalSteps: 100,
      stepsPerEpoch: 100,
      status: 'running',
      failure: null,
      divergence: null,
      pace: 50,
      metrics: [metric(1), metric(2), metric(3)],
      tests: [{ step: 3, epoch: 1, accuracy: 0.9, loss: 0.3 }],
      lastTest: { step: 3, epoch: 1, evaluation },
      health: [],
      autoPause: null,
      elapsedSeconds: 3
    })
    // The worker's own count of the time is the one the window showed at the end.
    tracker.record({ type: 'finished', reason: 'stopped', step: 3, elapsedSeconds: 2.9 })
    advance(5_000)
    expect(tracker.current()).toMatchObject({ status: 'stopped', elapsedSeconds: 2.9 })
    expect(tracker.activeStep()).toBeNull()
  })

  it('keeps a failed run with its explanation', () => {
    const { tracker } = tracked()
    tracker.record(started)
    tracker.record({ type: 'progress', metrics: [metric(1)] })
    tracker.record({
      type: 'failed',
      message: 'loss diverged at step 2 (it became NaN): try a lower learning rate',
      step: 2
    })
    expect(tracker.current()).toMatchObject({
      status: 'failed',
      failure: expect.stringMatching(/lower learning rate/)
    })
  })

  it('keeps a diverged run with where and how its loss diverged', () => {
    const { tracker, advance } = tracked()
    tracker.record(started)
    tracker.record({ type: 'progress', metrics: [metric(1), metric(2), metric(3)] })
    advance(500)
    const divergence = {
      kind: 'exploded',
      step: 3,
      loss: 60,
      smoothedLoss: 23.6,
      limit: 23
    } as const
    tracker.record({ type: 'diverged', divergence, elapsedSeconds: 0.4 })
    advance(5_000)
    expect(tracker.current()).toMatchObject({
      status: 'diverged',
      divergence,
      failure: null,
      elapsedSeconds: 0.4
    })
    expect(tracker.activeStep()).toBeNull()
  })

  it('forgets the run when a reset or a loaded model replaces its weights, and starts afresh with the next', () => {
    const { tracker } = tracked()
    tracker.record(started)
    tracker.record({ type: 'progress', metrics: [metric(1)] })
    tracker.record({ type: 'reset', config })
    expect(tracker.current()).toBeNull()
    tracker.record({ ...started, runId: 'r2' } as TrainingEvent)
    expect(tracker.current()).toMatchObject({ runId: 'r2', metrics: [] })
    tracker.record({
      type: 'modelLoaded',
      model: {
        source: 'loaded',
        architecture: config.architecture,
        trainingConfig: null,
        metrics: {},
        step: 0,
        fileName: 'm.json'
      }
    })
    expect(tracker.current()).toBeNull()
  })

  it('keeps the preset the run was started from and its step-0 weights (W₀), and says whether it is in progress', () => {
    const { tracker } = tracked()
    expect(tracker.inProgress()).toBe(false)
    tracker.record(started)
    expect(tracker.inProgress()).toBe(true)
    const snapshot = (step: number): WeightSnapshot => ({
      layer: 'dense1.weight',
      step,
      rows: 1,
      cols: 2,
      rowsAre: 'units',
      data: Float32Array.of(step, -step)
    })
    tracker.record({ type: 'weights', snapshot: snapshot(0) })
    tracker.record({ type: 'weights', snapshot: snapshot(7) })
    expect(tracker.current()).toMatchObject({ preset: 'seed', initialWeights: snapshot(0) })
    tracker.record({ type: 'state', state: 'paused' })
    expect(tracker.inProgress()).toBe(true)
    tracker.record({ type: 'finished', reason: 'completed', step: 7, elapsedSeconds: 1 })
    expect(tracker.inProgress()).toBe(false)
    // A run whose step-0 snapshot never came (e.g. a window started it paused elsewhere) has no W₀.
    tracker.record({ ...started, runId: 'r2', preset: null } as TrainingEvent)
    tracker.record({ type: 'weights', snapshot: snapshot(3) })
    expect(tracker.current()).toMatchObject({ preset: null, initialWeights: null })
  })

  it('keeps memory bounded on a long run, thinned evenly, with the last step', () => {
    const { tracker } = tracked()
    tracker.record(started)
    const steps = MAX_RECORDED_STEPS * 3 + 7
    for (let step = 1; step <= steps; step += 100) {
      tracker.record({
        type: 'progress',
        metrics: Array.from({ length: Math.min(100, steps - step + 1) }, (_, i) => metric(step + i))
      })
    }
    const metrics = tracker.current()!.metrics
    expect(metrics.length).toBeLessThanOrEqual(MAX_RECORDED_STEPS)
    expect(metrics.at(-1)!.step).toBe(steps)
  })
})
