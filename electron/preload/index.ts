// Preload (sandboxed, bundled CommonJS): exposes exactly StudioBridge as window.studio, nothing else.
// Derived from the verb table: one IPC call per verb, one subscription per event.

import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import {
  eachVerb,
  EVENTS,
  STUDIO_EVENTS,
  STUDIO_VERBS,
  type Outcome,
  type StudioBridge,
  type StudioEvents
} from '../contract'

/**
 * One call: the host answers its Outcome (the renderer throws a failed one as a StudioError; see
 * renderer/src/shared/api). A rejection means IPC itself failed (e.g. the sender was refused), and
 * Electron wraps its message as "Error invoking remote method 'training:start': Error: …": the learner
 * should read only the part after it.
 */
async function invoke(channel: string, args: readonly unknown[]): Promise<Outcome<unknown>> {
  try {
    return (await ipcRenderer.invoke(channel, ...args)) as Outcome<unknown>
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    throw new Error(message.replace(/^Error invoking remote method '[^']*': (?:\w*Error: )?/, ''))
  }
}

/** Subscribes to a push channel; strips Electron's event object, so the page only sees our payload. */
function subscribe(channel: string, listener: (payload: unknown) => void): () => void {
  const forward = (_event: IpcRendererEvent, payload: unknown): void => listener(payload)
  ipcRenderer.on(channel, forward)
  return () => {
    ipcRenderer.removeListener(channel, forward)
  }
}

const calls = eachVerb<Omit<StudioBridge, keyof StudioEvents>>(
  (verb) =>
    (...args: unknown[]) =>
      invoke(STUDIO_VERBS[verb].channel, args)
)
// NOTE: typed by StudioEvents as eachVerb's calls are by StudioBridge: every event is a subscription.
const events = Object.fromEntries(
  EVENTS.map((name) => [
    name,
    (listener: (payload: unknown) => void) => subscribe(STUDIO_EVENTS[name].channel, listener)
  ])
) as StudioEvents

const studio: StudioBridge = { ...calls, ...events }

contextBridge.exposeInMainWorld('studio', studio)
