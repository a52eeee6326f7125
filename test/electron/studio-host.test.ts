// StudioHost with the real built worker on the real MNIST: run control, throttling, reset, live
// updates and divergence. What it refuses, and crash recovery, are in studio-host-refusals.test.ts.

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PRESETS, type TrainConfig } from '../../core'
import type { StudioHost } from '../../electron/host/studio-host'
import { EventLog, settle } from './support/event-log'
import { createHost } from './support/studio-host'
import { LONG_RUN, LONG_RUN_PACE } from './support/long-run'
import { denseNet } from '../helpers/architectures'

const SEED = PRESETS.seed.config
/** The seed net over the whole training set: 1875 steps of ~1 ms, so steps outpace any UI. */
const FAST_FULL_EPOCH: TrainConfig = { ...SEED, batchCount: 'all' }
/** Uniform U(−1, 1) init, three ReLU layers and lr 10: the loss explodes within a few steps. */
const DIVERGING: TrainConfig = {
  ...SEED,
  init: 'uniform',
  learningRate: 10,
  architecture: denseNet([64, 64, 64])
}

describe('StudioHost with the real worker', () => {
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

  it('reports the real MNIST in getInfo', async () => {
    const info = await host.getInfo()
    expect(info).toMatchObject({ mode: 'browser', version: 'test' })
    expect(info.train).toEqual({
      name: 'MNIST training set',
      count: 60_000,
      rows: 28,
      cols: 28,
      classes: 10
    })
    expect(info.test).toMatchObject({ count: 10_000, rows: 28, cols: 28 })
  })

  it('batches progress to about 10 messages a second, whatever the step rate, and loses no step', async () => {
    const since = log.mark()
    const wallStart = Date.now()
    await host.startTraining(FAST_FULL_EPOCH)
    const end = await log.waitForEnd(since)
    const wallSeconds = (Date.now() - wallStart) / 1000

    expect(end).toMatchObject({ type: 'finished', reason: 'completed', step: 1875 })
    const started = log.ofType('started', since)
    expect(started).toHaveLength(1)
    expect(started[0]).toMatchObject({ totalSteps: 1875, stepsPerEpoch: 1875, state: 'running' })
    const steps = log.metrics(since).map((m) => m.step)
    expect(steps).toEqual(Array.from({ length: 1875 }, (_, i) => i + 1))
    const progressMessages = log.ofType('progress', since).length
    const snapshots = log.ofType('weights', since).length
    // Counts, not times: at most ~15 messages per second of wall time, far fewer than steps.
    expect(progressMessages).toBeLessThanOrEqual(Math.ceil(15 * wallSeconds) + 2)
    expect(progressMessages * 20).toBeLessThan(steps.length)
    expect(snapshots).toBeLessThanOrEqual(Math.ceil(6 * wallSeconds) + 3)
    // The epoch end is also the end: exactly one evaluation, of the final step, without per-image arrays.
    const evaluations = log.ofType('evaluation', since)
    expect(evaluations.map((e) => e.step)).toEqual([1875])
    expect(evaluations[0].evaluation.count).toBe(10_000)
    expect(evaluations[0].evaluation.accuracy).toBeGreaterThan(0.6)
    expect(evaluations[0].evaluation).not.toHaveProperty('predictions')
    expect(evaluations[0].evaluation).not.toHaveProperty('confidences')
    if (end.type === 'finished') expect(end.elapsedSeconds).toBeGreaterThan(0)
  })

  it('slows a run to a set pace, changes it live, and a paced run computes what a full-speed run does', async () => {
    const config = { ...SEED, batchCount: 60 }
    const fullSpeed = log.mark()
    await host.startTraining(config)
    await log.waitForEnd(fullSpeed)
    const reference = log.metrics(fullSpeed).map((m) => m.loss)

    const since = log.mark()
    const wallStart = Date.now()
    await host.startTraining(config, { pace: 20 })
    await log.waitFor('progress', { since })
    await new Promise((resolve) => setTimeout(resolve, 500))
    const elapsed = (Date.now() - wallStart) / 1000
    const stepsSoFar = log.metrics(since).length
    // An upper bound only: a loaded machine can be slower than the pace, never faster.
    expect(stepsSoFar).toBeLessThanOrEqual(Math.ceil(20 * elapsed) + 1)
    expect(stepsSoFar).toBeLessThan(60)
    // Slowed down, progress still arrives batched (≈10 messages/s), not one message per step.
    expect(log.ofType('progress', since).length).toBeLessThanOrEqual(Math.ceil(15 * elapsed) + 2)

    await host.updateTraining({ pace: null }) // full speed from here
    const end = await log.waitForEnd(since)
    expect(end).toMatchObject({ type: 'finished', reason: 'completed', step: 60 })
    expect(log.metrics(since).map((m) => m.loss)).toEqual(reference) // only wall time changed
  })

  it('reads the current first-layer weights without changing the model (a window opening late)', async () => {
    const since = log.mark()
    await host.startTraining({ ...SEED, batchCount: 50 })
    await log.waitForEnd(since)
    const last = log.ofType('weights', since).at(-1)!.snapshot
    const read = await host.getWeights()
    expect(read).toMatchObject({ layer: last.layer, step: 50, rows: 10, cols: 784 })
    expect(Array.from(read.data)).toEqual(Array.from(last.data))
    expect((await host.getModel()).source).toBe('run') // reading did not reset anything
  })

  it('rejects a pace that is not null or a positive number of steps per second', async () => {
    await expect(host.startTraining(SEED, { pace: 0 })).rejects.toThrow(/options\.pace/)
    await expect(host.startTraining(SEED, { pace: 'slow' })).rejects.toThrow(/options\.pace/)
    await expect(host.updateTraining({ pace: -5 })).rejects.toThrow(/update\.pace/)
  })

  it('pauses, steps exactly one batch, resumes and stops', async () => {
    const since = log.mark()
    await host.startTraining(LONG_RUN, LONG_RUN_PACE)
    await log.waitFor('progress', { since })
    await host.controlTraining('pause')
    const paused = await log.waitFor('state', { since })
    expect(paused.state).toBe('paused')
    const pausedAt = log.metrics(since).at(-1)!.step
    await settle(300)
    expect(log.metrics(since).at(-1)!.step).toBe(pausedAt) // nothing moves while paused
    expect(log.ofType('weights', since).at(-1)!.snapshot.step).toBe(pausedAt) // the weights the learner studies match

    const beforeStep = log.mark()
    await host.controlTraining('step')
    await log.waitFor('progress', { since: beforeStep })
    const snapshot = await log.waitFor('weights', { since: beforeStep })
    expect(snapshot.snapshot.step).toBe(pausedAt + 1) // a single step redraws the weights at once
    await settle(300)
    expect(log.metrics(beforeStep).map((m) => m.step)).toEqual([pausedAt + 1])

    const beforeResume = log.mark()
    await host.controlTraining('resume')
    expect((await log.waitFor('state', { since: beforeResume })).state).toBe('running')
    await log.waitFor('progress', {
      since: beforeResume,
      accept: (e) => e.metrics.at(-1)!.step > pausedAt + 1
    })

    const beforeStop = log.mark()
    await host.controlTraining('stop')
    const end = await log.waitFor('finished', { since: beforeStop })
    expect(end).toMatchObject({ type: 'finished', reason: 'stopped' })
    expect(end.step).toBe(log.metrics(since).at(-1)!.step)
  })

  it('starts paused, so that Step from idle runs exactly one batch', async () => {
    const since = log.mark()
    await host.startTraining(SEED, { paused: true })
    expect((await log.waitFor('started', { since })).state).toBe('paused')
    await host.controlTraining('step')
    await log.waitFor('progress', { since })
    await settle(200)
    expect(log.metrics(since).map((m) => m.step)).toEqual([1])
    await host.controlTraining('stop')
    expect(await log.waitForEnd(since)).toMatchObject({ reason: 'stopped', step: 1 })
  })

  it('evaluates on the test set every N batches and at the end', async () => {
    const since = log.mark()
    await host.startTraining({ ...SEED, evaluateEvery: 30 })
    await log.waitForEnd(since)
    expect(log.ofType('evaluation', since).map((e) => [e.step, e.epoch])).toEqual([
      [30, 1],
      [60, 1],
      [90, 1],
      [100, 1]
    ])
  })

  it('tells a window that opens late about the run it missed, until a reset replaces its weights', async () => {
    const since = log.mark()
    await host.startTraining({ ...SEED, evaluateEvery: 40 }, { pace: 5000, preset: 'seed' })
    await log.waitForEnd(since)
    const run = await host.getCurrentRun()
    expect(run).toMatchObject({
      status: 'finished',
      preset: 'seed',
      initialWeights: log.ofType('weights', since)[0].snapshot,
      failure: null,
      pace: 5000,
      totalSteps: 100,
      stepsPerEpoch: 100
    })
    expect(run!.runId).toBe(log.ofType('started', since)[0].runId)
    expect(run!.metrics).toEqual(log.metrics(since)) // every step, as the events had them
    const evaluations = log.ofType('evaluation', since)
    expect(run!.tests.map((t) => [t.step, t.accuracy, t.loss])).toEqual(
      evaluations.map((e) => [e.step, e.evaluation.accuracy, e.evaluation.loss])
    )
    expect(run!.lastTest).toEqual({
      step: 100,
      epoch: 1,
      evaluation: evaluations.at(-1)!.evaluation
    })
    expect(run!.elapsedSeconds).toBeGreaterThan(0)

    await host.resetTraining(SEED)
    await log.waitFor('reset', { since })
    expect(await host.getCurrentRun()).toBeNull()
  })

  it('applies a live learning-rate change from the next step on', async () => {
    const since = log.mark()
    await host.startTraining(SEED, { paused: true })
    await host.controlTraining('step')
    await log.waitFor('progress', { since })
    await host.updateTraining({ learningRate: 0.01 })
    const updated = await log.waitFor('updated', { since })
    expect(updated.config.learningRate).toBe(0.01)
    expect(updated.step).toBe(1) // one step trained at 0.03: the change applies from step 2
    const beforeStep = log.mark()
    await host.controlTraining('step')
    await log.waitFor('progress', { since: beforeStep })
    expect(log.metrics(since).map((m) => m.learningRate)).toEqual([0.03, 0.01])

    await host.updateTraining({ momentum: 0.9 }) // the seed preset uses SGD, which has momentum
    expect(
      (
        await log.waitFor('updated', {
          since: beforeStep,
          accept: (e) => e.config.optimizer.kind === 'sgd' && e.config.optimizer.momentum === 0.9
        })
      ).config.learningRate
    ).toBe(0.01)
    await host.controlTraining('stop')
    await log.waitForEnd(since)
  })

  it('rejects momentum for Adam, which has none', async () => {
    const since = log.mark()
    await host.startTraining(PRESETS.mlp.config, { paused: true })
    await expect(host.updateTraining({ momentum: 0.5 })).rejects.toThrow(/momentum: only SGD/)
    await host.controlTraining('stop')
    await log.waitForEnd(since)
  })

  it('resets to the same initial weights for the same seed, and different ones for another seed', async () => {
    const snapshotAfterReset = async (config: TrainConfig): Promise<Float32Array> => {
      const since = log.mark()
      await host.resetTraining(config)
      expect((await log.waitFor('reset', { since })).config).toEqual(config)
      const weights = await log.waitFor('weights', { since })
      expect(weights.snapshot).toMatchObject({
        layer: 'dense1.weight',
        step: 0,
        rows: 10,
        cols: 784
      })
      return weights.snapshot.data
    }
    const first = await snapshotAfterReset(SEED)
    expect(first).toBeInstanceOf(Float32Array)
    expect(first).toHaveLength(7840)

    // A run trains the weights away; reset brings back exactly the start.
    const since = log.mark()
    await host.startTraining(SEED)
    await log.waitForEnd(since)
    expect(log.ofType('weights', since)[0].snapshot.data).toEqual(first) // a run's step-0 snapshot
    expect(log.ofType('weights', since).at(-1)!.snapshot.data).not.toEqual(first)

    expect(await snapshotAfterReset(SEED)).toEqual(first)
    expect(await snapshotAfterReset({ ...SEED, seed: 2 })).not.toEqual(first)
  })

  it('predicts with the current model: 10 probabilities that sum to 1', async () => {
    await host.resetTraining(SEED)
    const pixels = new Float32Array(784).fill(0)
    for (let row = 4; row < 24; row++) pixels[row * 28 + 14] = 1 // a vertical stroke, roughly a "1"
    const prediction = await host.predict(pixels)
    expect(prediction.probabilities).toHaveLength(10)
    expect(prediction.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5)
    expect(prediction.predicted).toBe(
      prediction.probabilities.indexOf(Math.max(...prediction.probabilities))
    )
    // A plain list of numbers is accepted too.
    expect(await host.predict(Array.from(pixels))).toEqual(prediction)
  })

  it('refuses a second start while a run is going, and replaces the run only when asked to', async () => {
    const since = log.mark()
    await host.startTraining(LONG_RUN, LONG_RUN_PACE)
    await log.waitFor('progress', { since })
    // e.g. a window that opened before the run began, and whose Start still reads "Start"
    await expect(host.startTraining(SEED)).rejects.toMatchObject({ code: 'run-in-progress' })
    expect(log.ofType('started', since)).toHaveLength(1)
    expect(await host.getCurrentRun()).toMatchObject({ status: 'running' })
    await host.startTraining(SEED, { replace: true })
    const types = log.events.slice(since).map((e) => e.type)
    const firstEnd = types.indexOf('finished')
    expect(firstEnd).toBeGreaterThan(0)
    expect(log.events[since + firstEnd]).toMatchObject({ reason: 'stopped' })
    expect(types.lastIndexOf('started')).toBeGreaterThan(firstEnd)
    expect(await log.waitForEnd(since + firstEnd + 1)).toMatchObject({
      type: 'finished',
      reason: 'completed',
      step: 100
    })
  })

  it('stops a diverging run where its loss exploded, says so as data, and stays usable', async () => {
    const since = log.mark()
    await host.startTraining(DIVERGING)
    const end = await log.waitForEnd(since)
    if (end.type !== 'diverged') throw new Error(`expected 'diverged', got ${JSON.stringify(end)}`)
    const { divergence } = end
    expect(divergence.step).toBeGreaterThan(0)
    expect(end.elapsedSeconds).toBeGreaterThan(0)
    if (divergence.kind === 'exploded') {
      // The step that exploded is drawn too, with its true (huge) loss.
      const last = log.metrics(since).at(-1)!
      expect(last).toMatchObject({ step: divergence.step, loss: divergence.loss })
      expect(divergence.smoothedLoss).toBeGreaterThan(divergence.limit!)
    }
    // The heatmaps show the weights as the run left them (before the step that diverged).
    expect(log.ofType('weights', since).at(-1)!.snapshot.step).toBe(divergence.step - 1)
    expect(await host.getCurrentRun()).toMatchObject({ status: 'diverged', divergence })

    const again = log.mark()
    await host.startTraining(SEED)
    expect(await log.waitForEnd(again)).toMatchObject({ type: 'finished', reason: 'completed' })
  })
})
