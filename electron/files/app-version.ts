// The app's version as the Node side reports it (StudioInfo.version), read from package.json.

import { readFileSync } from 'node:fs'
import { join } from 'node:path'

/** Reads `version` from the package.json at `appRoot` (the repo, or the packaged app's root). */
export function readAppVersion(appRoot: string): string {
  try {
    const { version } = JSON.parse(readFileSync(join(appRoot, 'package.json'), 'utf8')) as {
      version?: unknown
    }
    return typeof version === 'string' ? version : 'unknown'
  } catch {
    return 'unknown' // NOTE: the version is informative only; a missing file must not stop the app
  }
}
