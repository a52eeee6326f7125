// Time travel in the Train view: a cursor on the run's steps (null: live), the network at the cursor's
// step as the worker recomputes it (nearest checkpoint + exact replay), play-back, and forking a new
// run from the cursor's step.

import { defineStore } from 'pinia'
import { markRaw, ref, shallowRef, watch } from 'vue'
import type { NetworkAtStep, TrainConfig } from '@contract'
import { useStudio } from '@/shared/api'
import { explainHostError } from '@/shared/config/config-form'
import { useTrainingStore } from './training-store'

/** Play-back speeds, in steps of the run per second of play. */
export const PLAY_SPEEDS = [10, 50, 200, 1000] as const
export type PlaySpeed = (typeof PLAY_SPEEDS)[number]
/** How often play-back moves the cursor. */
const PLAY_TICK_MS = 200

export const useTimeTravelStore = defineStore('time-travel', () => {
  const training = useTrainingStore()
  /** The step the cursor is on, or null: the view shows the live run. */
  const cursor = ref<number | null>(null)
  /** The network at the cursor's step, once the worker has answered (the last answer while it works). */
  const network = shallowRef<NetworkAtStep | null>(null)
  const loading = ref(false)
  const error = ref<string | null>(null)
  const playing = ref(false)
  const speed = ref<PlaySpeed>(50)
  let timer: ReturnType<typeof setInterval> | null = null
  /** The step asked for while a request was in flight: asked next (only the latest one). */
  let queued: number | null = null

  /** The steps the cursor can reach: 0 (or a fork's first) … the last trained step. */
  function lastStep(): number {
    return training.step
  }

  /** Moves the cursor (clamped to the run) and asks for the network there. */
  function moveTo(step: number): void {
    if (!training.runId) return
    const clamped = Math.max(0, Math.min(lastStep(), Math.round(step)))
    cursor.value = clamped
    if (loading.value) queued = clamped
    else void fetch(clamped)
  }

  async function fetch(step: number): Promise<void> {
    const runId = training.runId
    if (!runId) return
    loading.value = true
    try {
      network.value = markRaw(await useStudio().networkAtStep({ runId, step }))
      error.value = null
    } catch (err) {
      error.value = explainHostError(err)
      stop()
    } finally {
      loading.value = false
    }
    const next = queued
    queued = null
    if (next !== null && next !== network.value?.step && cursor.value !== null) void fetch(next)
  }

  /** Back to the live run. */
  function live(): void {
    stop()
    cursor.value = null
    network.value = null
    error.value = null
    queued = null
  }

  /** Plays the run back from the cursor (or its start) at `speed` steps a second, to its last step. */
  function play(): void {
    stop()
    if (cursor.value === null || cursor.value >= lastStep()) moveTo(0)
    playing.value = true
    timer = setInterval(() => {
      const at = cursor.value ?? 0
      if (at >= lastStep()) return stop()
      if (!loading.value) moveTo(at + Math.max(1, Math.round((speed.value * PLAY_TICK_MS) / 1000)))
    }, PLAY_TICK_MS)
  }

  function stop(): void {
    playing.value = false
    if (timer) clearInterval(timer)
    timer = null
  }

  /**
   * Starts a new run that continues from exactly the cursor's step with `config` (the run's own, with
   * a changed learning rate, momentum or schedule), of the live run or a recorded one. Back to live:
   * the fork is the new run.
   */
  async function fork(config: TrainConfig): Promise<boolean> {
    const runId = training.runId
    const step = cursor.value
    if (!runId || step === null) return false
    // NOTE: a fork of the run going replaces it (the learner chose to branch off it); a recorded run's
    // fork replaces nothing: a run another window started meanwhile is asked about (RunConflict).
    const replace = training.recorded === null
    live()
    return training.start(config, { fork: { runId, step }, replace })
  }

  // A new run (or a reset, a loaded model) leaves the old run's steps behind, and so does a Start at
  // once: the old run's cursor and error must not stand through "Starting…" (the new runId comes
  // with 'started', seconds later on a loaded machine).
  watch(
    () => training.runId,
    () => live()
  )
  watch(
    () => training.status,
    (status) => {
      if (status === 'starting') live()
    },
    { flush: 'sync' }
  )

  return { cursor, network, loading, error, playing, speed, moveTo, live, play, stop, fork }
})
