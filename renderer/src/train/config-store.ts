// The hyperparameters being edited: the draft text, its validation, the chosen preset, and which
// edits reach the running run live (learning rate, momentum) or wait for a reset. It reads the run
// (training-store); the run never reads it: the view hands the edited config to start and reset.

import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { DatasetSummary, TrainConfig } from '@contract'
import { useStudio } from '@/shared/api'
import { PRESETS, type PresetName } from '@core/train/presets'
import {
  configFromDraft,
  draftFromConfig,
  fieldsNeedingReset,
  sameDraft,
  summarise,
  validateDraft,
  type ConfigDraft,
  type FieldErrors,
  type FieldKey
} from '@/shared/config/config-form'
import { useTrainingStore } from './training-store'

/** A random seed in core's range (a 32-bit unsigned integer). */
function randomSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0]
}

export const useConfigStore = defineStore('config', () => {
  const training = useTrainingStore()
  const preset = ref<PresetName>('seed')
  const draft = ref<ConfigDraft>(draftFromConfig(PRESETS.seed.config))

  /** The host's training set, once known: batches per epoch × batch size must fit in it. */
  const trainSet = shallowRef<DatasetSummary | null>(null)
  const result = computed(() =>
    configFromDraft(draft.value, PRESETS[preset.value].config, trainSet.value)
  )
  const validConfig = computed(() => (result.value.ok ? result.value.config : null))
  const errors = computed<FieldErrors>(() => (result.value.ok ? {} : result.value.errors))
  /** A problem with the config that no single field owns (e.g. it does not fit the dataset's images). */
  const generalError = computed(() => (result.value.ok ? null : (result.value.general ?? null)))
  const summary = computed(() => summarise(draft.value, PRESETS[preset.value].config))
  const isModified = computed(
    () => !sameDraft(draft.value, draftFromConfig(PRESETS[preset.value].config))
  )
  /** The form as it opened (the seed preset, unedited): a saved config may replace it at start. */
  const isPristine = computed(() => preset.value === 'seed' && !isModified.value)
  /** Edited fields the current run cannot take until it is reset (empty when no run is going). */
  const needsReset = computed<ReadonlySet<FieldKey>>(() => {
    const running = training.runConfig
    if (!running || (training.status !== 'running' && training.status !== 'paused'))
      return new Set()
    return new Set(fieldsNeedingReset(draft.value, running))
  })

  function choosePreset(name: PresetName): void {
    preset.value = name
    draft.value = draftFromConfig(PRESETS[name].config)
    sendLive('learningRate')
    sendLive('momentum')
  }

  function setField<K extends FieldKey>(key: K, value: ConfigDraft[K]): void {
    draft.value = { ...draft.value, [key]: value }
    sendLive(key)
  }

  /** Asks the host which training set it has; without an answer the host still checks on Start. */
  async function loadDatasetInfo(): Promise<void> {
    try {
      trainSet.value = (await useStudio().getInfo()).train
    } catch {
      trainSet.value = null
    }
  }

  /** Puts a saved config back in the form (at start), under the preset it matches, if any. */
  function restore(config: TrainConfig): void {
    const restored = draftFromConfig(config)
    const match = (Object.keys(PRESETS) as PresetName[]).find((name) =>
      sameDraft(draftFromConfig(PRESETS[name].config), restored)
    )
    if (match) preset.value = match
    draft.value = restored
  }

  function randomiseSeed(): void {
    setField('seed', String(randomSeed()))
  }

  /** Forwards a valid live field to a running run; momentum only when both sides use SGD. */
  function sendLive(key: FieldKey): void {
    const running = training.runConfig
    if (!running || validateDraft(draft.value)[key]) return
    if (key === 'learningRate') {
      const learningRate = Number(draft.value.learningRate.trim())
      if (learningRate !== running.learningRate) void training.applyLive({ learningRate })
    } else if (
      key === 'momentum' &&
      draft.value.optimizer === 'sgd' &&
      running.optimizer.kind === 'sgd'
    ) {
      const momentum = Number(draft.value.momentum.trim())
      if (momentum !== running.optimizer.momentum) void training.applyLive({ momentum })
    }
  }

  return {
    preset,
    draft,
    trainSet,
    validConfig,
    errors,
    generalError,
    summary,
    isModified,
    isPristine,
    needsReset,
    choosePreset,
    setField,
    randomiseSeed,
    restore,
    loadDatasetInfo
  }
})
