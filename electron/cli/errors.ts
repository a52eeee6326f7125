// How every CLI command fails: one clear line on stderr and a non-zero exit, never a stack trace.

import { ConfigError, IdxFormatError, ModelFileError, TrainingDivergedError } from '../../core'
import { DatasetFileError } from '../files/datasets'

/** A problem with what the user typed: bad flag, bad value, missing file. Exit status 2. */
export class UsageError extends Error {
  override name = 'UsageError'
}

/** A model whose outputs are not finite numbers (weights that overflow float32): nothing to report. */
export class NonFiniteOutputError extends Error {
  override name = 'NonFiniteOutputError'
}

/** Errors the user can act on; anything else is a bug and is reported as an internal error. */
const EXPECTED_ERRORS = [
  UsageError,
  NonFiniteOutputError,
  ConfigError,
  IdxFormatError,
  ModelFileError,
  TrainingDivergedError,
  DatasetFileError
]

/** The one line to print for `error`. */
export function describeError(error: unknown): string {
  if (EXPECTED_ERRORS.some((kind) => error instanceof kind)) return (error as Error).message
  if (
    error instanceof Error &&
    'code' in error &&
    typeof error.code === 'string' &&
    error.code.startsWith('E')
  ) {
    return error.message // file-system errors (ENOENT, EACCES, ENOSPC…) already name the path
  }
  return `internal error: ${error instanceof Error ? error.message : String(error)} (set BACKPROP_DEBUG=1 for details)`
}

/**
 * Runs a command's main function: prints a failure as `error: …` on one line and sets the exit status
 * (2 for usage errors, 1 otherwise). With BACKPROP_DEBUG=1 the stack trace is printed too.
 */
export function runCommand(
  main: () => Promise<void>,
  { json = false }: { json?: boolean } = {}
): void {
  main().catch((error: unknown) => {
    const message = describeError(error)
    if (json) process.stdout.write(JSON.stringify({ event: 'error', error: message }) + '\n')
    process.stderr.write(`error: ${message}\n`)
    if (process.env.BACKPROP_DEBUG && error instanceof Error)
      process.stderr.write(`${error.stack}\n`)
    process.exitCode = error instanceof UsageError ? 2 : 1
  })
}
