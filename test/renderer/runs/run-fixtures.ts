// Hand-made run summaries and records for the runs tests.
import type { RunRecord, RunSummary, StepMetrics } from '@contract'
import { PRESETS } from '@core/train/presets'

export function makeRun(id: string, overrides: Partial<RunSummary> = {}): RunSummary {
  return {
    id,
    name: `run ${id}`,
    status: 'completed',
    startedAt: '2025-03-01T10:00:00.000Z',
    durationSeconds: 10,
    steps: 100,
    totalSteps: 100,
    finalTestAccuracy: 0.9,
    finalTestLoss: 0.3,
    config: PRESETS.seed.config,
    changes: [],
    divergence: null,
    parent: null,
    timeTravelDropped: false,
    timeTravelThinned: null,
    pinned: false,
    ...overrides
  }
}

/** A record whose loss falls from 2.3 and accuracy rises, one metric per step. */
export function makeRecord(summary: RunSummary): RunRecord {
  const metrics: StepMetrics[] = Array.from({ length: summary.steps }, (_, i) => ({
    step: i + 1,
    epoch: 1,
    batchInEpoch: i + 1,
    loss: 2.3 - (i / summary.steps) * 2,
    accuracy: 0.1 + (i / summary.steps) * 0.8,
    samplesSeen: (i + 1) * 32,
    learningRate: summary.config.learningRate
  }))
  return {
    ...summary,
    metrics,
    evaluations: [{ step: summary.steps, epoch: 1, accuracy: 0.9, loss: 0.3 }],
    failure: null,
    health: []
  }
}
