// The training and config stores against a stub StudioApi (training-fakes.ts): events → state, commands →
// host calls (with the edited config, as the Train view hands it over: useRunControls). Catching up after a
// reload is in training-catch-up.test.ts.
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { isProxy } from 'vue'
import { PRESETS } from '@core/index'
import { StudioError, type TrainConfig } from '@contract'
import { MAX_POINTS_PER_SERIES, seriesPoints } from '@/shared/charts/series'
import { useConfigStore } from '@/train/config-store'
import { useTrainingStore } from '@/train/training-store'
import { useRunControls } from '@/train/useRunControls'
import { metric, seed, started, studio } from './training-fakes'

vi.mock('@/shared/api', async () => (await import('./training-fakes')).fakeApiModule())

beforeEach(() => {
  setActivePinia(createPinia())
  vi.clearAllMocks()
})

describe('training store: events', () => {
  it('goes running → paused → running → finished, tracking step and loss', () => {
    const training = useTrainingStore()
    training.receive(started())
    expect(training.status).toBe('running')
    expect(training.totalSteps).toBe(100)
    training.receive({ type: 'progress', metrics: [metric(1), metric(2, 1.5)] })
    expect(training.step).toBe(2)
    expect(training.latest?.loss).toBe(1.5)
    training.receive({ type: 'state', state: 'paused' })
    expect(training.status).toBe('paused')
    training.receive({ type: 'state', state: 'running' })
    training.receive({ type: 'finished', reason: 'completed', step: 100, elapsedSeconds: 4 })
    expect(training.status).toBe('finished')
    expect(training.elapsedSeconds).toBe(4)
    expect(training.samplesPerSecond).toBe(metric(2).samplesSeen / 4) // once ended: the run's average
    expect(training.isBusy).toBe(false)
  })

  it('says "stopped" for a run the user stopped', () => {
    const training = useTrainingStore()
    training.receive(started())
    training.receive({ type: 'finished', reason: 'stopped', step: 3, elapsedSeconds: 1 })
    expect(training.status).toBe('stopped')
  })

  it('shows a failed run as failed, with the host’s explanation', () => {
    const training = useTrainingStore()
    training.receive(started())
    training.receive({
      type: 'failed',
      message: 'the training worker stopped unexpectedly; start a new run',
      step: 412
    })
    expect(training.status).toBe('failed')
    expect(training.errorMessage).toContain('start a new run')
  })

  it('shows a diverged run as diverged, in words made from the host’s data', () => {
    const training = useTrainingStore()
    training.receive(started())
    training.receive({ type: 'progress', metrics: [metric(1), metric(2)] })
    const divergence = { kind: 'exploded', step: 3, loss: 47, smoothedLoss: 27, limit: 23 } as const
    training.receive({ type: 'diverged', divergence, elapsedSeconds: 0.5 })
    expect(training.status).toBe('diverged')
    expect(training.divergence).toEqual(divergence)
    expect(training.errorMessage).toBe(
      'The loss exploded at step 3: the learning rate is too high for this network'
    )
    expect(training.elapsedSeconds).toBe(0.5)
    expect(training.isBusy).toBe(false)
    training.receive(started()) // a new run forgets it
    expect(training.divergence).toBeNull()
  })

  it('keeps chart series bounded on a long run, with the smoothed line next to the raw one', () => {
    const training = useTrainingStore()
    training.receive(started())
    for (let start = 1; start <= 20_000; start += 50) {
      training.receive({
        type: 'progress',
        metrics: Array.from({ length: 50 }, (_, i) => metric(start + i, 1))
      })
    }
    const { loss, smoothLoss } = training.series
    expect(seriesPoints(loss).length).toBeLessThanOrEqual(MAX_POINTS_PER_SERIES + 1)
    expect(seriesPoints(smoothLoss).at(-1)).toEqual({ x: 20_000, y: expect.closeTo(1, 6) })
  })

  it('replaces the series object on every update (shallowRef), and never proxies weights', () => {
    const training = useTrainingStore()
    training.receive(started())
    const before = training.series
    training.receive({ type: 'progress', metrics: [metric(1)] })
    expect(training.series).not.toBe(before)
    const data = new Float32Array(10 * 784)
    training.receive({
      type: 'weights',
      snapshot: { layer: 'dense1', step: 1, rows: 10, cols: 784, rowsAre: 'units', data }
    })
    expect(isProxy(training.weights)).toBe(false)
    expect(training.weights?.data).toBe(data)
  })

  it('records test evaluations as points and as the latest result', () => {
    const training = useTrainingStore()
    training.receive(started())
    const evaluation = {
      count: 10_000,
      accuracy: 0.61,
      loss: 1.2,
      confusion: [],
      classCounts: [],
      perClassAccuracy: []
    }
    training.receive({ type: 'evaluation', step: 100, epoch: 1, evaluation })
    expect(seriesPoints(training.series.testAccuracy)).toEqual([{ x: 100, y: 0.61 }])
    expect(training.lastTest?.evaluation.accuracy).toBe(0.61)
  })

  it('clears the run on reset and follows live config updates', () => {
    const training = useTrainingStore()
    training.receive(started())
    training.receive({ type: 'updated', config: { ...seed, learningRate: 0.1 }, step: 0 })
    expect(training.runConfig?.learningRate).toBe(0.1)
    training.receive({ type: 'progress', metrics: [metric(1)] })
    training.receive({ type: 'reset', config: seed })
    expect(training.status).toBe('idle')
    expect(training.step).toBe(0)
    expect(seriesPoints(training.series.loss)).toEqual([])
  })

  it('forgets the last run when a model file replaces its weights', () => {
    const training = useTrainingStore()
    training.receive(started())
    training.receive({ type: 'progress', metrics: [metric(1), metric(2)] })
    training.receive({ type: 'finished', reason: 'stopped', step: 2, elapsedSeconds: 1 })
    training.receive({
      type: 'modelLoaded',
      model: {
        source: 'loaded',
        architecture: seed.architecture,
        trainingConfig: null,
        metrics: {},
        step: 500,
        fileName: 'm.json'
      }
    })
    expect(training.status).toBe('idle')
    expect(training.runConfig).toBeNull()
    expect(training.step).toBe(0)
    expect(seriesPoints(training.series.loss)).toEqual([])
  })
})

