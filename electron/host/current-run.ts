// The latest run of this session, condensed from its TrainingEvents, so that a window that opens or
// reloads while it trains (or after it ended) shows the same charts, progress and status as before.

import type { PresetName } from '../../core'
import {
  assertNever,
  type CurrentRun,
  type Divergence,
  type EvaluationSummary,
  type Pace,
  type RunEvaluation,
  type TrainConfig,
  type TrainingEvent,
  type WeightSnapshot
} from '../contract'
import { MetricSeries } from './metric-series'

interface Tracked {
  readonly runId: string
  config: TrainConfig
  readonly preset: PresetName | null
  /** The step-0 weight snapshot (W₀), once it has been sent. */
  initialWeights: WeightSnapshot | null
  readonly totalSteps: number
  readonly stepsPerEpoch: number
  status: CurrentRun['status']
  failure: string | null
  divergence: Divergence | null
  readonly series: MetricSeries
  readonly tests: RunEvaluation[]
  lastTest: { step: number; epoch: number; evaluation: EvaluationSummary } | null
  accumulatedMs: number
  runningSince: number | null
}

export class CurrentRunTracker {
  private run: Tracked | null = null
  /** The pace the window last asked for; it belongs to the session more than to one run. */
  private pace: Pace = null

  /** @param now wall clock in ms; injectable for tests. */
  constructor(private readonly now: () => number = () => Date.now()) {}

  /** Called with the pace of every start and live update, before the worker hears of it. */
  setPace(pace: Pace): void {
    this.pace = pace
  }

  record(event: TrainingEvent): void {
    const run = this.run
    switch (event.type) {
      case 'started':
        this.run = {
          runId: event.runId,
          config: event.config,
          preset: event.preset,
          initialWeights: null,
          totalSteps: event.totalSteps,
          stepsPerEpoch: event.stepsPerEpoch,
          status: event.state,
          failure: null,
          divergence: null,
          series: new MetricSeries(),
          tests: [],
          lastTest: null,
          accumulatedMs: 0,
          runningSince: event.state === 'running' ? this.now() : null
        }
        break
      case 'progress':
        for (const metrics of event.metrics) run?.series.push(metrics)
        break
      case 'state':
        if (run && (run.status === 'running' || run.status === 'paused'))
          this.setStatus(run, event.state)
        break
      case 'evaluation':
        if (!run) break
        run.tests.push({
          step: event.step,
          epoch: event.epoch,
          accuracy: event.evaluation.accuracy,
          loss: event.evaluation.loss
        })
        run.lastTest = { step: event.step, epoch: event.epoch, evaluation: event.evaluation }
        break
      case 'updated':
        if (run) run.config = event.config
        break
      case 'finished':
        if (!run) break
        this.setStatus(run, event.reason === 'completed' ? 'finished' : 'stopped')
        run.accumulatedMs = event.elapsedSeconds * 1000 // the worker's own count is the one the window showed
        break
      case 'diverged':
        if (!run) break
        this.setStatus(run, 'diverged')
        run.divergence = event.divergence
        run.accumulatedMs = event.elapsedSeconds * 1000
        break
      case 'failed':
        if (!run) break
        this.setStatus(run, 'failed')
        run.failure = event.message
        break
      // New weights that no longer belong to the run: its curves would describe another model.
      case 'reset':
      case 'modelLoaded':
        this.run = null
        break
      case 'weights':
        // NOTE: the run's first snapshot is of step 0 (training-run.ts sends it before any step).
        if (run && run.initialWeights === null && event.snapshot.step === 0)
          run.initialWeights = event.snapshot
        break
      case 'evaluationProgress':
        break
      default:
        assertNever(event)
    }
  }

  /** Whether a run is still going (running or paused): a start would end it. */
  inProgress(): boolean {
    return this.run?.status === 'running' || this.run?.status === 'paused'
  }

  /** The step a run still in progress has reached (for crash reports); null when none is. */
  activeStep(): number | null {
    const run = this.run
    if (!run || (run.status !== 'running' && run.status !== 'paused')) return null
    return run.series.values().at(-1)?.step ?? 0
  }

  current(): CurrentRun | null {
    const run = this.run
    if (!run) return null
    const runningMs = run.runningSince === null ? 0 : this.now() - run.runningSince
    return {
      runId: run.runId,
      config: run.config,
      preset: run.preset,
      initialWeights: run.initialWeights,
      totalSteps: run.totalSteps,
      stepsPerEpoch: run.stepsPerEpoch,
      status: run.status,
      failure: run.failure,
      divergence: run.divergence,
      pace: this.pace,
      metrics: run.series.values(),
      tests: run.tests.slice(),
      lastTest: run.lastTest,
      elapsedSeconds: (run.accumulatedMs + runningMs) / 1000
    }
  }

  private setStatus(run: Tracked, status: CurrentRun['status']): void {
    const time = this.now()
    if (run.runningSince !== null) run.accumulatedMs += time - run.runningSince
    run.runningSince = status === 'running' ? time : null
    run.status = status
  }
}
