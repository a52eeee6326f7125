// Made-up per-step metrics for tests of what the host keeps of a run (the loss falls as 2 / step).

import type { StepMetrics } from '../../../electron/contract'

export const stepMetrics = (step: number): StepMetrics => ({
  step,
  epoch: 1,
  batchInEpoch: step,
  loss: 2 / step,
  accuracy: 0.5,
  samplesSeen: step * 32,
  learningRate: 0.03
})
