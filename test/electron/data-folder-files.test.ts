// The data folder as an unlucky user leaves it: a FIFO or a folder where settings or a run should be,
// a huge settings file, a byte-order mark, temporary files of a write a crash interrupted. The studio
// starts anyway, never hangs, and says what it skipped.

import {
  existsSync,
  mkdirSync,
  symlinkSync,
  truncateSync,
  utimesSync,
  writeFileSync
} from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { PRESETS } from '../../core'
import {
  INTERRUPTED_WRITE_AGE_MS,
  removeInterruptedWrites
} from '../../electron/files/atomic-write'
import { serializeRun } from '../../electron/host/run-file'
import { RunStore } from '../../electron/host/run-store'
import { DEFAULT_SETTINGS, SettingsStore } from '../../electron/host/settings-store'
import type { RunRecord } from '../../electron/contract'
import { makeFifo } from './support/special-files'
import { tempDir } from './support/temp-dir'

const HANG_GUARD = { timeout: 10_000 } // a FIFO opened the ordinary way would block for ever

const record = (id: string, status: RunRecord['status'] = 'completed'): RunRecord => ({
  id,
  name: `run ${id}`,
  status,
  startedAt: '2026-01-02T03:04:05.000Z',
  durationSeconds: 1,
  steps: 1,
  totalSteps: 1,
  finalTestAccuracy: 0.5,
  finalTestLoss: 1,
  config: PRESETS.seed.config,
  changes: [],
  divergence: null,
  parent: null,
  timeTravelDropped: false,
  timeTravelThinned: null,
  pinned: false,
  metrics: [],
  evaluations: [],
  failure: null,
  health: []
})

/** A settings store over `dir`, and the warnings it gave. */
function settingsIn(dir: string): { store: SettingsStore; warnings: string[] } {
  const warnings: string[] = []
  return { store: new SettingsStore(dir, (message) => warnings.push(message)), warnings }
}

/** Makes a file look as old as a crash a while ago. */
function age(path: string, milliseconds: number): void {
  const then = (Date.now() - milliseconds) / 1000
  utimesSync(path, then, then)
}

describe('settings.json that is not a settings file', () => {
  it(
    'sets aside a FIFO at once, starts from the defaults, and can save again',
    HANG_GUARD,
    async () => {
      const dir = tempDir()
      makeFifo(dir, 'settings.json')
      const { store, warnings } = settingsIn(dir)
      expect(await store.get()).toEqual(DEFAULT_SETTINGS)
      expect(warnings.join()).toMatch(
        /ignored .*settings\.json \(it is a FIFO \(named pipe\), not a settings file\)/
      )
      await store.update({ theme: 'dark' })
      expect(JSON.parse(await readFile(join(dir, 'settings.json'), 'utf8')).theme).toBe('dark')
    }
  )

  it('sets aside a folder and a file far above the cap, without reading it', async () => {
    const folder = tempDir()
    mkdirSync(join(folder, 'settings.json'))
    const huge = tempDir()
    writeFileSync(join(huge, 'settings.json'), '')
    truncateSync(join(huge, 'settings.json'), 2 * 1024 ** 3) // sparse: 2 GB on paper
    for (const [dir, problem] of [
      [folder, /is a folder, not a settings file/],
      [huge, /is 2\.0 GB; a settings file may be at most 1\.0 MB/]
    ] as const) {
      const { store, warnings } = settingsIn(dir)
      expect(await store.get()).toEqual(DEFAULT_SETTINGS)
      expect(warnings.join()).toMatch(problem)
      expect(existsSync(join(dir, 'settings.json.bad'))).toBe(true)
    }
  })

  it('reads a settings file that starts with a UTF-8 byte-order mark', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'settings.json'), '\uFEFF{"lastConfig": null, "theme": "dark"}')
    const { store, warnings } = settingsIn(dir)
    expect(await store.get()).toEqual({
      lastConfig: null,
      theme: 'dark',
      guideDismissed: false,
      autoPause: true,
      timeTravelBudgetMB: 512
    })
    expect(warnings).toEqual([])
  })
})

describe('run files that are not run files', () => {
  it(
    'lists the real runs and skips a FIFO and a folder named like runs, each with its reason',
    HANG_GUARD,
    async () => {
      const dir = tempDir()
      const store = new RunStore(dir)
      await store.write(record('good'))
      makeFifo(store.dir, 'pipe.json')
      mkdirSync(join(store.dir, 'folder.json'))
      writeFileSync(join(store.dir, 'bom.json'), '\uFEFF' + serializeRun(record('bom')))
      const { runs, skipped } = await store.list()
      expect(runs.map((run) => run.id).sort()).toEqual(['bom', 'good'])
      expect(skipped.map((s) => s.reason).sort()).toEqual([
        expect.stringMatching(/^run folder: .*folder\.json is a folder, not a run record$/),
        expect.stringMatching(/^run pipe: .*pipe\.json is a FIFO \(named pipe\), not a run record$/)
      ])
      await expect(store.read('pipe')).rejects.toThrow(/is a FIFO \(named pipe\), not a run record/)
      await store.recover() // marking old runs never hangs on the FIFO either
    }
  )
})

describe('temporary files of interrupted writes', () => {
  it('removes only ours, only when old enough to belong to no write in progress', async () => {
    const dir = tempDir()
    const old = ['.settings.json.0123456789ab.tmp', '.run-1.json.a1b2c3d4e5f6.tmp']
    for (const name of old) {
      writeFileSync(join(dir, name), 'half a file')
      age(join(dir, name), INTERRUPTED_WRITE_AGE_MS + 5000)
    }
    const young = '.settings.json.ffffffffffff.tmp' // a save in progress elsewhere: left alone
    writeFileSync(join(dir, young), '')
    const users = ['notes.tmp', '.hidden.tmp', '.x.0123456789AB.tmp', 'a.0123456789ab.tmp']
    for (const name of users) {
      writeFileSync(join(dir, name), 'mine')
      age(join(dir, name), INTERRUPTED_WRITE_AGE_MS + 5000)
    }
    mkdirSync(join(dir, '.folder.json.0123456789ab.tmp')) // not a file: not ours
    symlinkSync(join(dir, 'notes.tmp'), join(dir, '.link.json.0123456789ab.tmp'))

    expect((await removeInterruptedWrites(dir)).sort()).toEqual([...old].sort())
    expect((await readdir(dir)).sort()).toEqual(
      [young, ...users, '.folder.json.0123456789ab.tmp', '.link.json.0123456789ab.tmp'].sort()
    )
    expect(await removeInterruptedWrites(join(dir, 'missing'))).toEqual([])
  })

  it('are cleaned from the data folder and the runs folder when the stores start', async () => {
    const dir = tempDir()
    const runs = new RunStore(dir)
    await runs.write(record('r1'))
    const leftovers = [
      join(dir, '.settings.json.0123456789ab.tmp'),
      join(runs.dir, '.r2.json.0123456789ab.tmp')
    ]
    for (const path of leftovers) {
      writeFileSync(path, '{"half":')
      age(path, INTERRUPTED_WRITE_AGE_MS + 5000)
    }
    await settingsIn(dir).store.get()
    await runs.recover()
    for (const path of leftovers) expect(existsSync(path), path).toBe(false)
    expect(await readdir(runs.dir)).toEqual(['r1.json'])
  })
})
