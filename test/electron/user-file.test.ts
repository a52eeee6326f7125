// Files the studio did not write: only regular files are read, never more than the cap, and a device,
// a FIFO, a socket, a folder or a huge sparse file is refused at once with one line naming its kind.

import { mkdirSync, truncateSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { USER_FILES } from '../../electron/files/file-limits'
import {
  readUserFile,
  readUserText,
  UserFileError,
  type UserFileKind
} from '../../electron/files/user-file'
import { makeFifo } from './support/special-files'
import { tempDir } from './support/temp-dir'

/** The error readUserFile throws, or a failure if it read something. */
async function refusal(
  path: string,
  kind: UserFileKind = USER_FILES.image
): Promise<UserFileError> {
  const error = await readUserFile(path, kind).then(
    () => null,
    (e: unknown) => e
  )
  expect(error, path).toBeInstanceOf(UserFileError)
  return error as UserFileError
}

describe('readUserFile', () => {
  it('reads a regular file whole, and a file of exactly the cap', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'a.bin'), Uint8Array.of(1, 2, 3))
    expect(await readUserFile(join(dir, 'a.bin'), USER_FILES.image)).toEqual(Uint8Array.of(1, 2, 3))
    writeFileSync(join(dir, 'cap.bin'), new Uint8Array(1000).fill(7))
    const bytes = await readUserFile(join(dir, 'cap.bin'), { what: 'a test file', maxBytes: 1000 })
    expect(bytes.length).toBe(1000)
    expect(bytes.every((b) => b === 7)).toBe(true)
  })

  it('refuses /dev/zero by its kind, without reading a byte of it', async () => {
    const error = await refusal('/dev/zero')
    expect(error.message).toBe('/dev/zero is a character device, not an image file')
    expect(error.about(null)).toBe('this is a character device, not an image file')
  })

  it('refuses a FIFO at once instead of waiting for a writer', { timeout: 5000 }, async () => {
    const fifo = makeFifo(tempDir())
    const error = await refusal(fifo, USER_FILES.idx)
    expect(error.message).toBe(`${fifo} is a FIFO (named pipe), not an IDX file`)
  })

  it('refuses a socket and a folder, naming what they are', async () => {
    const dir = tempDir()
    const socketPath = join(dir, 'studio.sock')
    const server = createServer()
    await new Promise<void>((resolve) => server.listen(socketPath, resolve))
    try {
      expect((await refusal(socketPath, USER_FILES.model)).message).toBe(
        `${socketPath} is a socket, not a model file`
      )
    } finally {
      server.close()
    }
    mkdirSync(join(dir, 'images'))
    expect((await refusal(join(dir, 'images'), USER_FILES.idx)).message).toBe(
      `${join(dir, 'images')} is a folder, not an IDX file`
    )
  })

  it('refuses a file above the cap from its size, before reading it (a sparse 3 GB file)', async () => {
    const big = join(tempDir(), 'big.idx')
    writeFileSync(big, '')
    truncateSync(big, 3 * 1024 ** 3) // sparse: takes no disk space, but says 3 GB
    const error = await refusal(big, USER_FILES.idx)
    expect(error.message).toBe(`${big} is 3.0 GB; an IDX file may be at most 1.0 GB`)
    expect(error.problem).toMatchObject({ kind: 'too-large', size: 3 * 1024 ** 3 })
  })

  it('refuses a file one byte over the cap', async () => {
    const path = join(tempDir(), 'over.bin')
    writeFileSync(path, new Uint8Array(1025))
    const error = await refusal(path, { what: 'a test file', maxBytes: 1024 })
    expect(error.about('over.bin')).toBe('over.bin is 1.0 KB; a test file may be at most 1.0 KB')
  })

  it('says plainly when a file is missing', async () => {
    const missing = join(tempDir(), 'gone.png')
    const error = await refusal(missing)
    expect(error.message).toBe(`cannot read ${missing}: no such file`)
    expect(error.about(null)).toBe('no such file')
    expect((await refusal(join(missing, 'below'))).problem.kind).toBe('missing')
  })
})

describe('readUserText', () => {
  it('decodes UTF-8 and drops a byte-order mark, as editors on Windows write one', async () => {
    const path = join(tempDir(), 'settings.json')
    writeFileSync(path, Buffer.concat([Buffer.of(0xef, 0xbb, 0xbf), Buffer.from('{"π": 3}')]))
    const text = await readUserText(path, USER_FILES.settings)
    expect(text).toBe('{"π": 3}')
    expect(JSON.parse(text)).toEqual({ π: 3 })
  })
})
