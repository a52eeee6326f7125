// What the weights panel shows, and whether the feature maps under it may, decided in one place:
// the weights of the network the rest of the Train view describes, never another's.
//
//   time travel                  the cursor step's weights (the worker's)
//   a recorded run (Runs' Open)  its weights at its last step, as the worker replayed them
//   a run on screen              its weights, once they are its own ('started' drops the last model's)
//   no run: a loaded model       the file's weights (a note says so)
//   no run: otherwise            the weights Start would begin from (the edited settings), which are the
//                                host's when its model was built from the same layers, init and seed
//
// NOTE: without a run, the host's model is whatever was last built: the seed preset's at start-up, or
// the last Reset's. A window restored to saved LeNet settings showed it as "dense1.weight · 10 × 784"
// under a LeNet layer list; the settings' own weights are what Start will train, so they are shown.

import { computed, markRaw } from 'vue'
import type { WeightSnapshot } from '@contract'
import { useModelStore } from '@/shared/model/model-store'
import { useConfigStore } from './config-store'
import { initialWeightsKey, initialWeightsOf } from './next-run'
import { useTimeTravelStore } from './time-travel-store'
import { useTrainingStore } from './training-store'

export function useShownWeights() {
  const training = useTrainingStore()
  const config = useConfigStore()
  const travel = useTimeTravelStore()
  const model = useModelStore()

  /** PERF: a string, so the weights below are rebuilt only when the layers, init or seed change. */
  const nextRunKey = computed(() =>
    config.validConfig ? initialWeightsKey(config.validConfig) : null
  )
  /** No run on screen and no loaded model: the panel previews the next run. */
  const previewing = computed(
    () => training.runConfig === null && model.current?.source !== 'loaded'
  )
  /** The host's model is the one Start would build (a Reset with these settings made it). */
  const hostIsNextRun = computed(() => {
    const built = model.current?.source === 'reset' ? model.current.trainingConfig : null
    return built !== null && initialWeightsKey(built) === nextRunKey.value
  })
  const nextRunWeights = computed<WeightSnapshot | null>(() =>
    nextRunKey.value === null ? null : markRaw(initialWeightsOf(nextRunKey.value))
  )

  /** A fresh run's own W₀ until its first snapshot comes: the same weights (same seed, same init). */
  const runStartWeights = computed<WeightSnapshot | null>(() =>
    training.runConfig ? markRaw(initialWeightsOf(initialWeightsKey(training.runConfig))) : null
  )

  /** The weights shown (null: none yet, the panel says when they come). */
  const weights = computed<WeightSnapshot | null>(() => {
    if (travel.cursor !== null && travel.network) return travel.network.weights
    if (!previewing.value) return training.weights ?? runStartWeights.value
    return hostIsNextRun.value ? training.weights : nextRunWeights.value
  })
  /**
   * The shown weights are the host's model's, which the feature maps and gradient checks ask the
   * worker about; false while they preview a network the host has not built.
   */
  const fromHost = computed(() => !previewing.value || hostIsNextRun.value)
  /**
   * The run and step the shown network is of: the cursor's once the worker has it, a recorded run's
   * last step at its end (the worker's own model is another), null while live.
   */
  const point = computed(() => {
    if (travel.cursor !== null && travel.network)
      return { runId: travel.network.runId, step: travel.network.step }
    const recorded = training.recorded
    return recorded ? { runId: recorded.id, step: training.step } : null
  })

  return { weights, fromHost, point }
}
