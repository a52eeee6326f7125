// A run's default name: what it trained and how, with the live changes it went through, and a number
// when that name is already taken ("… · SGD 0.03 #2"), so two runs with the same settings differ.

import { describeArchitecture, settingHistory, type SettingChange } from '../../core'
import type { TrainConfig } from '../contract'

/** More values than this in a chain read as first → … → last. */
const MAX_CHAIN_VALUES = 3

/** "0.03", "0.03 → 0.5", "0.03 → … → 0.1". */
export function valueChain(values: readonly number[]): string {
  const shown =
    values.length > MAX_CHAIN_VALUES ? [values[0], '…', values[values.length - 1]] : values
  return shown.map(String).join(' → ')
}

/**
 * "784 → 10 ReLU → 10 · SGD 0.03", and with live changes "784 → 10 ReLU → 10 · SGD 0.03 → 0.5" or
 * "… · SGD 0.03, momentum 0 → 0.9" (momentum is named only when it changed).
 */
export function defaultRunName(
  config: TrainConfig,
  changes: readonly SettingChange[] = []
): string {
  const optimizer = config.optimizer.kind === 'sgd' ? 'SGD' : 'Adam'
  const rates = valueChain(settingHistory(config, changes, 'learningRate'))
  const momenta = settingHistory(config, changes, 'momentum')
  const momentum = momenta.length > 1 ? `, momentum ${valueChain(momenta)}` : ''
  return `${describeArchitecture(config.architecture)} · ${optimizer} ${rates}${momentum}`
}

/** `base`, or `base #n` with n one above the highest number any recorded run of that name has. */
export function distinctRunName(base: string, taken: Iterable<string>): string {
  let highest = 0
  for (const name of taken) {
    if (name === base) highest = Math.max(highest, 1)
    else if (name.startsWith(`${base} #`)) {
      const n = Number(name.slice(base.length + 2))
      if (Number.isInteger(n) && n >= 2) highest = Math.max(highest, n)
    }
  }
  return highest === 0 ? base : `${base} #${highest + 1}`
}
