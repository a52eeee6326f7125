// What the edited settings changed from a preset, in a few words: "lr 0.03 → 0.2, dense1 10 → 64 units".

import { canonical, draftFromConfig, type ConfigDraft, type FieldKey } from './config-form'
import { CHOICES, SECTIONS, visibleFields } from './config-layout'
import { ConfigError } from '@core/errors'
import { parseLayerList } from '@core/nn/layer-syntax'
import type { TrainConfig } from '@core/train/config'
import { describeLayerChanges } from './layer-changes'

/** Each field's name as the change list writes it: short, the way people say it. */
const SHORT_NAMES: Readonly<Record<FieldKey, string>> = {
  learningRate: 'lr',
  batchCount: 'batches',
  batchSize: 'batch',
  epochs: 'epochs',
  layers: 'hidden',
  activation: 'activation',
  init: 'init',
  optimizer: 'optimizer',
  momentum: 'momentum',
  beta1: 'β1',
  beta2: 'β2',
  epsilon: 'ε',
  weightDecay: 'weight decay',
  seed: 'seed',
  evaluateEvery: 'evaluate every',
  shiftPixels: 'shift',
  rotationDegrees: 'rotation',
  scale: 'scale'
}

/** A field's value as the form shows it: a select's label, "none" for no hidden layer, else the text. */
function shown(key: FieldKey, text: string): string {
  const choice = CHOICES[key]?.find((c) => c.value === text)
  if (choice) return choice.label
  if (key === 'layers')
    return text.trim() === ''
      ? 'none'
      : text
          .split(',')
          .map((p) => p.trim())
          .join(', ')
  return text.trim()
}

export interface FieldChange {
  readonly key: FieldKey
  /** "lr 0.03 → 0.2" */
  readonly text: string
}

/**
 * The fields of `draft` that differ from `preset`, in the form's order. Options of the optimizer the
 * draft does not use are left out (they do nothing), and so is an unchanged value typed differently.
 */
export function changesFrom(draft: ConfigDraft, preset: TrainConfig): FieldChange[] {
  const base = draftFromConfig(preset)
  return SECTIONS.flatMap((section) => visibleFields(section, draft))
    .filter((key) => canonical(key, draft[key]) !== canonical(key, base[key]))
    .flatMap((key) => {
      const layers = key === 'layers' ? layerChanges(draft, base, preset) : null
      if (layers) return layers.map((text) => ({ key, text }))
      return [
        { key, text: `${SHORT_NAMES[key]} ${shown(key, base[key])} → ${shown(key, draft[key])}` }
      ]
    })
}

/**
 * The layer edits one by one ("dense1 10 → 32 units", "+ dropout 0.25 after dense1"), or null when the
 * draft's layers cannot be read (then the text itself is shown).
 * NOTE: layers without their own activation are read with the preset's, so that a changed Activation
 * field is said once, as itself, rather than once per layer.
 */
function layerChanges(draft: ConfigDraft, base: ConfigDraft, preset: TrainConfig): string[] | null {
  try {
    const layers = parseLayerList(draft.layers, base.activation)
    return describeLayerChanges(preset.architecture, { ...preset.architecture, layers })
  } catch (err) {
    if (err instanceof ConfigError) return null
    throw err
  }
}

/** "modified: lr 0.03 → 0.2, hidden 10 → 64, 32", or null when nothing changed. */
export function describeChanges(draft: ConfigDraft, preset: TrainConfig): string | null {
  const changes = changesFrom(draft, preset)
  return changes.length === 0 ? null : `modified: ${changes.map((c) => c.text).join(', ')}`
}
