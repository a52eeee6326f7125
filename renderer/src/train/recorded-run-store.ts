// Runs' "Open in Train": a recorded run shown in the Train view as it was recorded (its curves, tests,
// health, and its network at its last step from the worker's exact replay), ready to scrub and fork;
// and the way back to a new run. A run in progress is never replaced silently: the learner is asked.

import { defineStore } from 'pinia'
import { markRaw, ref, shallowRef, watch } from 'vue'
import type { NetworkAtStep, RunSummary } from '@contract'
import { useStudio } from '@/shared/api'
import { explainHostError } from '@/shared/config/config-form'
import { useNavigationStore } from '@/shared/navigation-store'
import { useHealthStore } from './health/health-store'
import { firstStepOf, lastStepOf, recordedRunOf, shownRunOf } from './recorded-run'
import { useTimeTravelStore } from './time-travel-store'
import { useTrainingStore } from './training-store'

/** How long a stopped run may take to say it ended (a LeNet batch under load takes well under this). */
const STOP_PATIENCE_MS = 30_000

export const useRecordedRunStore = defineStore('recorded-run', () => {
  const training = useTrainingStore()
  const health = useHealthStore()
  const travel = useTimeTravelStore()
  /** The network at the recorded run's last step: the probes and confusion shown at its end. */
  const end = shallowRef<NetworkAtStep | null>(null)
  /** The run being opened (its record and network are on their way), or null. */
  const opening = ref<string | null>(null)
  /** A run asked to open while another trains: the learner chooses (stop that one, or keep it). */
  const asking = shallowRef<RunSummary | null>(null)
  const error = ref<string | null>(null)

  /**
   * Shows `run` in Train as recorded. The run already on screen there (the one going, or just ended)
   * is simply shown; while another trains, asks first (`asking`) rather than stop it unasked.
   */
  async function open(run: RunSummary): Promise<boolean> {
    error.value = null
    if (training.runId === run.id) {
      useNavigationStore().show('train')
      return true
    }
    if (training.isBusy) {
      asking.value = run
      return false
    }
    opening.value = run.id
    try {
      const record = await useStudio().getRun(run.id)
      const runId = record.id
      const last = await useStudio().networkAtStep({ runId, step: lastStepOf(record) })
      const first = await useStudio().networkAtStep({ runId, step: firstStepOf(record) })
      // NOTE: a run started meanwhile (another window) is what Train must show: it stays.
      if (training.isBusy) return false
      travel.live()
      training.showRecorded(shownRunOf(record, training.pace), recordedRunOf(record), {
        weights: last.weights,
        initial: first.weights
      })
      health.showRecorded(record.health)
      end.value = markRaw(last)
      useNavigationStore().show('train')
      return true
    } catch (err) {
      error.value = `Could not open “${run.name}”: ${explainHostError(err)}`
      return false
    } finally {
      opening.value = null
    }
  }

  /** The learner chose to stop the run in progress (it is recorded as stopped) and open the other. */
  async function stopAndOpen(): Promise<boolean> {
    const run = asking.value
    asking.value = null
    if (!run) return false
    await training.stop()
    await untilIdle()
    return open(run)
  }

  /** The learner chose to keep training: nothing opens. */
  function keepTraining(): void {
    asking.value = null
  }

  /** Back to a new run: the recorded run leaves the view, the worker's own weights come back. */
  async function close(): Promise<void> {
    if (!training.recorded) return
    travel.live()
    health.restore(null)
    training.forgetRun()
    try {
      training.weights = markRaw(await useStudio().getWeights())
    } catch {
      training.weights = null // NOTE: the next run or reset sends its weights anyway
    }
  }

  function dismissError(): void {
    error.value = null
  }

  /**
   * Resolves once no run is in progress (a stopped run's 'finished' has arrived), or after
   * STOP_PATIENCE_MS: a stop that did not take is then asked about again by open.
   */
  function untilIdle(): Promise<void> {
    if (!training.isBusy) return Promise.resolve()
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer)
        stopWatching()
        resolve()
      }
      const timer = setTimeout(done, STOP_PATIENCE_MS)
      const stopWatching = watch(
        () => training.isBusy,
        (busy) => {
          if (!busy) done()
        }
      )
    })
  }

  // A start, a reset or a loaded model leaves the recorded run (the training store forgets it).
  watch(
    () => training.recorded,
    (recorded) => {
      if (!recorded) end.value = null
    }
  )

  return {
    end,
    opening,
    asking,
    error,
    open,
    stopAndOpen,
    keepTraining,
    close,
    dismissError
  }
})
