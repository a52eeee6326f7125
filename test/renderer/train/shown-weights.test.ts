// The weights panel shows the network the rest of the Train view describes (useShownWeights): with no
// run on screen, the edited settings' own initial weights, never the host's model of other settings
// (a LeNet layer list once sat over "dense1.weight · 10 × 784" after a restart with saved LeNet
// settings); a fresh run's own W₀ from its 'started' on. The preview is the trainer's W₀ exactly.
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { PRESETS, Trainer, type Dataset } from '@core/index'
import type { ModelSummary, TrainConfig, WeightSnapshot } from '@contract'
import { useModelStore } from '@/shared/model/model-store'
import { useConfigStore } from '@/train/config-store'
import { initialWeightsKey, initialWeightsOf } from '@/train/next-run'
import { useTrainingStore } from '@/train/training-store'
import { useShownWeights } from '@/train/useShownWeights'
import { seed, started } from './training-fakes'

vi.mock('@/shared/api', async () => (await import('./training-fakes')).fakeApiModule())

beforeEach(() => setActivePinia(createPinia()))

const lenet: TrainConfig = PRESETS.lenet.config
/** The host's model, as getModel describes it: built by a Reset (or at start-up) from `config`. */
const hostModel = (config: TrainConfig, source: ModelSummary['source'] = 'reset'): ModelSummary =>
  ({ source, trainingConfig: source === 'loaded' ? null : config }) as unknown as ModelSummary
/** The host's weights of the seed preset (a dense net: dense1.weight, 10 × 784). */
const seedWeights = (): WeightSnapshot => initialWeightsOf(initialWeightsKey(seed))
const shape = (w: WeightSnapshot | null) =>
  w && `${w.layer} · ${w.rows} × ${w.cols} · step ${w.step}`

describe('the weights panel', () => {
  it('shows the edited settings’ network with no run on screen, not the host’s model of others', () => {
    const training = useTrainingStore()
    useModelStore().current = hostModel(seed) // the host's start-up model
    training.receive({ type: 'weights', snapshot: seedWeights() })
    useConfigStore().restore(lenet) // the saved settings, restored at start-up
    const shown = useShownWeights()
    expect(shape(shown.weights.value)).toBe('conv1.weight · 6 × 25 · step 0')
    expect(shown.fromHost.value).toBe(false) // feature maps and checks would ask the dense net

    // A Reset with these settings builds them in the host: its weights are shown, and are the same.
    const preview = shown.weights.value!.data
    const reset = initialWeightsOf(initialWeightsKey(lenet))
    useModelStore().current = hostModel(lenet)
    training.receive({ type: 'weights', snapshot: reset })
    expect(shown.weights.value).toBe(training.weights)
    expect(shown.fromHost.value).toBe(true)
    expect(Array.from(reset.data)).toEqual(Array.from(preview))
  })

  it('shows a loaded model’s weights, whatever the settings say', () => {
    const training = useTrainingStore()
    useConfigStore().restore(lenet)
    useModelStore().current = hostModel(seed, 'loaded')
    training.receive({ type: 'weights', snapshot: seedWeights() })
    const shown = useShownWeights()
    expect(shape(shown.weights.value)).toBe('dense1.weight · 10 × 784 · step 0')
    expect(shown.fromHost.value).toBe(true)
  })

  it('shows a fresh run its own W₀ from its start, never the last model’s weights', () => {
    const training = useTrainingStore()
    useModelStore().current = hostModel(seed, 'run')
    training.receive(started('running', seed))
    training.receive({ type: 'weights', snapshot: { ...seedWeights(), step: 40 } })
    training.receive({ type: 'finished', reason: 'completed', step: 40, elapsedSeconds: 1 })
    const shown = useShownWeights()
    expect(shape(shown.weights.value)).toBe('dense1.weight · 10 × 784 · step 40')
    // A LeNet run starts (this window, or another): the dense net's weights are not its own.
    training.receive(started('running', lenet))
    expect(training.weights).toBeNull()
    expect(shape(shown.weights.value)).toBe('conv1.weight · 6 × 25 · step 0')
  })
})

describe('the previewed weights', () => {
  it('are the trainer’s own initial weights for the same settings', () => {
    // 64 blank images are enough to build a trainer: only its model's weights are compared.
    const train: Dataset = {
      name: 'blank',
      count: 64,
      rows: 28,
      cols: 28,
      inputSize: 784,
      pixels: new Uint8Array(64 * 784),
      labels: new Uint8Array(64)
    }
    for (const config of [lenet, { ...PRESETS.mlp.config, seed: 7 }]) {
      const trainer = new Trainer(config, train)
      const layer = trainer.model.firstWeightedLayer
      const preview = initialWeightsOf(initialWeightsKey(config))
      expect(preview.layer).toBe(layer.weight.name)
      expect(Array.from(preview.data)).toEqual(Array.from(layer.weight.data))
    }
  })
})
