// The run's commands as the Train view's buttons and shortcuts give them: starting, stepping from no
// run and resetting use the config being edited, which the view hands to the training store. While a
// field is invalid they explain which one, and take the learner there.

import { nextTick } from 'vue'
import type { FieldKey } from '@/shared/config/config-form'
import { useConfigStore } from './config-store'
import { useTrainingStore } from './training-store'

/**
 * Moves the focus to a field of the settings panel, scrolled into view: to the element that marks
 * itself as the field's problem when there is one (the offending row of the layer list), else the field.
 */
async function goToField(key: FieldKey): Promise<void> {
  await nextTick()
  const field =
    document.querySelector<HTMLElement>(`[data-problem-of="${key}"]`) ??
    document.getElementById(`field-${key}`)
  field?.scrollIntoView({ block: 'center', behavior: 'smooth' })
  field?.focus({ preventScroll: true })
}

export function useRunControls() {
  const training = useTrainingStore()
  const config = useConfigStore()

  /** Without a valid config: says which fields are wrong, focuses the first, and returns true. */
  function blocked(): boolean {
    if (config.validConfig) return false
    const first = config.explainBlocked()
    if (first) void goToField(first)
    return true
  }

  return {
    /** Space: start, pause or resume, whichever fits. */
    toggle(): Promise<void> {
      if (!training.isBusy && blocked()) return Promise.resolve()
      return training.toggle(config.validConfig, config.preset)
    },
    /** One batch, starting a paused run first when none is going. */
    stepOnce(): Promise<void> {
      if (!training.isBusy && blocked()) return Promise.resolve()
      return training.stepOnce(config.validConfig, config.preset)
    },
    /** After the host refused a start (another window's run is going): end that run and start this one. */
    async replaceRun(): Promise<void> {
      if (blocked()) return
      await training.start(config.validConfig, { preset: config.preset, replace: true })
    },
    /** Ends any run and re-initialises the model from the edited config, with a new random seed if asked. */
    reset(newSeed = false): Promise<void> {
      if (newSeed) config.randomiseSeed()
      if (blocked()) return Promise.resolve()
      return training.reset(config.validConfig)
    }
  }
}
