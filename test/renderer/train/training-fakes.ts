// What the training stores' tests (stores.test.ts, training-catch-up.test.ts) run against: a stub
// StudioApi, handed to vi.mock by the test files, and the run events and metrics they share.
// NOTE: nothing here may import a store: the mock's factory imports this module while the stores load.

import { vi } from 'vitest'
import { PRESETS } from '@core/index'
import type { CurrentRun, StepMetrics, StudioApi, TrainConfig } from '@contract'
import type { RunEvent } from '@/train/training-types'

export const studio = {
  getInfo: vi.fn(),
  startTraining: vi.fn(async () => {}),
  controlTraining: vi.fn(async () => {}),
  updateTraining: vi.fn(async () => {}),
  resetTraining: vi.fn(async () => {}),
  getWeights: vi.fn(),
  getCurrentRun: vi.fn(async (): Promise<CurrentRun | null> => null),
  getRun: vi.fn(),
  predict: vi.fn(),
  networkAtStep: vi.fn(),
  onTrainingEvent: vi.fn(() => () => {})
}

/** The module '@/shared/api' is replaced with (vi.mock). */
export const fakeApiModule = (): { useStudio: () => StudioApi } => ({
  useStudio: (): StudioApi => studio as unknown as StudioApi
})

export const seed: TrainConfig = PRESETS.seed.config
export const started = (state: 'running' | 'paused' = 'running', config = seed): RunEvent => ({
  type: 'started',
  runId: 'run-1',
  parent: null,
  config,
  preset: null,
  totalSteps: 100,
  stepsPerEpoch: 100,
  state
})
export const metric = (step: number, loss = 2.3 - step / 100): StepMetrics => ({
  step,
  epoch: 1,
  batchInEpoch: step,
  loss,
  accuracy: 0.5,
  samplesSeen: step * 32,
  learningRate: 0.03
})
