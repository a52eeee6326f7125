// Time travel: the network at any step of a run (scrub), and where a forked run starts.

import type { TestImage } from './model'
import type { RunPoint } from './runs'
import type { EvaluationSummary, WeightSnapshot } from './training'

/** How many test images a scrubbed step is evaluated on (the first ones: a fixed subset, said on screen). */
export const SCRUB_TEST_IMAGES = 1000

/** The network as it was after `step` steps of a run: recomputed from a checkpoint by exact replay. */
export interface NetworkAtStep extends RunPoint {
  readonly totalSteps: number
  /** The first layer's weights (or filters) at that step, as the live panel shows them. */
  readonly weights: WeightSnapshot
  /** The probe digits, one test image per class (the first of each), in class order. */
  readonly probes: readonly TestImage[]
  /** On the first SCRUB_TEST_IMAGES test images. */
  readonly evaluation: EvaluationSummary
  /** Steps replayed from the nearest checkpoint to get there. */
  readonly replayedSteps: number
}
