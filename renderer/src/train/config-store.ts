// The hyperparameters being edited: the draft text, its validation, the chosen preset, and which
// edits reach the running run live (learning rate, momentum) or wait for a reset. It reads the run
// (training-store); the run never reads it: the view hands the edited config to start and reset.

import { defineStore } from 'pinia'
import { computed, ref, shallowRef, watch } from 'vue'
import type { DatasetSummary, TrainConfig } from '@contract'
import { useStudio } from '@/shared/api'
import { PRESET_NAMES, PRESETS, type PresetName } from '@core/train/presets'
import {
  configFromDraft,
  describeError,
  draftFromConfig,
  fieldsNeedingReset,
  summarise,
  validateDraft,
  type ConfigDraft,
  type FieldErrors,
  type FieldKey
} from '@/shared/config/config-form'
import { SECTIONS, visibleFields } from '@/shared/config/config-layout'
import { changesFrom } from '@/shared/config/config-changes'
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
  /** What the draft changed from its preset ("lr 0.03 → 0.2", …), in the form's order. */
  const changes = computed(() => changesFrom(draft.value, PRESETS[preset.value].config))
  const isModified = computed(() => changes.value.length > 0)
  /** The form as it opened (the seed preset, unedited): a saved config may replace it at start. */
  const isPristine = computed(() => preset.value === 'seed' && !isModified.value)
  /** The fields that stop a start, in the form's order, each with its problem in words. */
  const invalidFields = computed(() =>
    SECTIONS.flatMap((section) => visibleFields(section, draft.value))
      .filter((key) => errors.value[key] !== undefined)
      .map((key) => ({ key, sentence: describeError(key, errors.value[key] ?? '') }))
  )
  /** Start, Step or Reset was asked for while a field was invalid: explained until all are valid. */
  const blockedAttempt = ref(false)
  const blockedMessage = computed(() => {
    const problems = invalidFields.value.map((f) => f.sentence)
    if (generalError.value) problems.push(generalError.value)
    if (!blockedAttempt.value || problems.length === 0) return null
    return `Not started: ${problems.join('; ')}. Fix ${problems.length === 1 ? 'it' : 'them'}, then try again.`
  })
  // NOTE: the explanation goes once every field is valid, so it never outlives its reason.
  watch(validConfig, (valid) => {
    if (valid) blockedAttempt.value = false
  })
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

  /**
   * Puts a config back in the form: a saved one at start, or the run another window started. Under
   * `from`, the preset it was made from when known, else the preset it differs least from, so that
   * "modified" lists only what was really changed.
   */
  function restore(config: TrainConfig, from?: PresetName | null): void {
    const restored = draftFromConfig(config)
    const changed = (name: PresetName) => changesFrom(restored, PRESETS[name].config).length
    preset.value =
      from ?? PRESET_NAMES.reduce((best, name) => (changed(name) < changed(best) ? name : best))
    draft.value = restored
  }

  // A run this window did not start (another window's, or one going when it opened): the panel shows
  // its settings and preset, so that Live changes go where they seem to, and "modified" tells the truth.
  watch(
    () => training.adoptedRun,
    (run) => {
      if (run) restore(run.config, run.preset)
    }
  )

  /** Records that a start was refused for invalid fields; returns the first such field, to go to. */
  function explainBlocked(): FieldKey | null {
    blockedAttempt.value = invalidFields.value.length > 0 || generalError.value !== null
    return invalidFields.value[0]?.key ?? null
  }

  function dismissBlocked(): void {
    blockedAttempt.value = false
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
    invalidFields,
    blockedMessage,
    explainBlocked,
    dismissBlocked,
    summary,
    changes,
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
