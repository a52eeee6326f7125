// Routes a StudioApi call named by its channel (an IPC channel or a WebSocket method), with untrusted
// params, to the host. Derived from the verb table: no verb is named here.

import { VERB_OF_CHANNEL, type StudioMethod } from '../contract'
import type { UntrustedCalls } from './untrusted-calls'
import { checkArity } from './validation'

/**
 * Calls `method` on the host. The host parses every argument; their count is checked here as well, so
 * that a transport refuses a confused caller before anything else happens.
 */
export function dispatch(
  studio: UntrustedCalls,
  method: StudioMethod,
  params: readonly unknown[]
): Promise<unknown> {
  checkArity(method, params)
  return studio[VERB_OF_CHANNEL[method]](...params)
}
