// The run's commands as the Train view's buttons and shortcuts give them: starting, stepping from no
// run and resetting use the config being edited, which the view hands to the training store.

import { useConfigStore } from './config-store'
import { useTrainingStore } from './training-store'

export function useRunControls() {
  const training = useTrainingStore()
  const config = useConfigStore()
  return {
    /** Space: start, pause or resume, whichever fits. */
    toggle: () => training.toggle(config.validConfig),
    /** One batch, starting a paused run first when none is going. */
    stepOnce: () => training.stepOnce(config.validConfig),
    /** Ends any run and re-initialises the model from the edited config, with a new random seed if asked. */
    reset(newSeed = false): Promise<void> {
      if (newSeed) config.randomiseSeed()
      return training.reset(config.validConfig)
    }
  }
}
