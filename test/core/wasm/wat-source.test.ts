// A kernel module is one module file plus the parts it includes (scripts/wasm/wat-source.ts): the
// parts are spliced in place, a part cannot include another, and every file stays short.

import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readWatModule } from '../../../scripts/wasm/wat-source'

const WASM_FOLDER = join(__dirname, '..', '..', '..', 'core', 'wasm')

/** Writes files into a fresh folder: name → text. */
function folderWith(files: Record<string, string>): string {
  const folder = mkdtempSync(join(tmpdir(), 'wat-source-'))
  for (const [name, text] of Object.entries(files)) writeFileSync(join(folder, name), text)
  return folder
}

describe('readWatModule', () => {
  it('replaces each include line by the part it names, in order, and keeps everything else', () => {
    const folder = folderWith({
      'm.wat':
        '(module\n  ;; include: a.wat\n  ;; a comment that is no include\n;;include: b.wat\n)\n',
      'a.wat': '(func $a)\n',
      'b.wat': '(func $b)\n'
    })
    expect(readWatModule(join(folder, 'm.wat'))).toBe(
      '(module\n(func $a)\n\n  ;; a comment that is no include\n(func $b)\n\n)\n'
    )
  })

  it('refuses a part that includes another (one level, so a module reads top to bottom)', () => {
    const folder = folderWith({
      'm.wat': '(module\n  ;; include: a.wat\n)\n',
      'a.wat': ';; include: b.wat\n',
      'b.wat': '(func $b)\n'
    })
    expect(() => readWatModule(join(folder, 'm.wat'))).toThrow(
      /a\.wat: a part of .* may not include/
    )
  })

  it('splices every part of the real modules (no include line is left)', () => {
    for (const name of ['kernels.wat', 'conv-kernels.wat']) {
      const text = readWatModule(join(WASM_FOLDER, name))
      expect(text).not.toMatch(/;;\s*include:/)
      expect(text).toMatch(/\(func \$/)
    }
  })

  it('keeps every .wat file under core/wasm to 400 lines or fewer', () => {
    const files = readdirSync(WASM_FOLDER, { recursive: true, encoding: 'utf8' }).filter((f) =>
      f.endsWith('.wat')
    )
    expect(files.length).toBeGreaterThan(10)
    const lineCount = (file: string): number =>
      readFileSync(join(WASM_FOLDER, file), 'utf8').trimEnd().split('\n').length
    expect(files.filter((file) => lineCount(file) > 400)).toEqual([])
  })
})
