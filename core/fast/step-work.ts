// A training step of the fast engine as independent chunks of work, so threads can share a step.
//
// A step is two jobs:
//   rows       forward, loss and backward for a slice of the batch's rows (every row is independent)
//   gradients  dWᵀ rows p0..p1 of one layer, each summed over the whole batch in row order, and the
//              optimizer's update of those same rows right away, while they are in cache
// A chunk computes the same numbers in the same order whichever thread runs it and however many
// chunks there are: one thread or several give bit-identical results.

import type { FusedUpdate } from '../optim/fused-update'
import type { BatchSource } from './batch-input'
import type { FastEngine } from './engine'

export type StepJob =
  | {
      readonly kind: 'rows'
      /** Chunk c covers batch rows ⌊c·rows/chunks⌋ … ⌊(c+1)·rows/chunks⌋. */
      readonly chunks: number
      readonly rows: number
      readonly source: BatchSource
    }
  | {
      readonly kind: 'gradients'
      /** How finely to cut the weight rows (see GradientSplits.tasks); chunk c is task c. */
      readonly splits: number
      readonly rows: number
      /** The optimizer's rule for this step (null: the gradients are left for its own `step`). */
      readonly update: FusedUpdate | null
    }

/** How many chunks a job has. */
export function jobChunks(job: StepJob, network: FastEngine): number {
  return job.kind === 'rows' ? job.chunks : network.gradientSplits.tasks(job.splits).length
}

/** Runs chunk `chunk` of `job` on `network`. */
export function runChunk(network: FastEngine, job: StepJob, chunk: number): void {
  if (job.kind === 'rows') {
    const r0 = Math.floor((chunk * job.rows) / job.chunks)
    const r1 = Math.floor(((chunk + 1) * job.rows) / job.chunks)
    if (r0 === r1) return
    network.forward(job.source, r0, r1)
    network.loss(job.source, r0, r1, job.rows)
    network.backward(r0, r1)
  } else {
    const task = network.gradientSplits.tasks(job.splits)[chunk]
    network.gradientPart(task.layer, task.part, task.parts, job.rows, job.update)
  }
}

/** How finely a step's jobs are cut. */
export interface StepPlan {
  /** Chunks of batch rows for the rows job. */
  readonly rowChunks: number
  /** Parts per layer's weight rows for the gradients job (see GradientSplits.tasks). */
  readonly gradientSplits: number
}

/**
 * Who runs a job's chunks. Every chunk must run exactly once, and all must be finished when `run`
 * returns. The serial version runs them in order on this thread; electron/parallel/ shares them with
 * helper threads.
 */
export interface WorkSharing {
  /** Called at the start of every step (a batch of `rows` rows): how to cut its two jobs. */
  beginStep(rows: number): StepPlan
  run(job: StepJob, network: FastEngine): void
}

/** Everything on the calling thread, in as few chunks as possible (one per job, one per layer). */
export const serialWork: WorkSharing = {
  beginStep: () => ({ rowChunks: 1, gradientSplits: 1 }),
  run(job, network) {
    const chunks = jobChunks(job, network)
    for (let c = 0; c < chunks; c++) runChunk(network, job, c)
  }
}
