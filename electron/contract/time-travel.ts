// Time travel: the network at any step of a run (scrub), and where a forked run starts.

import type { RunPoint } from './runs'
import type { EvaluationSummary, WeightSnapshot } from './training'

/** How many test images a scrubbed step is evaluated on (the first ones: a fixed subset, said on screen). */
export const SCRUB_TEST_IMAGES = 1000

/** One probe digit (a fixed test image per class) and what the network at that step made of it. */
export interface ProbePrediction {
  /** Its index in the test set. */
  readonly index: number
  readonly label: number
  /** 784 pixels in [0, 1] (28 × 28), to draw it. */
  readonly pixels: Float32Array
  readonly predicted: number
  /** The probability given to the prediction. */
  readonly confidence: number
}

/** The network as it was after `step` steps of a run: recomputed from a checkpoint by exact replay. */
export interface NetworkAtStep extends RunPoint {
  readonly totalSteps: number
  /** The first layer's weights (or filters) at that step, as the live panel shows them. */
  readonly weights: WeightSnapshot
  /** One test digit per class, in class order. */
  readonly probes: readonly ProbePrediction[]
  /** On the first SCRUB_TEST_IMAGES test images. */
  readonly evaluation: EvaluationSummary
  /** Steps replayed from the nearest checkpoint to get there. */
  readonly replayedSteps: number
}
