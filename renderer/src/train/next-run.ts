// What the Train view knows of the run Start would begin, before it begins: how long it will be, the
// weights it starts from, and whether the curves and weights on screen still describe it or belong to
// a previous run.

import type { DatasetSummary, TrainConfig, WeightSnapshot } from '@contract'
import { firstLayerSnapshot } from '@core/nn/first-layer'
import { Sequential } from '@core/nn/sequential'
import { createRng } from '@core/random'
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

/**
 * What decides a run's initial weights (its layers, their initialiser and the seed), as one string:
 * two configs with the same key start from the same weights, whatever else differs.
 */
export function initialWeightsKey(config: TrainConfig): string {
  return JSON.stringify([config.architecture, config.init, config.seed])
}

/**
 * The first layer's weights a run with this key starts from (step 0): built as the trainer builds
 * them (Sequential from the seed), so Start's first snapshot is this very one.
 */
export function initialWeightsOf(key: string): WeightSnapshot {
  const [architecture, init, seed] = JSON.parse(key) as [
    TrainConfig['architecture'],
    TrainConfig['init'],
    number
  ]
  return firstLayerSnapshot(new Sequential(architecture, init, createRng(seed)), 0)
}
