// A run's live changes (learning rate, momentum) in words, for the table and the comparison: what the
// setting was, what it became, and at which step. Pure data.

import type { RunSummary } from '@contract'
import { settingHistory, settingOf, type LiveSetting } from '@core/train/live-changes'

/** "0.03", or "0.03 → 0.5" (every value the run trained with, in order); null where it does not apply. */
export function settingValues(run: RunSummary, setting: LiveSetting): string | null {
  if (settingOf(run.config, setting) === null) return null
  return settingHistory(run.config, run.changes, setting).join(' → ')
}

/** "0.03", or "0.03 → 0.5 at step 412" (each change with the first step that used it). */
export function settingTimeline(run: RunSummary, setting: LiveSetting): string | null {
  const start = settingOf(run.config, setting)
  if (start === null) return null
  const changes = run.changes.filter((c) => c.setting === setting)
  return [String(start), ...changes.map((c) => `${c.to} at step ${c.step}`)].join(' → ')
}
