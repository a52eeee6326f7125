// The settings a learner may change while a run trains (learning rate, SGD's momentum), and the log
// of such changes a run keeps: which value held at which step. Pure data and lookups.

import type { TrainConfig } from './config'

/** The settings that change live; everything else needs a new run. */
export type LiveSetting = 'learningRate' | 'momentum'

/** One live change of one setting. */
export interface SettingChange {
  readonly setting: LiveSetting
  /** The first step trained with the new value. */
  readonly step: number
  readonly from: number
  readonly to: number
}

/** The setting's value in `config`, or null where it does not apply (momentum with Adam). */
export function settingOf(config: TrainConfig, setting: LiveSetting): number | null {
  if (setting === 'learningRate') return config.learningRate
  return config.optimizer.kind === 'sgd' ? config.optimizer.momentum : null
}

/** What differs between the config before and after a live update that applies from `step` on. */
export function liveChanges(
  before: TrainConfig,
  after: TrainConfig,
  step: number
): SettingChange[] {
  const changes: SettingChange[] = []
  for (const setting of ['learningRate', 'momentum'] as const) {
    const from = settingOf(before, setting)
    const to = settingOf(after, setting)
    if (from !== null && to !== null && from !== to) changes.push({ setting, step, from, to })
  }
  return changes
}

/**
 * The log with `changes` added. Changes made between the same two steps (a value typed while paused)
 * are one change, from the value the last step used to the one the next step uses; one that comes
 * back to where it was is no change at all.
 */
export function appendChanges(
  log: readonly SettingChange[],
  changes: readonly SettingChange[]
): SettingChange[] {
  const result = log.slice()
  for (const change of changes) {
    const same = result.findIndex((c) => c.setting === change.setting && c.step === change.step)
    if (same < 0) result.push(change)
    else if (result[same].from === change.to) result.splice(same, 1)
    else result[same] = { ...result[same], to: change.to }
  }
  return result
}

/** The values a setting took during the run, in order: [0.03, 0.5] for one change, [0.03] for none. */
export function settingHistory(
  config: TrainConfig,
  changes: readonly SettingChange[],
  setting: LiveSetting
): number[] {
  const start = settingOf(config, setting)
  if (start === null) return []
  return [start, ...changes.filter((c) => c.setting === setting).map((c) => c.to)]
}

/** The setting's value at `step`: the start value, or the last change made at or before it. */
export function settingAt(
  config: TrainConfig,
  changes: readonly SettingChange[],
  setting: LiveSetting,
  step: number
): number | null {
  let value = settingOf(config, setting)
  for (const change of changes)
    if (change.setting === setting && change.step <= step) value = change.to
  return value
}
