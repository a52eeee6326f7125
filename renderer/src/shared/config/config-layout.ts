// How the hyperparameter form is laid out: sections, the choices of each select, and which fields show.

import { ACTIVATION_KINDS } from '@core/nn/activations'
import { INIT_KINDS } from '@core/nn/init'
import { OPTIMIZER_KINDS } from '@core/train/config'
import { PRESET_NAMES, PRESETS } from '@core/train/presets'
import type { ConfigDraft, FieldKey } from './form-fields'

export interface Choice {
  readonly value: string
  readonly label: string
}

export interface FormSection {
  readonly title: string
  readonly fields: readonly FieldKey[]
}

export const SECTIONS: readonly FormSection[] = [
  { title: 'Network', fields: ['layers', 'activation', 'init'] },
  {
    title: 'Optimizer',
    fields: ['optimizer', 'learningRate', 'momentum', 'beta1', 'beta2', 'epsilon', 'weightDecay']
  },
  { title: 'Schedule', fields: ['batchSize', 'batchCount', 'epochs', 'evaluateEvery'] },
  { title: 'Augmentation', fields: ['shiftPixels', 'rotationDegrees', 'scale'] },
  { title: 'Reproducibility', fields: ['seed'] }
]

const ACTIVATION_LABELS: Record<string, string> = { relu: 'ReLU', sigmoid: 'Sigmoid', tanh: 'tanh' }
const INIT_LABELS: Record<string, string> = {
  uniform: 'Uniform (−1, 1)',
  he: 'He (normal)',
  xavier: 'Xavier (uniform)'
}
const OPTIMIZER_LABELS: Record<string, string> = { sgd: 'SGD', adam: 'Adam' }

const choices = (kinds: readonly string[], labels: Record<string, string>): Choice[] =>
  kinds.map((value) => ({ value, label: labels[value] ?? value }))

/** The options of each select field; fields not listed are typed in. */
export const CHOICES: Partial<Record<FieldKey, readonly Choice[]>> = {
  activation: choices(ACTIVATION_KINDS, ACTIVATION_LABELS),
  init: choices(INIT_KINDS, INIT_LABELS),
  optimizer: choices(OPTIMIZER_KINDS, OPTIMIZER_LABELS)
}

export const PRESET_CHOICES: readonly Choice[] = PRESET_NAMES.map((name) => ({
  value: name,
  label: PRESETS[name].title
}))

/** A section's fields that apply to the draft: momentum only for SGD, β1/β2/ε only for Adam. */
export function visibleFields(section: FormSection, draft: ConfigDraft): FieldKey[] {
  return section.fields.filter((key) => {
    if (key === 'momentum') return draft.optimizer === 'sgd'
    if (key === 'beta1' || key === 'beta2' || key === 'epsilon') return draft.optimizer === 'adam'
    return true
  })
}

/** "must be …" → "Must be …." for a message shown on its own under a field. */
export function asSentence(problem: string): string {
  const text = problem.charAt(0).toUpperCase() + problem.slice(1)
  return /[.!?]$/.test(text) ? text : `${text}.`
}
