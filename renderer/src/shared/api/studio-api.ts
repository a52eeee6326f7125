// The window's StudioApi over either bridge (Electron's preload, browser mode's socket): a failed call's
// Outcome is thrown again as a StudioError, carrying its code and field, in the page's own world.

import {
  eachVerb,
  valueOf,
  type Outcome,
  type StudioApi,
  type StudioBridge,
  type StudioCalls
} from '../../../../electron/contract'

/** StudioApi from a bridge whose calls answer Outcomes. */
export function studioApiFrom(bridge: StudioBridge): StudioApi {
  const calls = eachVerb<StudioCalls>((verb) => async (...args: unknown[]) => {
    // NOTE: widened as in eachVerb: the arguments are this verb's, passed on untouched.
    const call = bridge[verb] as (...sent: unknown[]) => Promise<Outcome<unknown>>
    return valueOf(await reached(call(...args)))
  })
  return {
    ...calls,
    onTrainingEvent: (listener) => bridge.onTrainingEvent(listener),
    onMenuCommand: (listener) => bridge.onMenuCommand(listener),
    onOpenedFiles: (listener) => bridge.onOpenedFiles(listener)
  }
}

/** A call that did not reach the host (IPC refused it, a socket dropped) fails as 'unreachable'. */
async function reached(call: Promise<Outcome<unknown>>): Promise<Outcome<unknown>> {
  try {
    return await call
  } catch (error) {
    return {
      ok: false,
      code: 'unreachable',
      message: error instanceof Error ? error.message : String(error)
    }
  }
}
