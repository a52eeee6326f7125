// A run's metrics as CSV: one row per recorded step, with the learning rate and momentum that step
// trained with (so a live change shows where it happened), test results on the steps evaluated.

import { settingAt } from '../../core'
import type { RunRecord, TextFile } from '../contract'

export const RUN_CSV_HEADER =
  'step,epoch,batch,loss,accuracy,samples_seen,learning_rate,momentum,test_accuracy,test_loss'

export function runCsv(record: RunRecord): TextFile {
  const tested = new Map(record.evaluations.map((e) => [e.step, e]))
  const rows = record.metrics.map((m) => {
    const test = tested.get(m.step)
    return [
      m.step,
      m.epoch,
      m.batchInEpoch,
      m.loss,
      m.accuracy,
      m.samplesSeen,
      m.learningRate,
      // Empty for Adam, which has no momentum setting.
      settingAt(record.config, record.changes, 'momentum', m.step) ?? '',
      test?.accuracy ?? '',
      test?.loss ?? ''
    ].join(',')
  })
  return {
    fileName: `${safeFileStem(record.name)}.csv`,
    text: [RUN_CSV_HEADER, ...rows].join('\n') + '\n'
  }
}

/**
 * A run name as a file name on any OS: "784 → 10 ReLU → 10 · SGD 0.03" → "784-10-ReLU-10-SGD-0.03".
 * Letters, digits, '.', '_' and '-' only; no leading dot (hidden file), at most 100 characters.
 */
export function safeFileStem(name: string): string {
  const stem = name
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 100)
  return stem || 'run'
}
