// Where the studio keeps its files (runs, settings): the folder Electron calls userData, in both modes.

import { mkdir } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join, resolve, win32 } from 'node:path'

/**
 * The folder's name under the OS's application-data folder. Electron's userData is appData + app
 * name, and the app name is package.json's productName, else its name: "backprop-studio" (there is no
 * productName in package.json; electron-builder's productName names the installer, not this folder).
 * NOTE: Electron main pins userData to this name, so both modes share one folder whatever the packaging.
 */
export const DATA_FOLDER_NAME = 'backprop-studio'

/** Overrides the folder in both modes; tests point it at a fresh temporary folder. */
export const DATA_DIR_ENV = 'BACKPROP_STUDIO_DATA_DIR'

/** The OS's per-user application-data folder, as Electron's app.getPath('appData') finds it. */
export function appDataDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir()
): string {
  if (platform === 'win32') return env.APPDATA || win32.join(home, 'AppData', 'Roaming')
  if (platform === 'darwin') return join(home, 'Library', 'Application Support')
  return env.XDG_CONFIG_HOME || join(home, '.config')
}

/** $BACKPROP_STUDIO_DATA_DIR as an absolute path, or null when it is not set (both modes honour it). */
export function dataDirFromEnv(env: NodeJS.ProcessEnv = process.env): string | null {
  const override = env[DATA_DIR_ENV]
  return override ? resolve(override) : null
}

/** The data folder browser mode uses: $BACKPROP_STUDIO_DATA_DIR, else the same folder as Electron. */
export function defaultDataDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir()
): string {
  const override = dataDirFromEnv(env)
  if (override) return override
  const base = appDataDir(platform, env, home)
  return platform === 'win32' ? win32.join(base, DATA_FOLDER_NAME) : join(base, DATA_FOLDER_NAME)
}

/** Creates a folder (and its parents) if it is missing; the data folder is made on first use. */
export async function ensureDir(path: string): Promise<void> {
  await mkdir(path, { recursive: true })
}
