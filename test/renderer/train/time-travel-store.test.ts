// The time-travel store against a stubbed StudioApi: the cursor asks for the network at its step (the
// latest step wins while the worker replays), back to live, play-back, and a fork from the cursor.
import { createPinia, setActivePinia } from 'pinia'
import { nextTick } from 'vue'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { NetworkAtStep, RunPoint } from '@contract'
import { useTimeTravelStore } from '@/train/time-travel-store'
import { useTrainingStore } from '@/train/training-store'
import { metric, seed, started, studio } from './training-fakes'

vi.mock('@/shared/api', async () => (await import('./training-fakes')).fakeApiModule())

const networkAt = ({ runId, step }: RunPoint): NetworkAtStep =>
  ({ runId, step, totalSteps: 100 }) as NetworkAtStep

/** A training store that has trained `steps` steps of run-1. */
function trained(steps: number) {
  const training = useTrainingStore()
  training.receive(started())
  training.receive({
    type: 'progress',
    metrics: Array.from({ length: steps }, (_, i) => metric(i + 1))
  })
  return training
}

beforeEach(() => {
  setActivePinia(createPinia())
  vi.clearAllMocks()
  vi.useFakeTimers()
})
afterEach(() => vi.useRealTimers())

describe('time-travel store', () => {
  it('asks for the network at the cursor’s step, clamped to the steps trained', async () => {
    trained(40)
    studio.networkAtStep.mockImplementation(async (point: RunPoint) => networkAt(point))
    const travel = useTimeTravelStore()
    travel.moveTo(12.4)
    expect(travel.cursor).toBe(12)
    await vi.waitFor(() => expect(travel.network?.step).toBe(12))
    expect(studio.networkAtStep).toHaveBeenLastCalledWith({ runId: 'run-1', step: 12 })
    travel.moveTo(500)
    expect(travel.cursor).toBe(40)
    travel.live()
    expect(travel.cursor).toBeNull()
    expect(travel.network).toBeNull()
  })

  it('while the worker replays, asks only for the latest step the cursor went to', async () => {
    trained(90)
    const answers: (() => void)[] = []
    studio.networkAtStep.mockImplementation(
      (point: RunPoint) =>
        new Promise<NetworkAtStep>((resolve) => answers.push(() => resolve(networkAt(point))))
    )
    const travel = useTimeTravelStore()
    travel.moveTo(10)
    travel.moveTo(20)
    travel.moveTo(30)
    expect(studio.networkAtStep).toHaveBeenCalledTimes(1)
    answers.shift()!()
    await vi.waitFor(() => expect(studio.networkAtStep).toHaveBeenCalledTimes(2))
    expect(studio.networkAtStep).toHaveBeenLastCalledWith({ runId: 'run-1', step: 30 })
    answers.shift()!()
    await vi.waitFor(() => expect(travel.network?.step).toBe(30))
  })

  it('plays the run back at the chosen speed, and stops at its last step', async () => {
    trained(100)
    studio.networkAtStep.mockImplementation(async (point: RunPoint) => networkAt(point))
    const travel = useTimeTravelStore()
    travel.speed = 200 // 40 steps per 200 ms tick
    travel.play()
    expect(travel.cursor).toBe(0)
    await vi.advanceTimersByTimeAsync(200)
    expect(travel.cursor).toBe(40)
    await vi.advanceTimersByTimeAsync(600)
    expect(travel.cursor).toBe(100)
    expect(travel.playing).toBe(false)
  })

  it('forks from the cursor’s step with the changed config, and the fork is the new live run', async () => {
    const training = trained(50)
    studio.networkAtStep.mockImplementation(async (point: RunPoint) => networkAt(point))
    const travel = useTimeTravelStore()
    travel.moveTo(20)
    const lower = { ...seed, learningRate: 0.003 }
    expect(await travel.fork(lower)).toBe(true)
    expect(studio.startTraining).toHaveBeenCalledWith(lower, {
      fork: { runId: 'run-1', step: 20 },
      replace: true,
      pace: 'auto'
    })
    expect(travel.cursor).toBeNull()
    travel.moveTo(5)
    const fork = started()
    if (fork.type === 'started')
      training.receive({ ...fork, runId: 'run-2', parent: { runId: 'run-1', step: 20 } })
    await nextTick()
    expect(travel.cursor).toBeNull() // a new run: back to live
  })

  it('forgets the old run’s cursor and error as soon as the next run is starting', async () => {
    trained(30)
    studio.networkAtStep.mockRejectedValue(new Error('the checkpoints are gone'))
    const travel = useTimeTravelStore()
    travel.moveTo(10)
    await vi.waitFor(() => expect(travel.error).not.toBeNull())
    void useTrainingStore().start(seed) // its 'started' event has not arrived
    expect(useTrainingStore().status).toBe('starting')
    expect([travel.cursor, travel.error]).toEqual([null, null])
  })
})