describe('training store: commands', () => {
  it('starts with a plain copy of the edited config', async () => {
    const training = useTrainingStore()
    await training.start(useConfigStore().validConfig)
    // 'auto' by default: a short run like this one goes at a pace the learner can watch
    expect(studio.startTraining).toHaveBeenCalledWith(seed, { pace: 'auto' })
    const sent = (studio.startTraining.mock.calls[0] as unknown[])[0]
    expect(isProxy(sent)).toBe(false)
    expect(training.status).toBe('starting')
  })

  it('does not start while a field is invalid, and says why', async () => {
    const config = useConfigStore()
    const training = useTrainingStore()
    config.setField('learningRate', '-1')
    expect(config.errors.learningRate).toBe('must be a number > 0 and ≤ 10, got -1')
    expect(await training.start(config.validConfig)).toBe(false)
    expect(studio.startTraining).not.toHaveBeenCalled()
    expect(training.errorMessage).toMatch(/fix the highlighted fields/)
  })

  it('steps from idle by starting paused and then stepping once', async () => {
    await useRunControls().stepOnce()
    expect(studio.startTraining).toHaveBeenCalledWith(seed, {
      paused: true,
      preset: 'seed',
      pace: 'auto'
    })
    expect(studio.controlTraining).toHaveBeenCalledWith('step')
    expect(studio.startTraining.mock.invocationCallOrder[0]).toBeLessThan(
      studio.controlTraining.mock.invocationCallOrder[0]
    )
  })

  it('toggles: Space pauses a running run and resumes a paused one', async () => {
    const training = useTrainingStore()
    training.receive(started())
    const run = useRunControls()
    await run.toggle()
    expect(studio.controlTraining).toHaveBeenLastCalledWith('pause')
    expect(training.status).toBe('paused')
    await run.toggle()
    expect(studio.controlTraining).toHaveBeenLastCalledWith('resume')
  })

  it('shows a rejected start in the banner, naming the field by its label', async () => {
    // As useStudio() rejects: the host's error as data (code, field), not a sentence to parse.
    studio.startTraining.mockRejectedValueOnce(
      new StudioError({
        code: 'invalid-config',
        field: 'learningRate',
        message: 'learningRate: must be a number > 0 and ≤ 10, got 11'
      })
    )
    const training = useTrainingStore()
    await training.start(useConfigStore().validConfig)
    expect(training.status).toBe('idle')
    expect(training.errorMessage).toBe('Learning rate must be a number > 0 and ≤ 10, got 11')
  })

  it('resets with the same seed, or with a new random one', async () => {
    const run = useRunControls()
    const config = useConfigStore()
    await run.reset(false)
    expect(studio.resetTraining).toHaveBeenLastCalledWith(seed)
    await run.reset(true)
    const newSeed = (studio.resetTraining.mock.calls[1] as unknown as [TrainConfig])[0].seed
    expect(String(newSeed)).toBe(config.draft.seed)
    expect(Number.isInteger(newSeed) && newSeed >= 0 && newSeed <= 4_294_967_295).toBe(true)
  })

  it('starts runs at the chosen pace and changes the pace of a run in progress', async () => {
    const training = useTrainingStore()
    await training.setPace(20)
    expect(studio.updateTraining).not.toHaveBeenCalled() // no run yet: only remembered
    await training.start(useConfigStore().validConfig)
    expect(studio.startTraining).toHaveBeenLastCalledWith(seed, { pace: 20 })
    training.receive({
      type: 'started',
      runId: 'r1',
      parent: null,
      config: seed,
      preset: null,
      totalSteps: 100,
      stepsPerEpoch: 100,
      state: 'running'
    })
    await training.setPace(null)
    expect(studio.updateTraining).toHaveBeenLastCalledWith({ pace: null })
  })

  it('shows the host’s current weights at start-up without changing anything on the host', async () => {
    const snapshot = {
      layer: 'dense1.weight',
      step: 1500,
      rows: 10,
      cols: 784,
      rowsAre: 'units' as const,
      data: new Float32Array(7840)
    }
    studio.getWeights.mockResolvedValueOnce(snapshot)
    studio.getCurrentRun.mockResolvedValue(null)
    const training = useTrainingStore()
    await training.catchUp()
    expect(training.weights).toEqual(snapshot)
    expect(training.status).toBe('idle')
    expect(studio.resetTraining).not.toHaveBeenCalled()
    await training.catchUp() // weights already shown: not asked again
    expect(studio.getWeights).toHaveBeenCalledTimes(1)
  })
})

