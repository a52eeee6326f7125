// Driving a trainer step by step in tests, keeping every step's metrics.

import type { StepMetrics, StepTrainer } from '../../core'

/** The metrics of `count` steps (by default every step left), fewer if the run ends first. */
export function runSteps(trainer: StepTrainer, count = Infinity): StepMetrics[] {
  const metrics: StepMetrics[] = []
  for (let i = 0; i < count && !trainer.done; i++) metrics.push(trainer.step())
  return metrics
}
