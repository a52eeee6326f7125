// The commands a run in progress takes from the Train view (pause, resume, one step, stop, Space's
// toggle, its pace and live learning rate or momentum), over the training store's state: the store
// builds them with runCommands and hands them out as its own.

import type { ComputedRef, Ref } from 'vue'
import type { ControlCommand, LiveUpdate, Pace, TrainConfig } from '@contract'
import type { PresetName } from '@core/train/presets'
import { useStudio } from '@/shared/api'
import type { StartRequest, TrainingStatus } from './training-types'

/** What the commands read and call in the training store. */
export interface RunCommandState {
  readonly status: Ref<TrainingStatus>
  readonly isBusy: ComputedRef<boolean>
  readonly pace: Ref<Pace>
  readonly setStatus: (next: TrainingStatus) => void
  /** Runs a host call; a rejection becomes the view's error message (false). */
  readonly call: (action: () => Promise<void>) => Promise<boolean>
  readonly start: (config: TrainConfig | null, options?: StartRequest) => Promise<boolean>
}

export function runCommands({ status, isBusy, pace, setStatus, call, start }: RunCommandState) {
  /** Sets how fast runs go (steps per second, null = full speed); a run in progress changes at once. */
  async function setPace(next: Pace): Promise<void> {
    pace.value = next
    if (status.value === 'running' || status.value === 'paused')
      await call(() => useStudio().updateTraining({ pace: next }))
  }

  async function control(command: ControlCommand): Promise<void> {
    await call(() => useStudio().controlTraining(command))
  }

  async function pause(): Promise<void> {
    await control('pause')
    if (status.value === 'running') setStatus('paused')
  }

  async function resume(): Promise<void> {
    await control('resume')
    if (status.value === 'paused') setStatus('running')
  }

  /** One batch: from a paused run directly; from no run, start one paused (with `config`) and step it. */
  async function stepOnce(
    config: TrainConfig | null,
    preset: PresetName | null = null
  ): Promise<void> {
    if (status.value === 'paused') return control('step')
    if (isBusy.value) return
    if (await start(config, { paused: true, preset })) await control('step')
  }

  async function stop(): Promise<void> {
    if (isBusy.value) await control('stop')
  }

  /** Space: start (with `config`), pause or resume, whichever fits. */
  async function toggle(
    config: TrainConfig | null,
    preset: PresetName | null = null
  ): Promise<void> {
    if (status.value === 'running') return pause()
    if (status.value === 'paused') return resume()
    if (status.value !== 'starting') await start(config, { preset })
  }

  /** Sends learning rate or momentum to the running run. */
  async function applyLive(update: LiveUpdate): Promise<void> {
    if (status.value !== 'running' && status.value !== 'paused') return
    await call(() => useStudio().updateTraining({ ...update }))
  }

  return { setPace, pause, resume, stepOnce, stop, toggle, applyLive }
}
