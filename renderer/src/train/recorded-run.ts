// A recorded run as the Train view shows it (Runs' "Open in Train"): its record read as the host's
// condensed current run would be, so that one function (the training store's restoreRun) shows both.

import type { CurrentRun, Pace, RunRecord, RunStatus } from '@contract'
import { STATUS_TEXT } from '@/runs/runs-table'
import type { RecordedRun, TestResult } from './training-types'

/** What the training store shows of a run: the host's current run, or a record read as one. */
export type ShownRun = Omit<CurrentRun, 'lastTest' | 'health' | 'autoPause'> & {
  readonly lastTest: TestResult | null
}

/** How a recorded run ended, as the Train view's status says it (interrupted: stopped where it was). */
const ENDED_AS: Readonly<Record<RunStatus, ShownRun['status']>> = {
  completed: 'finished',
  stopped: 'stopped',
  interrupted: 'stopped',
  // NOTE: a record still 'running' is not the run going now (that one is never opened): stopped there.
  running: 'stopped',
  diverged: 'diverged',
  failed: 'failed'
}

/** The first step the run has checkpoints for: 0, or a fork's parent step (it starts there). */
export function firstStepOf(record: RunRecord): number {
  return record.parent?.step ?? 0
}

/** The last step it recorded (its metrics always keep the last one). */
export function lastStepOf(record: RunRecord): number {
  return record.metrics.at(-1)?.step ?? record.steps
}

/** The record as the training store shows a run; `pace` is the window's own (a record has none). */
export function shownRunOf(record: RunRecord, pace: Pace): ShownRun {
  const last = record.evaluations.at(-1)
  return {
    runId: record.id,
    config: record.config,
    preset: null,
    initialWeights: null, // NOTE: the opener sets the weights from the worker's replay
    totalSteps: record.totalSteps,
    // NOTE: a record keeps no epoch length; totalSteps is epochs × batches per epoch (a fork's too).
    stepsPerEpoch: Math.max(1, Math.round(record.totalSteps / record.config.epochs)),
    status: ENDED_AS[record.status],
    failure: record.failure,
    divergence: record.divergence,
    pace,
    metrics: record.metrics,
    tests: record.evaluations,
    lastTest: last
      ? {
          step: last.step,
          epoch: last.epoch,
          evaluation: { accuracy: last.accuracy, loss: last.loss }
        }
      : null,
    elapsedSeconds: record.durationSeconds
  }
}

/** What the view says of the recorded run it shows. */
export function recordedRunOf(record: RunRecord): RecordedRun {
  return {
    id: record.id,
    name: record.name,
    steps: lastStepOf(record),
    ended: STATUS_TEXT[record.status]
  }
}
