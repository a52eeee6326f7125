// Files chosen in the native Open dialog: read with limits, each as bytes or as a clear refusal.

import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { MAX_OPENED_FILES } from '../../electron/contract'
import { readOpenedFiles } from '../../electron/host/opened-files'
import { makeFifo } from './support/special-files'
import { tempDir } from './support/temp-dir'

describe('readOpenedFiles', () => {
  it('returns each file’s name and bytes, never its path', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'seven.png'), Uint8Array.of(137, 80, 78, 71))
    const [file] = await readOpenedFiles([join(dir, 'seven.png')])
    expect(file).toEqual({ name: 'seven.png', bytes: Uint8Array.of(137, 80, 78, 71) })
    expect(JSON.stringify(file)).not.toContain(dir)
  })

  it('refuses files above the limit before reading them, and folders, FIFOs and missing files', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'big.png'), new Uint8Array(2048))
    mkdirSync(join(dir, 'folder'))
    const fifo = makeFifo(dir, 'pipe.png')
    const files = await readOpenedFiles(
      [join(dir, 'big.png'), join(dir, 'folder'), fifo, join(dir, 'gone.png')],
      1024
    )
    expect(files).toEqual([
      { name: 'big.png', error: 'big.png is 2.0 KB; a file to open may be at most 1.0 KB' },
      { name: 'folder', error: 'folder is a folder, not a file to open' },
      { name: 'pipe.png', error: 'pipe.png is a FIFO (named pipe), not a file to open' },
      { name: 'gone.png', error: 'cannot read gone.png: no such file' }
    ])
  })

  it(`opens at most ${MAX_OPENED_FILES} files of one selection and says so`, async () => {
    const dir = tempDir()
    const paths = Array.from({ length: MAX_OPENED_FILES + 3 }, (_, i) => {
      const path = join(dir, `${i}.png`)
      writeFileSync(path, Uint8Array.of(i))
      return path
    })
    const files = await readOpenedFiles(paths)
    expect(files.filter((f) => 'bytes' in f)).toHaveLength(MAX_OPENED_FILES)
    expect(files.at(-1)).toEqual({
      name: '3 more files',
      error: `only the first ${MAX_OPENED_FILES} files of one selection are opened`
    })
  })
})
