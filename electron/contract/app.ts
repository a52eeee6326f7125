// The studio around the runs: what it serves, its settings, and what Electron's menu and Open dialogs send.

import { MAX_IMAGE_FILE_BYTES, type TrainConfig } from '../../core'

export interface DatasetSummary {
  readonly name: string
  readonly count: number
  readonly rows: number
  readonly cols: number
  /** How many classes its labels name (the highest label + 1): 10 for MNIST. */
  readonly classes: number
}

export interface StudioInfo {
  readonly version: string
  /** How the window reaches the host: Electron IPC, or WebSocket in browser mode. */
  readonly mode: 'electron' | 'browser'
  readonly train: DatasetSummary
  readonly test: DatasetSummary
}

// ── Settings that survive a restart (issue 5) ──

export type ThemePreference = 'system' | 'light' | 'dark'

export interface Settings {
  /** The config the user last edited, restored at start; null the first time. */
  readonly lastConfig: TrainConfig | null
  readonly theme: ThemePreference
  /** The first-steps guide was dismissed: it is never shown again. */
  readonly guideDismissed: boolean
  /**
   * Pause a run at a NaN loss, an exploding gradient or a dead layer, naming the layer (default on:
   * a learner who sets the learning rate too high learns most at the step where it went wrong).
   */
  readonly autoPause: boolean
  /**
   * The most disk space every run's time-travel data (checkpoint files) may take together, in MB:
   * when a run starts, the oldest runs' checkpoints are thinned first, then deleted, until the others
   * and the new run's own budget fit (their records say so: RunSummary.timeTravelThinned and
   * timeTravelDropped); pinned runs' are never touched.
   */
  readonly timeTravelBudgetMB: number
}

/** The time-travel disk budget's range and default, in MB (Settings.timeTravelBudgetMB). */
export const TIME_TRAVEL_BUDGET_MB = { min: 64, max: 1_000_000, default: 512 } as const

/**
 * Why `mb` cannot be the time-travel disk budget, or null when it can: the host's settings validation
 * and the Runs view's budget field say the same sentence.
 */
export function timeTravelBudgetProblem(mb: number): string | null {
  const { min, max } = TIME_TRAVEL_BUDGET_MB
  if (Number.isInteger(mb) && mb >= min && mb <= max) return null
  const range = `${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}`
  return `must be a whole number of MB from ${range}, got ${String(mb)}`
}

/**
 * Application menu items that the window acts on (Electron only; browser mode has no menu).
 * Open Images… and Load Model… are not among them: a menu click is not a user gesture, so the window
 * could not open a file chooser; main shows the native dialog and sends the files (OpenedFile).
 */
export type MenuCommand =
  | 'save-model'
  | 'export-npz'
  | 'export-onnx'
  | 'show-train'
  | 'show-classify'
  | 'show-evaluate'
  | 'show-runs'
  | 'show-explore'

/**
 * A file the user chose in a native Open dialog, read by the main process: its name and bytes, or why
 * it was not read (too large). Paths never reach the renderer; it treats these like dropped files.
 */
export type OpenedFile =
  | { readonly name: string; readonly bytes: Uint8Array }
  | { readonly name: string; readonly error: string }

/**
 * The largest file Open Images reads: an image's own limit, the same as for a dropped image (its pixel
 * count is limited separately, by its header). Load Model reads at most MAX_MODEL_FILE_BYTES.
 */
export const MAX_OPENED_FILE_BYTES = MAX_IMAGE_FILE_BYTES
/** At most this many files from one Open dialog (as for one drop). */
export const MAX_OPENED_FILES = 100
