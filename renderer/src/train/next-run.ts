// What the Train view knows of the run Start would begin, before it begins: how long it will be, and
// whether the curves and weights on screen still describe it or belong to a previous run.

import type { DatasetSummary, TrainConfig } from '@contract'
import { batchesPerEpoch } from '@core/train/step-trainer'
import type { ConfigDraft } from '@/shared/config/config-form'
import { changesFrom } from '@/shared/config/config-changes'
import type { TrainingStatus } from './training-types'

/** Steps of a run of `config` (batches per epoch × epochs), or null when it cannot be told yet. */
export function plannedSteps(
  config: TrainConfig | null,
  trainSet: DatasetSummary | null
): number | null {
  if (!config) return null
  if (trainSet) return batchesPerEpoch(config, trainSet.count) * config.epochs
  return config.batchCount === 'all' ? null : config.batchCount * config.epochs
}

/**
 * True when the run on screen has ended and the settings have been edited since: its curves and
 * weights are then the previous run's, not a preview of the next one.
 */
export function isPreviousRun(
  status: TrainingStatus,
  runConfig: TrainConfig | null,
  draft: ConfigDraft
): boolean {
  const ended = status === 'finished' || status === 'stopped' || status === 'failed'
  return ended && runConfig !== null && changesFrom(draft, runConfig).length > 0
}
