// The one way the Node side reads a file it did not write itself (an image, an IDX dataset, a model,
// settings, a run record): checked to be a regular file, and read with a byte cap, BEFORE any parsing.
// So /dev/zero, a FIFO or a 50 GB file is answered at once with one line, instead of a hang or gigabytes.

import type { Stats } from 'node:fs'
import { constants } from 'node:fs'
import { open, stat, type FileHandle } from 'node:fs/promises'

/** What a file is for, as the messages name it, and the most bytes read of one (see file-limits.ts). */
export interface UserFileKind {
  /** "an image file", "an IDX file", … */
  readonly what: string
  readonly maxBytes: number
}

/** Why a file was not read. */
export type UserFileProblem =
  | { readonly kind: 'missing' }
  | { readonly kind: 'denied' }
  | { readonly kind: 'not-regular'; readonly type: string; readonly what: string }
  | {
      readonly kind: 'too-large'
      readonly size: number
      readonly maxBytes: number
      readonly what: string
    }
  | { readonly kind: 'unreadable'; readonly code: string }

/** A file that was not read. `message` names the path; `about()` words it for another subject. */
export class UserFileError extends Error {
  override name = 'UserFileError'

  constructor(
    readonly path: string,
    readonly problem: UserFileProblem
  ) {
    super(describeProblem(problem, path))
  }

  /** The message about `subject` (e.g. a file name already shown), or without one when null. */
  about(subject: string | null): string {
    return describeProblem(this.problem, subject)
  }
}

/**
 * The file's bytes, after checking that it is a regular file of at most `kind.maxBytes` bytes.
 * Throws UserFileError otherwise; never blocks on a FIFO, never reads more than maxBytes + 1 bytes.
 */
export async function readUserFile(path: string, kind: UserFileKind): Promise<Uint8Array> {
  // stat first: a device or a FIFO is refused by its kind, without ever being opened.
  check(path, kind, await statOrThrow(path, kind))
  let handle
  try {
    // NOTE: O_NONBLOCK because the file may have been swapped for a FIFO since the stat: opening a FIFO
    // for reading blocks until a writer comes, and then the fstat below could never refuse it.
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0))
  } catch (error) {
    throw fromErrno(path, kind, error)
  }
  try {
    const info = await handle.stat()
    check(path, kind, info)
    return await readCapped(path, kind, handle, info.size)
  } finally {
    await handle.close()
  }
}

/** The file as UTF-8 text (a leading byte-order mark, which some editors write, is dropped). */
export async function readUserText(path: string, kind: UserFileKind): Promise<string> {
  // TextDecoder drops a UTF-8 BOM by default (ignoreBOM: false); Buffer's toString would keep it.
  return new TextDecoder('utf-8').decode(await readUserFile(path, kind))
}

/** "512 bytes", "3.4 KB", "70 MB", "1.5 GB" (binary units, as file managers mostly show). */
export function formatByteSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`
  const [value, unit] =
    bytes < 1024 ** 2
      ? [bytes / 1024, 'KB']
      : bytes < 1024 ** 3
        ? [bytes / 1024 ** 2, 'MB']
        : [bytes / 1024 ** 3, 'GB']
  return `${value.toFixed(value < 10 ? 1 : 0)} ${unit}`
}

async function statOrThrow(path: string, kind: UserFileKind): Promise<Stats> {
  try {
    return await stat(path)
  } catch (error) {
    throw fromErrno(path, kind, error)
  }
}

/** Refuses anything but a regular file, and a regular file above the cap. */
function check(path: string, kind: UserFileKind, info: Stats): void {
  if (!info.isFile())
    throw new UserFileError(path, { kind: 'not-regular', type: fileType(info), what: kind.what })
  if (info.size > kind.maxBytes) throw tooLarge(path, kind, info.size)
}

/**
 * Reads to the end, but never more than maxBytes + 1 bytes: the size from fstat is only a hint (a file
 * may grow while it is read, and /proc files say 0), so the cap is enforced on what was actually read.
 */
async function readCapped(
  path: string,
  kind: UserFileKind,
  handle: FileHandle,
  size: number
): Promise<Uint8Array> {
  const limit = kind.maxBytes + 1
  let buffer = Buffer.allocUnsafe(Math.min(limit, Math.max(size + 1, 64 * 1024)))
  let length = 0
  for (;;) {
    if (length === buffer.length) {
      if (length >= limit) throw tooLarge(path, kind, length)
      const grown = Buffer.allocUnsafe(Math.min(limit, 2 * buffer.length))
      buffer.copy(grown, 0, 0, length)
      buffer = grown
    }
    let bytesRead: number
    try {
      ;({ bytesRead } = await handle.read(buffer, length, buffer.length - length, null))
    } catch (error) {
      throw fromErrno(path, kind, error)
    }
    if (bytesRead === 0) break
    length += bytesRead
  }
  if (length > kind.maxBytes) throw tooLarge(path, kind, length)
  return new Uint8Array(buffer.buffer, buffer.byteOffset, length)
}

function tooLarge(path: string, kind: UserFileKind, size: number): UserFileError {
  return new UserFileError(path, {
    kind: 'too-large',
    size,
    maxBytes: kind.maxBytes,
    what: kind.what
  })
}

/** "a folder", "a character device", … for anything that is not a regular file. */
function fileType(info: Stats): string {
  if (info.isDirectory()) return 'a folder'
  if (info.isCharacterDevice()) return 'a character device'
  if (info.isBlockDevice()) return 'a block device'
  if (info.isFIFO()) return 'a FIFO (named pipe)'
  if (info.isSocket()) return 'a socket'
  return 'not a regular file'
}

function fromErrno(path: string, kind: UserFileKind, error: unknown): UserFileError {
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'ENOENT' || code === 'ENOTDIR') return new UserFileError(path, { kind: 'missing' })
  if (code === 'EACCES' || code === 'EPERM') return new UserFileError(path, { kind: 'denied' })
  // EISDIR: opening a folder fails this way on some systems, before any stat could name it.
  if (code === 'EISDIR')
    return new UserFileError(path, { kind: 'not-regular', type: 'a folder', what: kind.what })
  return new UserFileError(path, { kind: 'unreadable', code: code ?? String(error) })
}

/**
 * One line about the problem. With a subject: "/dev/zero is a character device, not an image file",
 * "cannot read /x/m.json: no such file". Without: "this is a folder, not an image file", "no such file".
 */
function describeProblem(problem: UserFileProblem, subject: string | null): string {
  switch (problem.kind) {
    case 'missing':
      return subject === null ? 'no such file' : `cannot read ${subject}: no such file`
    case 'denied':
      return subject === null ? 'permission denied' : `cannot read ${subject}: permission denied`
    case 'unreadable':
      return subject === null
        ? `cannot read the file (${problem.code})`
        : `cannot read ${subject} (${problem.code})`
    case 'not-regular': {
      const type =
        problem.type === 'not a regular file'
          ? 'is not a regular file'
          : `is ${problem.type}, not ${problem.what}`
      return `${subject ?? 'this'} ${type}`
    }
    case 'too-large':
      return (
        `${subject ?? 'the file'} is ${formatByteSize(problem.size)}; ` +
        `${problem.what} may be at most ${formatByteSize(problem.maxBytes)}`
      )
  }
}
