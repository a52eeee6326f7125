// The window's one connection to what the host pushes (app/host-events.ts): one subscription each,
// and every training event, menu command and opened file handed to the store it concerns.
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { MenuCommand, OpenedFile, StudioApi, TrainingEvent } from '@contract'
import { PRESETS } from '@core/train/presets'
import { connectHost, receiveTrainingEvent, runMenuCommand } from '@/app/host-events'
import { useNavigationStore } from '@/shared/navigation-store'
import { useOpenFilesStore } from '@/classify/open-files-store'
import { useEvaluationStore } from '@/evaluate/evaluation-store'
import { useModelStore } from '@/shared/model/model-store'
import { useTrainingStore } from '@/train/training-store'

const studio = vi.hoisted(() => ({
  getModel: vi.fn(async () => null),
  evaluateModel: vi.fn(() => new Promise(() => {})),
  onTrainingEvent: vi.fn(() => () => {}),
  onMenuCommand: vi.fn(() => () => {}),
  onOpenedFiles: vi.fn(() => () => {})
}))
vi.mock('@/shared/api', () => ({ useStudio: (): StudioApi => studio as unknown as StudioApi }))

const started: TrainingEvent = {
  type: 'started',
  runId: 'r',
  parent: null,
  config: PRESETS.seed.config,
  preset: null,
  totalSteps: 10,
  stepsPerEpoch: 10,
  state: 'running'
}

beforeEach(() => {
  setActivePinia(createPinia())
  vi.clearAllMocks()
})

describe('connectHost', () => {
  it('subscribes once to each kind of pushed message, and hands each to its store', () => {
    connectHost(studio as unknown as StudioApi)
    expect(studio.onTrainingEvent).toHaveBeenCalledTimes(1)
    expect(studio.onMenuCommand).toHaveBeenCalledTimes(1)
    expect(studio.onOpenedFiles).toHaveBeenCalledTimes(1)

    const [onEvent] = studio.onTrainingEvent.mock.calls[0] as unknown as [
      (event: TrainingEvent) => void
    ]
    onEvent(started)
    expect(useTrainingStore().status).toBe('running')

    const [onCommand] = studio.onMenuCommand.mock.calls[0] as unknown as [
      (command: MenuCommand) => void
    ]
    onCommand('show-explore')
    expect(useNavigationStore().view).toBe('explore')

    const openFromDialog = vi.spyOn(useOpenFilesStore(), 'openFromDialog').mockResolvedValue()
    const [onFiles] = studio.onOpenedFiles.mock.calls[0] as unknown as [
      (opened: readonly OpenedFile[]) => void
    ]
    const opened: OpenedFile[] = [{ name: 'big.png', error: 'too large' }]
    onFiles(opened)
    expect(openFromDialog).toHaveBeenCalledWith(opened)
  })
})

describe('receiveTrainingEvent', () => {
  it('asks which model the host holds whenever a run starts, pauses, ends or is reset', () => {
    receiveTrainingEvent(started)
    receiveTrainingEvent({ type: 'progress', metrics: [] })
    expect(studio.getModel).toHaveBeenCalledTimes(1)
    receiveTrainingEvent({ type: 'state', state: 'paused' })
    receiveTrainingEvent({ type: 'failed', message: 'the worker stopped', step: null })
    expect(studio.getModel).toHaveBeenCalledTimes(3)
    receiveTrainingEvent(started)
    receiveTrainingEvent({
      type: 'diverged',
      divergence: { kind: 'not-finite', step: 2, loss: null, smoothedLoss: null, limit: null },
      elapsedSeconds: 0.1
    })
    expect(studio.getModel).toHaveBeenCalledTimes(5)
    // A reset from idle changes no status, but the weights are new.
    receiveTrainingEvent({ type: 'reset', config: PRESETS.seed.config })
    receiveTrainingEvent({ type: 'reset', config: PRESETS.seed.config })
    expect(useTrainingStore().status).toBe('idle')
    expect(studio.getModel).toHaveBeenCalledTimes(7)
  })

  it('gives a loaded model to the model store and ends the run’s story in the training store', () => {
    receiveTrainingEvent(started)
    const model = {
      source: 'loaded' as const,
      architecture: PRESETS.mlp.config.architecture,
      trainingConfig: null,
      metrics: {},
      step: 0,
      fileName: 'mlp.json'
    }
    receiveTrainingEvent({ type: 'modelLoaded', model })
    expect(useModelStore().current).toEqual(model)
    expect(useTrainingStore().status).toBe('idle')
  })

  it('hands an evaluation’s progress to the evaluation store only', () => {
    const evaluation = useEvaluationStore()
    void evaluation.evaluate()
    receiveTrainingEvent({ type: 'evaluationProgress', done: 3, total: 4 })
    expect(evaluation.progress).toEqual({ done: 3, total: 4 })
    expect(useTrainingStore().status).toBe('idle')
    expect(studio.getModel).not.toHaveBeenCalled()
  })
})

describe('runMenuCommand', () => {
  it('shows the view a View menu item names, and saves or exports the model', () => {
    for (const view of ['train', 'classify', 'evaluate', 'runs', 'explore'] as const) {
      runMenuCommand(`show-${view}`)
      expect(useNavigationStore().view).toBe(view)
    }
    const model = useModelStore()
    const save = vi.spyOn(model, 'saveModel').mockResolvedValue(true)
    const exportNpz = vi.spyOn(model, 'exportNpz').mockResolvedValue(true)
    runMenuCommand('save-model')
    expect(save).toHaveBeenCalledTimes(1)
    runMenuCommand('export-npz')
    expect(exportNpz).toHaveBeenCalledTimes(1)
    const exportOnnx = vi.spyOn(model, 'exportOnnx').mockResolvedValue(true)
    runMenuCommand('export-onnx')
    expect(exportOnnx).toHaveBeenCalledTimes(1)
  })
})
