// The renderer's one way to reach the host: Electron's preload bridge, or browser mode's WebSocket.
// Only stores call this; components never do. A failed call rejects with a StudioError (code, field).

import type { StudioApi } from '@contract'
import { studioApiFrom } from './studio-api'
import { connectWebStudio } from './web-client'

let studio: StudioApi | null = null

/** The StudioApi for this window: `window.studio` under Electron, else the browser-mode client. */
export function useStudio(): StudioApi {
  studio ??= window.studio ? studioApiFrom(window.studio) : connectWebStudio(window.location)
  return studio
}
