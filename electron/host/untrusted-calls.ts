// The host as every route into it sees it: each StudioApi call takes untrusted arguments, which the verb
// table's argument kinds parse before the verb's implementation runs. Derived; names no verb.

import {
  asStudioError,
  eachVerb,
  WORKER_VERBS,
  type Verb,
  type VerbArgs,
  type VerbResult,
  type WorkerVerb
} from '../contract'
import { parseArguments, type ArgumentContext } from './arguments'

/** What a verb does once its arguments are parsed (typed by the table). */
export type Implementation<V extends Verb> = (...args: VerbArgs<V>) => Promise<VerbResult<V>>

/** One implementation per verb: a verb without one does not compile. */
export type VerbImplementations = { readonly [V in Verb]: Implementation<V> }

/** The StudioApi calls with untrusted arguments: what IPC, the WebSocket and tests call. */
export type UntrustedCalls = {
  readonly [V in Verb]: (...raw: unknown[]) => Promise<VerbResult<V>>
}

/** Posts a worker verb with parsed arguments to the training worker (WorkerLink.request). */
export type PostToWorker = <V extends WorkerVerb>(
  verb: V,
  args: VerbArgs<V>
) => Promise<VerbResult<V>>

/** The worker verbs as implementations that post their parsed arguments to the worker as they are. */
export function forwardedToWorker(post: PostToWorker): {
  readonly [V in WorkerVerb]: Implementation<V>
} {
  const forwards = WORKER_VERBS.map((verb) => [
    verb,
    (...args: VerbArgs<typeof verb>) => post(verb, args)
  ])
  return Object.fromEntries(forwards) as { readonly [V in WorkerVerb]: Implementation<V> }
}

/**
 * `implementations` behind the argument check: arity first, then every argument by its kind. Whatever
 * fails, fails as a StudioError (core's typed errors given their code), so every caller sees one kind.
 */
export function untrustedCalls(
  implementations: VerbImplementations,
  context: ArgumentContext
): UntrustedCalls {
  return eachVerb<UntrustedCalls>((verb) => async (...raw: unknown[]) => {
    try {
      const args = await parseArguments(verb, raw, context)
      // NOTE: `args` are this very verb's (parseArguments is typed by it); TypeScript cannot correlate
      // the two lookups by the same `verb`, hence the widening.
      const implementation = implementations[verb] as (...parsed: unknown[]) => Promise<unknown>
      return await implementation(...args)
    } catch (error) {
      throw asStudioError(error)
    }
  })
}
