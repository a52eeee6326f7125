// Errors as data: what a failed call carries across every boundary (worker → host → IPC or WebSocket →
// window), and the one place where core's typed errors become codes. Pure: the renderer imports it too.

import { ConfigError, ModelFileError } from '../../core/errors'

/** Why a call failed, for code to act on; the message says it for the learner. A closed list. */
export type ErrorCode =
  /** A TrainConfig field (or a live change to one) is out of range; `field` is its path in the config. */
  | 'invalid-config'
  /** An argument is malformed or out of range; `field` is its path among the arguments when there is one. */
  | 'invalid-request'
  /** The call needs a training run in progress (pause, resume, step) and there is none. */
  | 'no-run'
  /** A run is still training (deleting it, or starting another without replacing it): stop it first. */
  | 'run-in-progress'
  /** A recorded run is missing or its file is damaged. */
  | 'run-file'
  /** A model file is malformed, from another program or version, damaged, or does not fit the dataset. */
  | 'model-file'
  /** The dataset could not be loaded. */
  | 'dataset'
  /** The training worker stopped unexpectedly; the host has started a fresh one. */
  | 'worker-crashed'
  /** The window could not reach the host (browser mode's connection dropped, or IPC refused the call). */
  | 'unreachable'
  /** Anything else: a bug, said in the words of the error that was thrown. */
  | 'internal'

/** A failed call as plain data (structured-clone and JSON safe). */
export interface StudioErrorData {
  readonly code: ErrorCode
  /** The offending value's path, e.g. 'learningRate', 'optimizer.momentum', 'request.source.index'. */
  readonly field?: string
  /** A whole sentence for the learner; when `field` is set it begins with `${field}: `. */
  readonly message: string
}

/**
 * What every call answers across a process boundary: its value, or why it failed.
 * NOTE: an envelope rather than a thrown error, because Electron's ipcMain.handle turns a thrown error
 * into the string "Error invoking remote method …" and contextBridge keeps only an error's message.
 */
export type Outcome<T> =
  { readonly ok: true; readonly result: T } | ({ readonly ok: false } & StudioErrorData)

/** A failed call, thrown again on the receiving side with its code and field. */
export class StudioError extends Error implements StudioErrorData {
  override name = 'StudioError'
  readonly code: ErrorCode
  readonly field?: string

  constructor(data: StudioErrorData, options?: ErrorOptions) {
    super(data.message, options)
    this.code = data.code
    if (data.field !== undefined) this.field = data.field
  }
}

/** Any thrown value as a StudioError: itself if it is one, else its errorData (the original as `cause`). */
export function asStudioError(error: unknown): StudioError {
  return error instanceof StudioError ? error : new StudioError(errorData(error), { cause: error })
}

/**
 * Any thrown value as StudioErrorData: a StudioError as it is, core's typed errors by their kind.
 * The one place where core's errors meet the codes (core itself knows nothing of processes).
 */
export function errorData(error: unknown): StudioErrorData {
  if (error instanceof StudioError) return withField(error.code, error.message, error.field)
  if (error instanceof ConfigError) return withField('invalid-config', error.message, error.field)
  if (error instanceof ModelFileError) return { code: 'model-file', message: error.message }
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) }
}

/** Runs `work` and answers its Outcome: what the receiving side of a boundary sends back. */
export async function outcomeOf<T>(work: () => Promise<T> | T): Promise<Outcome<T>> {
  try {
    return { ok: true, result: await work() }
  } catch (error) {
    return { ok: false, ...errorData(error) }
  }
}

/** The value of an Outcome, or its error thrown as a StudioError: what the calling side does with it. */
export function valueOf<T>(outcome: Outcome<T>): T {
  if (outcome.ok) return outcome.result
  return throwError(outcome)
}

/** The message without its leading field path: what is wrong with the field ("must be a number > 0 …"). */
export function problemOf(error: { readonly field?: string; readonly message: string }): string {
  const prefix = `${error.field}: `
  return error.field !== undefined && error.message.startsWith(prefix)
    ? error.message.slice(prefix.length)
    : error.message
}

function throwError({ code, field, message }: StudioErrorData): never {
  throw new StudioError(withField(code, message, field))
}

function withField(code: ErrorCode, message: string, field: string | undefined): StudioErrorData {
  return field === undefined ? { code, message } : { code, field, message }
}