describe('config store', () => {
  it('sends learning rate and momentum live to a running run, but only valid values', () => {
    const training = useTrainingStore()
    const config = useConfigStore()
    training.receive(started())
    config.setField('learningRate', '0.')
    expect(studio.updateTraining).not.toHaveBeenCalled()
    config.setField('learningRate', '0.1')
    expect(studio.updateTraining).toHaveBeenLastCalledWith({ learningRate: 0.1 })
    config.setField('momentum', '0.9')
    expect(studio.updateTraining).toHaveBeenLastCalledWith({ momentum: 0.9 })
    expect(config.needsReset.size).toBe(0)
  })

  it('does not send live updates without a run', () => {
    useConfigStore().setField('learningRate', '0.1')
    expect(studio.updateTraining).not.toHaveBeenCalled()
  })

  it('marks fields that need a reset only while a run is going', () => {
    const training = useTrainingStore()
    const config = useConfigStore()
    config.setField('batchSize', '64')
    expect(config.needsReset.size).toBe(0)
    training.receive(started())
    expect([...config.needsReset]).toEqual(['batchSize'])
    training.receive({ type: 'finished', reason: 'completed', step: 100, elapsedSeconds: 1 })
    expect(config.needsReset.size).toBe(0)
  })

  it('loads presets and tells when the draft departs from one', () => {
    const config = useConfigStore()
    expect(config.preset).toBe('seed')
    expect(config.isModified).toBe(false)
    config.choosePreset('mlp')
    expect(config.validConfig).toEqual(PRESETS.mlp.config)
    expect(config.draft.optimizer).toBe('adam')
    config.setField('epochs', '2')
    expect(config.isModified).toBe(true)
  })
})
