// How long the training worker may stay silent before the host counts it as hung: a few seconds, plus
// the longest piece of work the current model may do without coming up for air.

import { countParameters, multiplyAddsPerSample, type ModelArchitecture } from '../../core'

/** What the worker may be busy with: the current model, and the batch its run trains with. */
export interface WorkerLoad {
  readonly architecture: ModelArchitecture
  readonly batchSize: number
}

/**
 * Silence allowed on top of the work: the worker says it is alive every WORKER_HEARTBEAT_MS whenever
 * its event loop turns (between two steps, between two evaluation chunks, while idle).
 * NOTE: 15 s, not 5: ending a healthy run loses the learner's work, waiting longer for a hung one
 * costs seconds. On a 2-core machine at a load average of 20–30 (measured here while eight test
 * suites ran), a healthy worker's snapshot work (health probes, feature maps, a checkpoint) between
 * two heartbeats took longer than 5 s and its runs were ended as hung.
 */
export const HUNG_AFTER_MS = 15_000

/** Samples of the largest evaluation chunk (core's reference evaluate; the fast one reads 256). */
const EVALUATION_CHUNK = 500

/**
 * A deliberately pessimistic speed: 0.05 G multiply-adds per second. The reference engine trains LeNet
 * (0.42 M multiply-adds per sample, 3 per sample and step) at about 0.4 G/s on one core; 8× slower
 * leaves room for a loaded machine, so a legitimate long step is never taken for a hang.
 */
const SLOWEST_MULTIPLY_ADDS_PER_MS = 50_000

/** Building or loading a model touches every parameter a few times (initialisation, parsing a file). */
const SLOWEST_PARAMETERS_PER_MS = 10_000

/**
 * The most ms the worker may go without a word. NOTE: a hang and a long computation look the same
 * from outside (both keep the thread busy); only time tells them apart. So the deadline grows with the
 * largest synchronous piece of work this model may do:
 *   one training step        3 · multiply-adds per sample · batch   (forward, ∂input, ∂weights)
 *   one evaluation chunk         multiply-adds per sample · 500
 * at the pessimistic speed above, plus the parameters for building the model. The seed and MLP
 * presets get about 16 s; a 784 → 6 × 4096 → 10 net with a batch of 1000 gets about 3 hours.
 */
export function silenceAllowedMs(load: WorkerLoad | null): number {
  if (!load) return HUNG_AFTER_MS
  const perSample = multiplyAddsPerSample(load.architecture)
  const longestWork = perSample * Math.max(3 * load.batchSize, EVALUATION_CHUNK)
  return (
    HUNG_AFTER_MS +
    longestWork / SLOWEST_MULTIPLY_ADDS_PER_MS +
    countParameters(load.architecture) / SLOWEST_PARAMETERS_PER_MS
  )
}
