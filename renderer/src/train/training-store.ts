// The run as the window sees it: status, progress, metric series, test results and the latest weights.
// The only place that sends training commands to the host; the run's events reach it through
// app/host-events.ts. It reads no other store: what a run starts with is given to start() and reset().

import { defineStore } from 'pinia'
import { computed, markRaw, ref, shallowRef } from 'vue'
import {
  assertNever,
  StudioError,
  type Divergence,
  type Pace,
  type StepMetrics,
  type TrainConfig,
  type WeightSnapshot
} from '@contract'
import { useStudio } from '@/shared/api'
import { explainHostError } from '@/shared/config/config-form'
import { divergenceMessage } from '@/shared/divergence'
import { useRunClock } from './run-clock'
import { runCommands } from './run-commands'
import { smoothingFor } from '@/shared/charts/smoothing'
import {
  appendProgress,
  appendTests,
  emptyMetricSeries,
  freshSmoothing,
  type MetricSeries
} from './run-series'
import type { ShownRun } from './recorded-run'
import type {
  RecordedRun,
  RunEvent,
  RunSettings,
  StartRequest,
  TestResult,
  TrainingStatus
} from './training-types'

export const useTrainingStore = defineStore('training', () => {
  const status = ref<TrainingStatus>('idle')
  const errorMessage = ref<string | null>(null)
  const runConfig = shallowRef<TrainConfig | null>(null)
  /** The run on screen (time travel asks for its steps), or null before any. */
  const runId = ref<string | null>(null)
  const totalSteps = ref(0)
  const stepsPerEpoch = ref(0)
  const latest = shallowRef<StepMetrics | null>(null)
  const series = shallowRef<MetricSeries>(emptyMetricSeries())
  const lastTest = shallowRef<TestResult | null>(null)
  /** Where and how the run's loss diverged (status 'diverged'), else null. */
  const divergence = shallowRef<Divergence | null>(null)
  /** markRaw: a Float32Array of up to 4096×784 values must never be proxied. */
  const weights = shallowRef<WeightSnapshot | null>(null)
  /** The run's first snapshot (step 0), W₀: the heatmaps show W − W₀, what training changed. */
  const initialWeights = shallowRef<WeightSnapshot | null>(null)
  /**
   * Steps per second for runs (null: full speed, 'auto': watchable for short runs); not part of the
   * config, since it changes no result.
   */
  const pace = ref<Pace>('auto')
  /**
   * A run this window did not start (another window's, or one going when it opened): the settings
   * panel shows its config and preset, as in the window that started it.
   */
  const adoptedRun = shallowRef<RunSettings | null>(null)
  /** The host refused a start because a run is going (started in another window): ask before replacing it. */
  const refusedStart = ref(false)
  /**
   * A recorded run opened from Runs, shown as recorded (its curves, tests and weights), or null: the
   * view shows the host's current run. Any start, reset or loaded model leaves it.
   */
  const recorded = shallowRef<RecordedRun | null>(null)

  // A plain variable: the smoothing state changes on every step and nothing renders it directly.
  let smoothing = freshSmoothing(smoothingFor(0))
  /** Counts the events that begin or end a run's story ('started', 'reset', 'modelLoaded'); see catchUp. */
  let runEvents = 0
  /** A run started and its step-0 snapshot (W₀) has not arrived yet. */
  let awaitingInitialWeights = false

  const isBusy = computed(
    () => status.value === 'running' || status.value === 'paused' || status.value === 'starting'
  )
  const step = computed(() => latest.value?.step ?? 0)
  const epochsTotal = computed(() => runConfig.value?.epochs ?? 0)
  const clock = useRunClock({ status, latest, step, totalSteps })
  const { rate, elapsedSeconds, eta, samplesPerSecond } = clock

  function clearRun(): void {
    latest.value = null
    series.value = emptyMetricSeries()
    lastTest.value = null
    divergence.value = null
    clock.clear()
    smoothing = freshSmoothing(smoothing.beta)
  }

  /** New weights that no run produced (a reset, a loaded model): back to 'idle', with nothing to show. */
  function forgetRun(): void {
    clearRun()
    initialWeights.value = null
    awaitingInitialWeights = false
    runId.value = null
    runConfig.value = null
    totalSteps.value = 0
    errorMessage.value = null
    recorded.value = null
    setStatus('idle')
  }

  function setStatus(next: TrainingStatus): void {
    clock.statusChanging(next)
    status.value = next
  }

  function receiveProgress(metrics: readonly StepMetrics[]): void {
    if (metrics.length === 0) return
    const next = appendProgress(series.value, smoothing, metrics)
    series.value = next.series
    smoothing = next.smoothing
    const last = metrics[metrics.length - 1]
    latest.value = last
    clock.progressed(last)
  }

  /** Applies one of the host's events about the run; every such event type is handled here. */
  function receive(event: RunEvent): void {
    switch (event.type) {
      case 'started':
        runEvents++
        if (status.value !== 'starting')
          adoptedRun.value = { config: event.config, preset: event.preset }
        clearRun()
        errorMessage.value = null
        recorded.value = null
        runId.value = event.runId
        runConfig.value = event.config
        totalSteps.value = event.totalSteps
        stepsPerEpoch.value = event.stepsPerEpoch
        smoothing = freshSmoothing(smoothingFor(event.totalSteps))
        initialWeights.value = null
        awaitingInitialWeights = true
        // NOTE: a fresh run's weights are its own from its first snapshot on; until then the last
        // model's (another network, maybe: a dense net's under a LeNet run) would read as the run's.
        // A fork's go on from its parent's, the same network.
        if (event.parent === null) weights.value = null
        setStatus(event.state)
        break
      case 'progress':
        receiveProgress(event.metrics)
        break
      case 'state':
        if (status.value === 'running' || status.value === 'paused' || status.value === 'starting')
          setStatus(event.state)
        break
      case 'weights':
        weights.value = markRaw(event.snapshot)
        if (awaitingInitialWeights && event.snapshot.step === 0) {
          initialWeights.value = weights.value
          awaitingInitialWeights = false
        }
        break
      case 'evaluation': {
        const { loss, accuracy } = event.evaluation
        series.value = appendTests(series.value, [{ step: event.step, loss, accuracy }])
        lastTest.value = { step: event.step, epoch: event.epoch, evaluation: event.evaluation }
        break
      }
      case 'updated':
        runConfig.value = event.config
        break
      case 'finished':
        setStatus(event.reason === 'completed' ? 'finished' : 'stopped')
        clock.endedAfter(event.elapsedSeconds)
        break
      case 'diverged':
        setStatus('diverged')
        clock.endedAfter(event.elapsedSeconds)
        divergence.value = event.divergence
        errorMessage.value = divergenceMessage(event.divergence)
        break
      case 'failed':
        setStatus('failed')
        errorMessage.value = event.message
        break
      case 'reset':
        runEvents++
        forgetRun()
        break
      case 'modelLoaded':
        runEvents++
        forgetRun() // the weights are the file's now: the last run's curves no longer describe them
        break
      case 'health': // the health store's (train/health/)
      case 'autoPaused':
        break
      default:
        assertNever(event)
    }
  }

  /** Runs a host call; a rejection becomes a message in the banner instead of an unhandled error. */
  async function call(
    action: () => Promise<void>,
    statusOnError?: TrainingStatus
  ): Promise<boolean> {
    try {
      await action()
      return true
    } catch (err) {
      errorMessage.value = explainHostError(err)
      if (statusOnError) setStatus(statusOnError)
      return false
    }
  }

  /**
   * Starts a fresh run with `config`, the edited config (the view passes it), or explains why not when
   * it is null: some field is not valid yet.
   */
  async function start(config: TrainConfig | null, options: StartRequest = {}): Promise<boolean> {
    if (!config) {
      errorMessage.value =
        'Some settings are not valid yet: fix the highlighted fields, then start again.'
      return false
    }
    errorMessage.value = null
    refusedStart.value = false
    // NOTE: the last run's step, loss and progress would read as the new run's while it starts.
    clearRun()
    recorded.value = null
    totalSteps.value = 0
    setStatus('starting')
    try {
      // structuredClone: a plain copy, never a Vue proxy, crosses the bridge.
      await useStudio().startTraining(structuredClone(config), { ...options, pace: pace.value })
      return true
    } catch (err) {
      setStatus('idle')
      if (err instanceof StudioError && err.code === 'run-in-progress') {
        refusedStart.value = true
        void catchUp() // show the run that is going, as a window opening now would
      } else errorMessage.value = explainHostError(err)
      return false
    }
  }

  /** The learner chose to keep the other window's run: the question goes. */
  function keepRun(): void {
    refusedStart.value = false
  }

  const commands = runCommands({ status, isBusy, pace, setStatus, call, start })

  /** Ends any run and re-initialises the model from `config` (null: not valid yet, so explain). */
  async function reset(config: TrainConfig | null): Promise<void> {
    if (!config) {
      errorMessage.value =
        'Some settings are not valid yet: fix the highlighted fields, then reset again.'
      return
    }
    errorMessage.value = null
    await call(() => useStudio().resetTraining(structuredClone(config)))
  }

  /**
   * At start-up (or a reload), shows what the host has now and changes nothing there: the run this
   * window missed (its curves, progress, test results and status, so a reload mid-run loses nothing),
   * and the current weights (the random initial ones training will turn into digit templates, or a
   * trained model's).
   */
  async function catchUp(): Promise<void> {
    const seen = runEvents
    const [run, snapshot] = await Promise.allSettled([
      useStudio().getCurrentRun(),
      weights.value ? null : useStudio().getWeights()
    ])
    // NOTE: a run started or reset meanwhile has told this window everything itself, and is newer.
    if (run.status === 'fulfilled' && run.value && runEvents === seen) restoreRun(run.value)
    if (snapshot.status === 'fulfilled' && snapshot.value) weights.value ??= markRaw(snapshot.value) // a 'weights' event is newer
    // NOTE: failures are only a convenience lost; the next run or reset sends everything anyway.
  }

  /**
   * Shows a recorded run as it was recorded (Runs' "Open in Train"): its curves, tests and end, with
   * `weights` (its network at its last step) and `initial` (at its first) in the weights panel.
   */
  function showRecorded(
    run: ShownRun,
    about: RecordedRun,
    shown: { weights: WeightSnapshot; initial: WeightSnapshot | null }
  ): void {
    runEvents++ // a catch-up in flight would bring back the host's current run over it
    restoreRun(run)
    recorded.value = about
    adoptedRun.value = { config: run.config, preset: run.preset }
    weights.value = markRaw(shown.weights)
    initialWeights.value = shown.initial && markRaw(shown.initial)
  }

  /** Rebuilds the run's state from the host's condensed record of it, as its events would have. */
  function restoreRun(run: ShownRun): void {
    clearRun()
    recorded.value = null
    runId.value = run.runId
    runConfig.value = run.config
    totalSteps.value = run.totalSteps
    stepsPerEpoch.value = run.stepsPerEpoch
    smoothing = freshSmoothing(smoothingFor(run.totalSteps))
    receiveProgress(run.metrics)
    series.value = appendTests(series.value, run.tests)
    lastTest.value = run.lastTest
    initialWeights.value = run.initialWeights && markRaw(run.initialWeights)
    awaitingInitialWeights = false
    // NOTE: not after a refused start: the learner's own settings stay, to start once that run ends.
    if ((run.status === 'running' || run.status === 'paused') && !refusedStart.value)
      adoptedRun.value = { config: run.config, preset: run.preset }
    pace.value = run.pace
    divergence.value = run.divergence
    errorMessage.value = run.divergence ? divergenceMessage(run.divergence) : run.failure
    clock.restore(run.elapsedSeconds, run.status === 'running')
    status.value = run.status
  }

  function dismissError(): void {
    errorMessage.value = null
  }

  return {
    catchUp,
    pace,
    adoptedRun,
    refusedStart,
    keepRun,
    recorded,
    showRecorded,
    forgetRun,
    status,
    errorMessage,
    runId,
    runConfig,
    totalSteps,
    stepsPerEpoch,
    latest,
    series,
    lastTest,
    divergence,
    weights,
    initialWeights,
    isBusy,
    step,
    epochsTotal,
    rate,
    samplesPerSecond,
    elapsedSeconds,
    eta,
    receive,
    start,
    ...commands,
    reset,
    dismissError
  }
})
