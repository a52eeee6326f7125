// The training store catching up after a reload, against a stub StudioApi (training-fakes.ts): a run it
// missed (finished, still going, failed or diverged) shown as if it had watched it, and a run that
// started meanwhile preferred.
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { CurrentRun, EvaluationSummary } from '@contract'
import { seriesPoints } from '@/shared/charts/series'
import { useTrainingStore } from '@/train/training-store'
import { metric, seed, started, studio } from './training-fakes'

vi.mock('@/shared/api', async () => (await import('./training-fakes')).fakeApiModule())

beforeEach(() => {
  setActivePinia(createPinia())
  vi.clearAllMocks()
})

describe('training store: catching up after a reload', () => {
  const evaluation = (accuracy: number, loss: number): EvaluationSummary => ({
    accuracy,
    loss,
    count: 10_000,
    confusion: [],
    classCounts: [],
    perClassAccuracy: []
  })
  const missed = (overrides: Partial<CurrentRun> = {}): CurrentRun => ({
    runId: 'run-7',
    config: { ...seed, learningRate: 0.05 },
    preset: 'seed',
    initialWeights: null,
    totalSteps: 100,
    stepsPerEpoch: 100,
    status: 'finished',
    failure: null,
    divergence: null,
    pace: 20,
    metrics: Array.from({ length: 100 }, (_, i) => metric(i + 1)),
    tests: [
      { step: 50, epoch: 1, accuracy: 0.8, loss: 0.7 },
      { step: 100, epoch: 1, accuracy: 0.9, loss: 0.4 }
    ],
    lastTest: { step: 100, epoch: 1, evaluation: evaluation(0.9, 0.4) },
    elapsedSeconds: 12,
    ...overrides
  })

  it('shows a finished run it missed as if it had watched it: curves, progress, tests, time and pace', async () => {
    studio.getCurrentRun.mockResolvedValueOnce(missed())
    studio.getWeights.mockResolvedValueOnce({
      layer: 'dense1.weight',
      step: 100,
      rows: 10,
      cols: 784,
      rowsAre: 'units' as const,
      data: new Float32Array(7840)
    })
    const training = useTrainingStore()
    await training.catchUp()
    expect(training.status).toBe('finished')
    expect(training.runConfig?.learningRate).toBe(0.05)
    expect(training.totalSteps).toBe(100)
    expect(training.step).toBe(100)
    expect(seriesPoints(training.series.loss)).toHaveLength(100)
    expect(seriesPoints(training.series.smoothLoss)).toHaveLength(100)
    expect(seriesPoints(training.series.testAccuracy)).toEqual([
      { x: 50, y: 0.8 },
      { x: 100, y: 0.9 }
    ])
    expect(training.lastTest?.evaluation.accuracy).toBe(0.9)
    expect(training.elapsedSeconds).toBe(12)
    expect(training.pace).toBe(20)
    expect(training.weights?.step).toBe(100)
  })

  it('picks up a run still going, which then carries on with its events', async () => {
    studio.getCurrentRun.mockResolvedValueOnce(
      missed({
        status: 'running',
        metrics: [metric(1), metric(2)],
        tests: [],
        lastTest: null,
        elapsedSeconds: 3
      })
    )
    const training = useTrainingStore()
    await training.catchUp()
    expect(training.status).toBe('running')
    expect(training.isBusy).toBe(true)
    expect(training.elapsedSeconds).toBeGreaterThanOrEqual(3)
    training.receive({ type: 'progress', metrics: [metric(3)] })
    expect(training.step).toBe(3)
    expect(seriesPoints(training.series.loss).map((p) => p.x)).toEqual([1, 2, 3])
  })

  it('explains a failed run it missed', async () => {
    studio.getCurrentRun.mockResolvedValueOnce(
      missed({
        status: 'failed',
        failure: 'the training worker stopped unexpectedly; try a lower learning rate'
      })
    )
    const training = useTrainingStore()
    await training.catchUp()
    expect(training.status).toBe('failed')
    expect(training.errorMessage).toContain('try a lower learning rate')
  })

  it('explains a diverged run it missed', async () => {
    const divergence = {
      kind: 'not-finite',
      step: 40,
      loss: null,
      smoothedLoss: null,
      limit: 23
    } as const
    studio.getCurrentRun.mockResolvedValueOnce(missed({ status: 'diverged', divergence }))
    const training = useTrainingStore()
    await training.catchUp()
    expect(training.status).toBe('diverged')
    expect(training.divergence).toEqual(divergence)
    expect(training.errorMessage).toBe(
      'The loss became infinite or NaN at step 40: the learning rate is too high for this network'
    )
  })

  it('prefers a run that started while it was asking: that one told the window everything itself', async () => {
    let answer: (run: CurrentRun) => void = () => {}
    studio.getCurrentRun.mockImplementationOnce(
      () => new Promise<CurrentRun>((resolve) => (answer = resolve))
    )
    const training = useTrainingStore()
    const caughtUp = training.catchUp()
    training.receive(started('paused'))
    answer(missed())
    await caughtUp
    expect(training.status).toBe('paused')
    expect(training.step).toBe(0)
    expect(training.elapsedSeconds).toBe(0)
  })
})
