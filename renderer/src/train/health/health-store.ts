// The run's health as the window sees it: the samples the worker measured (a bounded history), and why
// the run paused itself, with the way to Explore's step-through on the batch that did it. Its events
// reach it through app/host-events.ts; a run that ended without them here reads them from its record.

import { defineStore } from 'pinia'
import { computed, markRaw, ref, shallowRef, watch } from 'vue'
import type { AutoPause, CurrentRun, TrainingEvent } from '@contract'
import { fillBatchPixels } from '@core/data/dataset'
import type { HealthSample } from '@core/train/health'
import { HealthHistory } from '@core/train/health-history'
import { describeAlarm } from '@core/train/health-watch'
import { Matrix } from '@core/tensor/matrix'
import { useStudio } from '@/shared/api'
import { useNavigationStore } from '@/shared/navigation-store'
import { useStepThroughStore } from '@/explore/step-through/step-through-store'
import { useTrainingStore } from '../training-store'
import type { TrainingStatus } from '../training-types'

/** A run in one of these has nothing more to say: its record holds all the health it measured. */
const ENDED: ReadonlySet<TrainingStatus> = new Set(['finished', 'stopped', 'diverged', 'failed'])

export const useHealthStore = defineStore('health', () => {
  const training = useTrainingStore()
  let history = new HealthHistory()
  /** markRaw samples, replaced (never mutated) as they come: the panel redraws from them. */
  const samples = shallowRef<readonly HealthSample[]>([])
  const pause = shallowRef<AutoPause | null>(null)
  /**
   * The learner's auto-pause setting (saved by the host: Settings.autoPause, on by default), which
   * every run follows, the one going too. Read at start-up by catchUp.
   */
  const autoPause = ref(true)
  const settingError = ref<string | null>(null)
  /** Counts the events that begin a new story ('started', 'reset', 'modelLoaded'); see catchUp. */
  let runEvents = 0

  const latest = computed(() => samples.value.at(-1) ?? null)
  const pauseMessage = computed(() => (pause.value ? describeAlarm(pause.value.alarm) : null))
  /** The step-through explains any net, dense or conv (core/explain/step-through.ts): it needs the image. */
  const canStepThrough = computed(() => pause.value?.image != null)

  function clear(): void {
    history = new HealthHistory()
    samples.value = []
    pause.value = null
  }

  function receive(event: TrainingEvent): void {
    switch (event.type) {
      case 'started':
      case 'reset':
      case 'modelLoaded':
        runEvents++
        clear()
        break
      case 'health':
        history.push(markRaw(event.sample))
        samples.value = markRaw(history.values())
        break
      case 'autoPaused':
        pause.value = markRaw(event.pause)
        break
      case 'state':
        // Resumed: the learner has read it (unless the loss diverged there: the run ends there).
        if (event.state === 'running' && !pause.value?.alarm.divergence) pause.value = null
        break
      default:
        break // the other events are the training store's
    }
  }

  /** Shows the health of the run the host has now (a window that opens or reloads mid-run). */
  function restore(run: CurrentRun | null): void {
    clear()
    if (!run) return
    for (const sample of run.health) history.push(markRaw(sample))
    samples.value = markRaw(history.values())
    pause.value = run.autoPause && markRaw(run.autoPause)
  }

  /** Shows a recorded run's health (Runs' "Open in Train"): its record's samples, nothing paused. */
  function showRecorded(recorded: readonly HealthSample[]): void {
    runEvents++ // a catch-up in flight would bring back the host's current run over it
    clear()
    for (const sample of recorded) history.push(markRaw(sample))
    samples.value = markRaw(history.values())
  }

  async function catchUp(): Promise<void> {
    const seen = runEvents
    void useStudio()
      .getSettings()
      .then((settings) => (autoPause.value = settings.autoPause))
      .catch(() => undefined) // NOTE: the default (on) stands; the host's own setting still rules runs
    try {
      const run = await useStudio().getCurrentRun()
      if (runEvents === seen) restore(run) // a run started meanwhile has told everything itself
    } catch {
      // NOTE: only a convenience lost; the next run sends its health anyway.
    }
  }

  /**
   * Fills an empty panel from the run's record (RunRecord.health): the Train view shows a run that
   * ended while this window did not hear its health, so the panel is not blank. The cursor's sample
   * is then the one at or before its step, as during the run.
   */
  async function restoreFromRecord(runId: string): Promise<void> {
    const seen = runEvents
    try {
      const record = await useStudio().getRun(runId)
      // NOTE: a new run (or samples caught up meanwhile) is newer than the record: it stays.
      if (runEvents !== seen || samples.value.length > 0 || training.runId !== runId) return
      for (const sample of record.health) history.push(markRaw(sample))
      samples.value = markRaw(history.values())
    } catch {
      // NOTE: only the panel stays empty; the run's charts do not depend on it.
    }
  }

  // NOTE: a new run's Start clears the last run's alarm and samples at once: its 'started' event can
  // take seconds (helper threads, a loaded machine), and "Paused: dense1 went dead" must not read as
  // the new run's meanwhile. Synchronously, so no event of the new run can come before the clearing.
  watch(
    () => training.status,
    (status) => {
      if (status === 'starting') clear()
    },
    { flush: 'sync' }
  )

  watch(
    () => [training.runId, training.status] as const,
    ([runId, status]) => {
      if (runId !== null && ENDED.has(status) && samples.value.length === 0)
        void restoreFromRecord(runId)
    }
  )

  /** Turns auto-pause on or off, for the run going now and the next ones (saved by the host). */
  async function setAutoPause(on: boolean): Promise<void> {
    autoPause.value = on
    settingError.value = null
    try {
      await useStudio().updateSettings({ autoPause: on })
    } catch (err) {
      settingError.value = `Could not change auto-pause: ${err instanceof Error ? err.message : String(err)}`
    }
  }

  /** Opens Explore's step-through on the first image of the batch that paused the run. */
  async function openStepThrough(): Promise<void> {
    const current = pause.value
    if (!current?.image) return
    const { pixels, label } = current.image
    const input = new Matrix(1, pixels.length)
    fillBatchPixels(pixels, input) // bytes → [0, 1], as training saw them
    useNavigationStore().show('explore')
    await useStepThroughStore().pickPixels(
      `step ${current.alarm.step}'s batch, first image`,
      input.data,
      label
    )
  }

  return {
    samples,
    latest,
    pause,
    pauseMessage,
    canStepThrough,
    autoPause,
    settingError,
    setAutoPause,
    receive,
    restore,
    showRecorded,
    catchUp,
    openStepThrough
  }
})
