// What one training step reports: its own file, so that what reads a step's numbers (the divergence
// check, a checkpoint's state) need not depend on the trainer's interface.

/** What one training step reports. Counters are 1-based: the first step is step 1 of epoch 1. */
export interface StepMetrics {
  readonly step: number
  readonly epoch: number
  readonly batchInEpoch: number
  /** Mean cross-entropy of this minibatch, before the update. */
  readonly loss: number
  /** Fraction of this minibatch classified correctly, before the update. */
  readonly accuracy: number
  readonly samplesSeen: number
  readonly learningRate: number
}
