// The options of `npm run bench:app` (bench/app.ts) and the runs they ask for.

import { join, resolve } from 'node:path'
import { PRESETS, type PresetName } from '../core'
import { REPO_ROOT } from './studio-server'

/** One run to watch: a preset at full speed to its end, or slowed to a pace and stopped after a while. */
export interface Scenario {
  readonly name: string
  readonly preset: PresetName
  /** Steps per second (the Pace control), or null for full speed. */
  readonly pace: number | null
  /** Stop the run this long after its start; null: let it finish. */
  readonly stopAfterMs: number | null
}

/** How long a paced run is watched before it is stopped. */
const PACED_RUN_MS = 8000

export type Section = 'dataset' | 'browser' | 'memory'

export interface Options {
  readonly json: boolean
  /** The build to measure (default out/): its main/web.js for the browser, main/train-worker.js for memory. */
  readonly out: string
  readonly sections: readonly Section[]
  readonly presets: readonly PresetName[]
  /** Paces (steps per second) at which the MLP preset also runs for PACED_RUN_MS. */
  readonly paces: readonly number[]
  /** How long the lenet preset runs at full speed (its filters and feature maps redraw), or null: not at all. */
  readonly convSeconds: number | null
  readonly memoryEpochs: number
}

export function parseOptions(argv: readonly string[]): Options {
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag)
    return i >= 0 ? argv[i + 1] : undefined
  }
  const sections = (value('--sections') ?? 'dataset,browser,memory').split(',') as Section[]
  for (const s of sections)
    if (!['dataset', 'browser', 'memory'].includes(s)) throw new Error(`--sections: unknown "${s}"`)
  const presetsText = value('--presets') ?? 'mlp,seed'
  const presets = (presetsText === 'none' ? [] : presetsText.split(',')) as PresetName[]
  for (const p of presets)
    if (!(p in PRESETS))
      throw new Error(`--presets: unknown "${p}" (${Object.keys(PRESETS).join(', ')})`)
  const pacesText = value('--paces') ?? '500,100,20'
  const paces = pacesText === 'none' ? [] : pacesText.split(',').map(Number)
  for (const pace of paces)
    if (!(pace > 0))
      throw new Error(`--paces: "${pacesText}" is not a list of steps per second (or none)`)
  const convText = value('--conv-seconds') ?? '20'
  const convSeconds = convText === 'none' ? null : Number(convText)
  if (convSeconds !== null && !(convSeconds > 0))
    throw new Error(`--conv-seconds: "${convText}" is not a number of seconds (or none)`)
  const memoryEpochs = Number(value('--memory-epochs') ?? 10)
  if (!Number.isInteger(memoryEpochs) || memoryEpochs < 1)
    throw new Error('--memory-epochs must be a whole number ≥ 1')
  return {
    json: argv.includes('--json'),
    out: resolve(value('--out') ?? join(REPO_ROOT, 'out')),
    sections,
    presets,
    paces,
    convSeconds,
    memoryEpochs
  }
}

/**
 * Each preset at full speed to its end, then the MLP preset at each pace for a few seconds, then the
 * first seconds of a LeNet run (a whole one takes minutes): its filters, and the feature maps the page
 * asks for at each weight snapshot.
 */
export function scenarios(options: Options): Scenario[] {
  return [
    ...options.presets.map((preset) => ({
      name: `${preset} preset, full speed`,
      preset,
      pace: null,
      stopAfterMs: null
    })),
    ...options.paces.map((pace) => ({
      name: `mlp preset at ${pace} steps/s`,
      preset: 'mlp' as const,
      pace,
      stopAfterMs: PACED_RUN_MS
    })),
    ...(options.convSeconds === null
      ? []
      : [
          {
            name: `lenet preset, full speed, first ${options.convSeconds} s`,
            preset: 'lenet' as const,
            pace: null,
            stopAfterMs: options.convSeconds * 1000
          }
        ])
  ]
}
