// The run's clock as the window shows it: elapsed time without pauses, recent throughput and the ETA.
// The training store owns the run; this keeps the wall-clock side of it (a stopwatch that stops while
// paused, and a sliding window of rate samples) so the store only says when the status changed, when
// progress came, and what the host's record says. The arithmetic itself is in ./progress.

import { computed, type ComputedRef, ref, type Ref, shallowRef } from 'vue'
import type { StepMetrics } from '@contract'
import {
  etaSeconds,
  pushRateSample,
  STOPPED_STOPWATCH,
  stopwatchHalt,
  stopwatchRun,
  stopwatchSeconds,
  throughput,
  type RateSample
} from './progress'
import type { TrainingStatus } from './training-types'

/** What the clock reads from the store: the run's status, its last metrics, its step and length. */
export interface RunClockInputs {
  readonly status: Ref<TrainingStatus>
  readonly latest: Ref<StepMetrics | null>
  readonly step: ComputedRef<number>
  readonly totalSteps: Ref<number>
}

export function useRunClock({ status, latest, step, totalSteps }: RunClockInputs) {
  const nowMs = ref(Date.now())
  const stopwatch = shallowRef(STOPPED_STOPWATCH)
  const rateSamples = shallowRef<readonly RateSample[]>([])

  const rate = computed(() => (status.value === 'running' ? throughput(rateSamples.value) : null))
  const elapsedSeconds = computed(() => stopwatchSeconds(stopwatch.value, nowMs.value))
  const eta = computed(() =>
    etaSeconds(step.value, totalSteps.value, rate.value?.stepsPerSecond ?? null)
  )
  /** While running, the recent throughput; once a run has ended, its average over the time it trained. */
  const samplesPerSecond = computed(() => {
    if (rate.value) return rate.value.samplesPerSecond
    const ended =
      status.value === 'finished' || status.value === 'stopped' || status.value === 'diverged'
    return ended && latest.value && elapsedSeconds.value > 0
      ? latest.value.samplesSeen / elapsedSeconds.value
      : null
  })

  /** A new run (or none): nothing timed, nothing measured. */
  function clear(): void {
    rateSamples.value = []
    stopwatch.value = STOPPED_STOPWATCH
  }

  /** The status becomes `next`: the stopwatch runs only while running, and a rate needs live samples. */
  function statusChanging(next: TrainingStatus): void {
    const time = Date.now()
    nowMs.value = time
    stopwatch.value =
      next === 'running'
        ? stopwatchRun(stopwatch.value, time)
        : stopwatchHalt(stopwatch.value, time)
    if (next !== 'running') rateSamples.value = []
  }

  /** Progress arrived, `last` its newest metrics: one more rate sample. */
  function progressed(last: StepMetrics): void {
    nowMs.value = Date.now()
    rateSamples.value = pushRateSample(rateSamples.value, {
      timeMs: nowMs.value,
      step: last.step,
      samples: last.samplesSeen
    })
  }

  /** The run ended: the host's own count of the seconds it trained is the one to show. */
  function endedAfter(elapsed: number): void {
    stopwatch.value = { accumulatedMs: elapsed * 1000, runningSinceMs: null }
  }

  /** Restored from the host's record: `elapsed` seconds so far, still counting if it is running. */
  function restore(elapsed: number, running: boolean): void {
    rateSamples.value = [] // a rate needs live samples: shown again from the next progress on
    const time = Date.now()
    nowMs.value = time
    stopwatch.value = { accumulatedMs: elapsed * 1000, runningSinceMs: running ? time : null }
  }

  return {
    rate,
    elapsedSeconds,
    eta,
    samplesPerSecond,
    clear,
    statusChanging,
    progressed,
    endedAfter,
    restore
  }
}
