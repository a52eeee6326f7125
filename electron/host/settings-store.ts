// Settings that survive a restart, in <dataDir>/settings.json: read and validated at start (a bad
// file is set aside as settings.json.bad), merged and written atomically on every change.

import { rename } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { ConfigError, parseTrainConfig } from '../../core'
import {
  problemOf,
  TIME_TRAVEL_BUDGET_MB,
  timeTravelBudgetProblem,
  type Settings,
  type ThemePreference,
  type TrainConfig
} from '../contract'
import { removeInterruptedWrites, writeFileAtomic } from '../files/atomic-write'
import { ensureDir } from '../files/data-dir'
import { USER_FILES } from '../files/file-limits'
import { readUserText, UserFileError } from '../files/user-file'
import { parseWith, RequestError } from './validation'

/** The window's last normal (not maximised) bounds. Electron main's business only: never sent to a window. */
export interface WindowBounds {
  readonly x: number
  readonly y: number
  readonly width: number
  readonly height: number
  readonly maximized: boolean
}

/** What settings.json holds. */
export interface StoredSettings extends Settings {
  readonly windowBounds?: WindowBounds
}

export const DEFAULT_SETTINGS: Settings = {
  lastConfig: null,
  theme: 'system',
  guideDismissed: false,
  autoPause: true,
  timeTravelBudgetMB: TIME_TRAVEL_BUDGET_MB.default
}

const themeSchema = z.enum(['system', 'light', 'dark']) satisfies z.ZodType<ThemePreference>

const pixels = z.number().int().min(-100_000).max(100_000)
const windowBoundsSchema = z.strictObject({
  x: pixels,
  y: pixels,
  width: z.number().int().min(1).max(100_000),
  height: z.number().int().min(1).max(100_000),
  maximized: z.boolean()
}) satisfies z.ZodType<WindowBounds>

const budgetSchema = z.number().superRefine((mb, context) => {
  const problem = timeTravelBudgetProblem(mb)
  if (problem !== null) context.addIssue({ code: 'custom', message: problem })
})

/** From a window: only the settings a window may change, each optional. */
const patchSchema = z.strictObject({
  lastConfig: z.unknown().optional(),
  theme: themeSchema.optional(),
  guideDismissed: z.boolean().optional(),
  autoPause: z.boolean().optional(),
  timeTravelBudgetMB: budgetSchema.optional()
})

/** From disk: unknown keys are ignored, so an older studio can read a newer file. */
const fileSchema = z.object({
  lastConfig: z.unknown(),
  theme: themeSchema,
  // NOTE: optional: files written before the first-steps guide existed lack it (never dismissed).
  guideDismissed: z.boolean().optional(),
  // NOTE: optional: files written before auto-pause existed lack it (on, the default).
  autoPause: z.boolean().optional(),
  // NOTE: optional: files written before the disk budget existed lack it (the default).
  timeTravelBudgetMB: budgetSchema.optional(),
  windowBounds: windowBoundsSchema.optional()
})

/** A validated change from a window, e.g. { theme: 'dark' } or { lastConfig: {...} }. */
export function parseSettingsPatch(raw: unknown): Partial<Settings> {
  const { lastConfig, theme, guideDismissed, autoPause, timeTravelBudgetMB } = parseWith(
    patchSchema,
    raw,
    'settings'
  )
  return {
    ...(lastConfig === undefined
      ? {}
      : {
          lastConfig: parseLastConfig(
            lastConfig,
            'settings.lastConfig',
            (field, problem) => new RequestError(field, problem)
          )
        }),
    ...(theme === undefined ? {} : { theme }),
    ...(guideDismissed === undefined ? {} : { guideDismissed }),
    ...(autoPause === undefined ? {} : { autoPause }),
    ...(timeTravelBudgetMB === undefined ? {} : { timeTravelBudgetMB })
  }
}

export function parseWindowBounds(raw: unknown): WindowBounds {
  return parseWith(windowBoundsSchema, raw, 'windowBounds')
}

export class SettingsStore {
  readonly path: string
  private current: Promise<StoredSettings>
  private writes: Promise<void> = Promise.resolve()

  constructor(
    private readonly dataDir: string,
    private readonly warn: (message: string) => void = (message) => console.warn(message)
  ) {
    this.path = join(dataDir, 'settings.json')
    this.current = this.load()
  }

