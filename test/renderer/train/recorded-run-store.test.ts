// Runs' "Open in Train" against a stubbed StudioApi: a recorded run shown as recorded (curves, tests,
// health, config, its network at its last step), scrubbed and forked like the live run; a run in
// progress is asked about, never replaced silently; a start, a reset or "Back to a new run" leaves it.
import { createPinia, setActivePinia } from 'pinia'
import { nextTick } from 'vue'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { StudioError, type NetworkAtStep, type RunPoint } from '@contract'
import type { HealthSample } from '@core/train/health'
import { receiveTrainingEvent } from '@/app/host-events'
import { seriesPoints } from '@/shared/charts/series'
import { useNavigationStore } from '@/shared/navigation-store'
import { useConfigStore } from '@/train/config-store'
import { useHealthStore } from '@/train/health/health-store'
import { useRecordedRunStore } from '@/train/recorded-run-store'
import { useTimeTravelStore } from '@/train/time-travel-store'
import { useTrainingStore } from '@/train/training-store'
import { makeRecord, makeRun } from '../runs/run-fixtures'
import { metric, seed, started, studio } from './training-fakes'

vi.mock('@/shared/api', async () => (await import('./training-fakes')).fakeApiModule())

const RUN = makeRun('old-run', {
  name: 'Seed, slower',
  steps: 60,
  totalSteps: 60,
  config: { ...seed, learningRate: 0.01, epochs: 1 }
})
const RECORD = {
  ...makeRecord(RUN),
  health: [{ step: 10 }, { step: 50 }] as unknown as HealthSample[]
}
/** The worker's replay: weights whose one value is the step, so each step's are told apart. */
const networkAt = ({ runId, step }: RunPoint): NetworkAtStep =>
  ({
    runId,
    step,
    totalSteps: 60,
    weights: { step, data: Float32Array.of(step) }
  }) as unknown as NetworkAtStep

beforeEach(() => {
  setActivePinia(createPinia())
  vi.clearAllMocks()
  studio.getRun.mockImplementation(async () => RECORD)
  studio.networkAtStep.mockImplementation(async (point: RunPoint) => networkAt(point))
  studio.getWeights.mockImplementation(async () => ({ step: 0, data: Float32Array.of(-1) }))
})

describe('opening a recorded run in Train', () => {
  it('shows it as recorded: curves, tests, health, config, and its network at its last step', async () => {
    const training = useTrainingStore()
    const config = useConfigStore()
    const recorded = useRecordedRunStore()
    useNavigationStore().show('runs')
    expect(await recorded.open(RUN)).toBe(true)
    expect(useNavigationStore().view).toBe('train')
    expect(training.recorded).toEqual({
      id: 'old-run',
      name: 'Seed, slower',
      steps: 60,
      ended: 'Completed'
    })
    expect(training).toMatchObject({
      runId: 'old-run',
      status: 'finished',
      step: 60,
      totalSteps: 60
    })
    expect(seriesPoints(training.series.loss)).toHaveLength(60)
    expect(seriesPoints(training.series.testAccuracy)).toEqual([{ x: 60, y: 0.9 }])
    expect(training.lastTest?.evaluation).toEqual({ accuracy: 0.9, loss: 0.3 })
    expect(studio.networkAtStep).toHaveBeenCalledWith({ runId: 'old-run', step: 60 })
    expect(training.weights?.data).toEqual(Float32Array.of(60))
    expect(training.initialWeights?.data).toEqual(Float32Array.of(0))
    expect(recorded.end?.step).toBe(60)
    expect(useHealthStore().samples.map((s) => s.step)).toEqual([10, 50])
    await nextTick()
    expect(config.draft.learningRate).toBe('0.01') // its settings, in the (read-only) panel
  })

  it('scrubs and forks it like the live run; the fork replaces no run going elsewhere', async () => {
    const recorded = useRecordedRunStore()
    const travel = useTimeTravelStore()
    await recorded.open(RUN)
    travel.moveTo(12)
    await vi.waitFor(() => expect(travel.network?.step).toBe(12))
    expect(studio.networkAtStep).toHaveBeenLastCalledWith({ runId: 'old-run', step: 12 })
    travel.moveTo(500)
    expect(travel.cursor).toBe(60) // clamped to the record's last step
    travel.moveTo(12)
    const lower = { ...RUN.config, learningRate: 0.003 }
    expect(await travel.fork(lower)).toBe(true)
    expect(studio.startTraining).toHaveBeenCalledWith(lower, {
      fork: { runId: 'old-run', step: 12 },
      replace: false,
      pace: 'auto'
    })
    expect(useTrainingStore().recorded).toBeNull() // the fork is the new run
  })

  it('asks before stopping a run in progress, and opens once it has stopped', async () => {
    const training = useTrainingStore()
    training.receive(started())
    training.receive({ type: 'progress', metrics: [metric(1), metric(2)] })
    const recorded = useRecordedRunStore()
    expect(await recorded.open(RUN)).toBe(false)
    expect(recorded.asking).toEqual(RUN)
    expect(studio.getRun).not.toHaveBeenCalled()
    expect(training.runId).toBe('run-1') // untouched

    recorded.keepTraining()
    expect(recorded.asking).toBeNull()
    expect(studio.controlTraining).not.toHaveBeenCalled()

    await recorded.open(RUN)
    const opened = recorded.stopAndOpen()
    await vi.waitFor(() => expect(studio.controlTraining).toHaveBeenCalledWith('stop'))
    training.receive({ type: 'finished', reason: 'stopped', step: 2, elapsedSeconds: 1 })
    expect(await opened).toBe(true)
    expect(training.recorded?.id).toBe('old-run')
  })

  it('leaves the recorded run on a new start, a reset, or "Back to a new run"', async () => {
    const training = useTrainingStore()
    const recorded = useRecordedRunStore()
    const travel = useTimeTravelStore()

    await recorded.open(RUN)
    receiveTrainingEvent(started()) // as the host's events reach every store
    await nextTick()
    expect(training.recorded).toBeNull()
    expect(recorded.end).toBeNull()
    expect(useHealthStore().samples).toEqual([])
    receiveTrainingEvent({ type: 'finished', reason: 'completed', step: 100, elapsedSeconds: 1 })

    await recorded.open({ ...RUN, id: 'other' })
    expect(training.recorded).not.toBeNull()
    receiveTrainingEvent({ type: 'reset', config: seed })
    expect(training.recorded).toBeNull()
    expect(training.status).toBe('idle')

    await recorded.open({ ...RUN, id: 'third' })
    travel.moveTo(5)
    await recorded.close()
    expect(training).toMatchObject({ recorded: null, runId: null, status: 'idle', step: 0 })
    expect(seriesPoints(training.series.loss)).toEqual([])
    expect(travel.cursor).toBeNull()
    expect(useHealthStore().samples).toEqual([])
    expect(training.weights?.data).toEqual(Float32Array.of(-1)) // the worker's own, back
  })

  it('explains a run that cannot be opened, and leaves the view as it was', async () => {
    studio.networkAtStep.mockRejectedValueOnce(
      new StudioError({
        code: 'run-file',
        message: 'run old-run has no time-travel data (cleared)'
      })
    )
    const recorded = useRecordedRunStore()
    expect(await recorded.open(RUN)).toBe(false)
    expect(recorded.error).toMatch(/^Could not open “Seed, slower”: .*no time-travel data/)
    expect(useTrainingStore()).toMatchObject({ recorded: null, runId: null, status: 'idle' })
    expect(recorded.opening).toBeNull()
  })
})
