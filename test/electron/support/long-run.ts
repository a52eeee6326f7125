// A run that is still going when a test pauses, stops or replaces it, however fast the engine is.

import { PRESETS, type TrainConfig } from '../../../core'
import type { StartOptions } from '../../../electron/contract'

/** The seed net over 20 whole epochs: 37 500 steps. */
export const LONG_RUN: TrainConfig = { ...PRESETS.seed.config, batchCount: 'all', epochs: 20 }

/**
 * At 1 000 steps a second LONG_RUN lasts 37 s; at full speed the fast engine would finish it in about
 * a second, sometimes before the test's next command arrives.
 */
export const LONG_RUN_PACE: StartOptions = { pace: 1000 }