  /** The settings a window sees (no window bounds). */
  async get(): Promise<Settings> {
    const { lastConfig, theme, guideDismissed, autoPause, timeTravelBudgetMB } = await this.current
    return { lastConfig, theme, guideDismissed, autoPause, timeTravelBudgetMB }
  }

  async update(patch: Partial<Settings>): Promise<Settings> {
    await this.change((stored) => ({ ...stored, ...patch }))
    return this.get()
  }

  async windowBounds(): Promise<WindowBounds | null> {
    return (await this.current).windowBounds ?? null
  }

  async saveWindowBounds(bounds: WindowBounds): Promise<void> {
    await this.change((stored) => ({ ...stored, windowBounds: bounds }))
  }

  /** Resolves when every write so far has finished. */
  idle(): Promise<void> {
    return this.writes.catch(() => undefined)
  }

  /**
   * Applies a change in memory and writes the result; changes and writes happen in call order.
   * NOTE: the write joins the chain synchronously, so `idle()` called right after sees it.
   */
  private change(apply: (stored: StoredSettings) => StoredSettings): Promise<void> {
    const next = this.current.then(apply)
    this.current = next
    const write = Promise.all([next, this.idle()]).then(async ([settled]) => {
      await ensureDir(this.dataDir)
      await writeFileAtomic(this.path, JSON.stringify(settled, null, 2) + '\n')
    })
    this.writes = write
    return write
  }

  private async load(): Promise<StoredSettings> {
    await removeInterruptedWrites(this.dataDir).catch((error: unknown) =>
      this.warn(`Backprop Studio could not clean ${this.dataDir}: ${String(error)}`)
    )
    let text: string
    try {
      text = await readUserText(this.path, USER_FILES.settings)
    } catch (error) {
      if (!(error instanceof UserFileError)) throw error
      if (error.problem.kind === 'missing') return DEFAULT_SETTINGS
      // A folder, a FIFO or a huge file where settings.json should be is not ours: set it aside, so
      // that the next save can write a real one; a file we may not read is left alone.
      if (error.problem.kind === 'not-regular' || error.problem.kind === 'too-large')
        return this.setAside(error.about('it'))
      this.warn(`Backprop Studio ignored its settings: ${error.message}`)
      return DEFAULT_SETTINGS
    }
    try {
      return parseSettingsFile(text)
    } catch (error) {
      return this.setAside((error as Error).message)
    }
  }

  /** Renames an unusable settings.json to settings.json.bad and starts from the defaults. */
  private async setAside(problem: string): Promise<StoredSettings> {
    // NOTE: kept, not deleted: the user (or a bug report) may want to see what was wrong with it.
    const badPath = `${this.path}.bad`
    this.warn(`Backprop Studio ignored ${this.path} (${problem}); it is kept as ${badPath}`)
    await rename(this.path, badPath).catch(() => undefined)
    return DEFAULT_SETTINGS
  }
}

/** Validates settings.json's text; throws an Error naming the field. */
export function parseSettingsFile(text: string): StoredSettings {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    throw new Error('it is not valid JSON')
  }
  const { lastConfig, theme, guideDismissed, autoPause, timeTravelBudgetMB, windowBounds } =
    parseWith(fileSchema, raw, 'settings')
  return {
    lastConfig: parseLastConfig(
      lastConfig,
      'lastConfig',
      (field, problem) => new Error(`${field}: ${problem}`)
    ),
    theme,
    guideDismissed: guideDismissed ?? false,
    autoPause: autoPause ?? DEFAULT_SETTINGS.autoPause,
    timeTravelBudgetMB: timeTravelBudgetMB ?? DEFAULT_SETTINGS.timeTravelBudgetMB,
    ...(windowBounds === undefined ? {} : { windowBounds })
  }
}

/** null (never edited yet) or a config core accepts; errors name the field under `where`. */
function parseLastConfig(
  raw: unknown,
  where: string,
  refuse: (field: string, problem: string) => Error
): TrainConfig | null {
  if (raw === null) return null
  try {
    return parseTrainConfig(raw)
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    // NOTE: core names the whole config 'config' (and its unknown keys 'config.colour'): here it is `where`.
    const path = error.field.replace(/^config(\.|$)/, '')
    throw refuse(path === '' ? where : `${where}.${path}`, problemOf(error))
  }
}
