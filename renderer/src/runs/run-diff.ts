// Two runs side by side: every config field and result, with the differing ones marked. Pure data.

import type { RunSummary } from '@contract'
import { describeAugmentation } from '@core/data/augment'
import { describeArchitecture } from '@core/nn/architecture'
import { countParameters } from '@core/nn/shapes'
import { FIELDS } from '@/shared/config/config-form'
import { describeLayerChanges } from '@/shared/config/layer-changes'
import { CHOICES } from '@/shared/config/config-layout'
import { formatAccuracy, formatCount, formatRunDuration, formatValue } from '@/shared/format'
import { settingTimeline } from './run-changes'
import { STATUS_TEXT } from './runs-table'

export interface DiffRow {
  readonly label: string
  readonly section: 'config' | 'result'
  readonly a: string
  readonly b: string
  readonly differs: boolean
  /** A row that spells out another's difference (the layer edits under Architecture): not counted. */
  readonly explains?: true
}

type Field = readonly [
  label: string,
  section: DiffRow['section'],
  read: (run: RunSummary) => string
]

const NOT_USED = '—'

/** "He (normal)" for 'he', as the form's select shows it. */
function choiceLabel(field: 'init' | 'activation', value: string): string {
  return CHOICES[field]?.find((choice) => choice.value === value)?.label ?? value
}

const ROWS: readonly Field[] = [
  ['Architecture', 'config', (r) => describeArchitecture(r.config.architecture)],
  ['Parameters', 'config', (r) => formatCount(countParameters(r.config.architecture))],
  [FIELDS.init.label, 'config', (r) => choiceLabel('init', r.config.init)],
  [FIELDS.optimizer.label, 'config', (r) => (r.config.optimizer.kind === 'sgd' ? 'SGD' : 'Adam')],
  [FIELDS.momentum.label, 'config', (r) => settingTimeline(r, 'momentum') ?? NOT_USED],
  [
    FIELDS.beta1.label,
    'config',
    (r) => (r.config.optimizer.kind === 'adam' ? String(r.config.optimizer.beta1) : NOT_USED)
  ],
  [
    FIELDS.beta2.label,
    'config',
    (r) => (r.config.optimizer.kind === 'adam' ? String(r.config.optimizer.beta2) : NOT_USED)
  ],
  [
    FIELDS.epsilon.label,
    'config',
    (r) => (r.config.optimizer.kind === 'adam' ? String(r.config.optimizer.epsilon) : NOT_USED)
  ],
  // "0.03 → 0.5 at step 412": what the run trained with, not only what it started with.
  [FIELDS.learningRate.label, 'config', (r) => settingTimeline(r, 'learningRate') ?? NOT_USED],
  [FIELDS.weightDecay.label, 'config', (r) => String(r.config.weightDecay)],
  [FIELDS.batchSize.label, 'config', (r) => String(r.config.batchSize)],
  [FIELDS.batchCount.label, 'config', (r) => String(r.config.batchCount)],
  [FIELDS.epochs.label, 'config', (r) => String(r.config.epochs)],
  [FIELDS.seed.label, 'config', (r) => String(r.config.seed)],
  [
    FIELDS.evaluateEvery.label,
    'config',
    (r) => (r.config.evaluateEvery === 0 ? 'epoch ends' : `${r.config.evaluateEvery} batches`)
  ],
  ['Augmentation', 'config', (r) => describeAugmentation(r.config.augmentation)],
  ['Status', 'result', (r) => STATUS_TEXT[r.status]],
  ['Steps', 'result', (r) => `${r.steps} / ${r.totalSteps}`],
  ['Duration', 'result', (r) => formatRunDuration(r.durationSeconds)],
  ['Final test accuracy', 'result', (r) => formatAccuracy(r.finalTestAccuracy)],
  [
    'Final test loss',
    'result',
    (r) => (r.finalTestLoss === null ? NOT_USED : formatValue(r.finalTestLoss))
  ]
]

/**
 * Every row of the comparison, config first, then results. When the layers differ, a row under
 * Architecture says how the second run's differ from the first's ("dense1 10 → 32 units, + dropout 0.25
 * after dense1"), as the preset's "modified" line does.
 */
export function runDiff(a: RunSummary, b: RunSummary): DiffRow[] {
  const rows: DiffRow[] = ROWS.map(([label, section, read]) => {
    const left = read(a)
    const right = read(b)
    return { label, section, a: left, b: right, differs: left !== right }
  })
  const layerChanges = describeLayerChanges(a.config.architecture, b.config.architecture)
  if (layerChanges.length > 0) {
    const at = rows.findIndex((row) => row.label === 'Architecture') + 1
    const text = layerChanges.join(', ')
    rows.splice(at, 0, {
      label: 'Layer changes',
      section: 'config',
      a: NOT_USED,
      b: text,
      differs: true,
      explains: true
    })
  }
  return rows
}

/** How many config fields differ (results differ almost always, so they are not counted). */
export function configDifferences(rows: readonly DiffRow[]): number {
  return rows.filter((row) => row.section === 'config' && row.differs && !row.explains).length
}
