// A run shared by several windows: the settings of a run another window started, the preset and W₀ of
// a run caught up late, and a start the host refused because a run is going (stub StudioApi).
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { PRESETS } from '@core/index'
import { parseLayerList } from '@core/nn/layer-syntax'
import { StudioError, type CurrentRun, type StudioApi, type WeightSnapshot } from '@contract'
import { useConfigStore } from '@/train/config-store'
import { useTrainingStore } from '@/train/training-store'
import { useRunControls } from '@/train/useRunControls'

const studio = vi.hoisted(() => ({
  getInfo: vi.fn(),
  startTraining: vi.fn(async () => {}),
  controlTraining: vi.fn(async () => {}),
  updateTraining: vi.fn(async () => {}),
  getWeights: vi.fn(async () => null),
  getCurrentRun: vi.fn(async (): Promise<CurrentRun | null> => null)
}))
vi.mock('@/shared/api', () => ({ useStudio: (): StudioApi => studio as unknown as StudioApi }))

const softmax = PRESETS.softmax.config
const w0: WeightSnapshot = {
  layer: 'dense1.weight',
  step: 0,
  rows: 10,
  cols: 784,
  rowsAre: 'classes',
  data: new Float32Array(7840)
}
const going = (overrides: Partial<CurrentRun> = {}): CurrentRun => ({
  runId: 'other',
  config: softmax,
  preset: 'softmax',
  initialWeights: w0,
  totalSteps: 100,
  stepsPerEpoch: 100,
  status: 'running',
  failure: null,
  divergence: null,
  pace: 'auto',
  metrics: [],
  tests: [],
  lastTest: null,
  health: [],
  autoPause: null,
  elapsedSeconds: 1,
  ...overrides
})

beforeEach(() => {
  setActivePinia(createPinia())
  vi.clearAllMocks()
})

describe('a run another window started', () => {
  it('shows its settings under its own preset, unmodified (not "Seed … modified")', async () => {
    const config = useConfigStore()
    const training = useTrainingStore()
    training.receive({
      type: 'started',
      runId: 'other',
      parent: null,
      config: softmax,
      preset: 'softmax',
      totalSteps: 100,
      stepsPerEpoch: 100,
      state: 'running'
    })
    await Promise.resolve() // the config store's watcher
    expect(config.preset).toBe('softmax')
    expect(config.isModified).toBe(false)
    expect(config.validConfig).toEqual(softmax)
  })

  it("leaves this window's settings alone for a run this window started", async () => {
    const config = useConfigStore()
    const training = useTrainingStore()
    config.setField('learningRate', '0.2')
    await useRunControls().toggle()
    expect(studio.startTraining).toHaveBeenCalledWith(
      { ...PRESETS.seed.config, learningRate: 0.2 },
      { preset: 'seed', pace: 'auto' }
    )
    training.receive({
      type: 'started',
      runId: 'mine',
      parent: null,
      config: { ...PRESETS.seed.config, learningRate: 0.2 },
      preset: 'seed',
      totalSteps: 100,
      stepsPerEpoch: 100,
      state: 'running'
    })
    await Promise.resolve()
    expect(training.adoptedRun).toBeNull()
    expect(config.draft.learningRate).toBe('0.2')
  })

  it('catching up mid-run: the run, its preset, its settings and W₀ (for W − W₀)', async () => {
    studio.getCurrentRun.mockResolvedValueOnce(going())
    const training = useTrainingStore()
    const config = useConfigStore()
    await training.catchUp()
    await Promise.resolve()
    expect(training.status).toBe('running')
    expect(training.initialWeights).toEqual(w0)
    expect(training.pace).toBe('auto')
    expect(config.preset).toBe('softmax')
    expect(config.isModified).toBe(false)
  })

  it('catching up after a run ended keeps the settings the learner last edited', async () => {
    studio.getCurrentRun.mockResolvedValueOnce(going({ status: 'finished' }))
    const training = useTrainingStore()
    await training.catchUp()
    expect(training.status).toBe('finished')
    expect(training.adoptedRun).toBeNull()
    expect(useConfigStore().preset).toBe('seed')
  })
})

describe('a start the host refuses because a run is going', () => {
  const refuse = () =>
    studio.startTraining.mockRejectedValueOnce(
      new StudioError({ code: 'run-in-progress', message: 'a run is already in progress' })
    )

  it('asks instead of failing, shows the run that is going, and keeps the learner’s settings', async () => {
    refuse()
    studio.getCurrentRun.mockResolvedValueOnce(going())
    const training = useTrainingStore()
    const config = useConfigStore()
    config.setField('layers', '64, 32')
    expect(await training.start(config.validConfig, { preset: config.preset })).toBe(false)
    expect(training.refusedStart).toBe(true)
    expect(training.errorMessage).toBeNull()
    await vi.waitFor(() => expect(training.status).toBe('running')) // the other window's run
    expect(config.draft.layers).toBe('64, 32')

    await useRunControls().replaceRun()
    expect(studio.startTraining).toHaveBeenLastCalledWith(
      {
        ...PRESETS.seed.config,
        architecture: {
          ...PRESETS.seed.config.architecture,
          layers: parseLayerList('64, 32', 'relu')
        }
      },
      { preset: 'seed', replace: true, pace: 'auto' }
    )
    expect(training.refusedStart).toBe(false)
  })

  it('keeps the other run when the learner says so, and explains any other refusal as before', async () => {
    refuse()
    const training = useTrainingStore()
    await training.start(PRESETS.seed.config)
    training.keepRun()
    expect(training.refusedStart).toBe(false)
    expect(studio.startTraining).toHaveBeenCalledTimes(1)

    studio.startTraining.mockRejectedValueOnce(new Error('training worker stopped'))
    expect(await training.start(PRESETS.seed.config)).toBe(false)
    expect(training.refusedStart).toBe(false)
    expect(training.errorMessage).toBe('training worker stopped')
    expect(training.status).toBe('idle')
  })
})
