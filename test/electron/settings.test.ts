// Settings that survive a restart, and where the data folder is on each OS.

import { existsSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { PRESETS } from '../../core'
import { defaultDataDir } from '../../electron/files/data-dir'
import { DEFAULT_SETTINGS, SettingsStore } from '../../electron/host/settings-store'
import { tempDir } from './support/temp-dir'
import { createHost } from './support/studio-host'

const BOUNDS = { x: 10, y: 20, width: 1300, height: 900, maximized: false }

describe('SettingsStore', () => {
  it('starts from the defaults, and a change survives a restart', async () => {
    const dir = tempDir()
    const store = new SettingsStore(join(dir, 'not-yet-created'))
    expect(await store.get()).toEqual(DEFAULT_SETTINGS)
    expect(await store.windowBounds()).toBeNull()
    expect(await store.update({ theme: 'dark' })).toEqual({
      lastConfig: null,
      theme: 'dark',
      guideDismissed: false,
      autoPause: true,
      timeTravelBudgetMB: 512
    })
    expect(await store.update({ lastConfig: PRESETS.mlp.config })).toEqual({
      lastConfig: PRESETS.mlp.config,
      theme: 'dark',
      guideDismissed: false,
      autoPause: true,
      timeTravelBudgetMB: 512
    })
    expect(await store.update({ guideDismissed: true })).toMatchObject({ guideDismissed: true })
    await store.saveWindowBounds(BOUNDS)

    const restarted = new SettingsStore(join(dir, 'not-yet-created'))
    expect(await restarted.get()).toEqual({
      lastConfig: PRESETS.mlp.config,
      theme: 'dark',
      guideDismissed: true,
      autoPause: true,
      timeTravelBudgetMB: 512
    })
    expect(await restarted.windowBounds()).toEqual(BOUNDS)
    const onDisk = JSON.parse(await readFile(join(dir, 'not-yet-created', 'settings.json'), 'utf8'))
    expect(onDisk).toEqual({
      lastConfig: PRESETS.mlp.config,
      theme: 'dark',
      guideDismissed: true,
      autoPause: true,
      timeTravelBudgetMB: 512,
      windowBounds: BOUNDS
    })
  })

  it('keeps auto-pause off once turned off, and reads a file from before it existed as on', async () => {
    const dir = tempDir()
    await new SettingsStore(dir).update({ autoPause: false })
    expect(await new SettingsStore(dir).get()).toMatchObject({ autoPause: false })
    const old = tempDir()
    await writeFile(join(old, 'settings.json'), '{"theme":"dark","lastConfig":null}')
    expect(await new SettingsStore(old).get()).toMatchObject({
      autoPause: true,
      timeTravelBudgetMB: 512 // files from before the disk budget: the default
    })
  })

  it('reads a file written before the first-steps guide existed as "not dismissed"', async () => {
    const dir = tempDir()
    await writeFile(join(dir, 'settings.json'), '{"theme":"dark","lastConfig":null}')
    expect(await new SettingsStore(dir).get()).toEqual({
      lastConfig: null,
      theme: 'dark',
      guideDismissed: false,
      autoPause: true,
      timeTravelBudgetMB: 512
    })
  })

  it('reads a lastConfig saved in the dense form (before layer lists) as the same net', async () => {
    const dir = tempDir()
    const dense = { inputSize: 784, hiddenSizes: [128], activation: 'relu', outputSize: 10 }
    const saved = { ...PRESETS.mlp.config, architecture: dense }
    await writeFile(
      join(dir, 'settings.json'),
      JSON.stringify({ lastConfig: saved, theme: 'dark' })
    )
    expect(await new SettingsStore(dir).get()).toEqual({
      lastConfig: PRESETS.mlp.config,
      theme: 'dark',
      guideDismissed: false,
      autoPause: true,
      timeTravelBudgetMB: 512
    })
  })

  it('applies concurrent changes in order, losing none', async () => {
    const store = new SettingsStore(tempDir())
    await Promise.all([
      store.update({ theme: 'light' }),
      store.saveWindowBounds(BOUNDS),
      store.update({ lastConfig: PRESETS.seed.config })
    ])
    const restarted = new SettingsStore(store.path.replace(/settings\.json$/, ''))
    expect(await restarted.get()).toEqual({
      lastConfig: PRESETS.seed.config,
      theme: 'light',
      guideDismissed: false,
      autoPause: true,
      timeTravelBudgetMB: 512
    })
    expect(await restarted.windowBounds()).toEqual(BOUNDS)
  })

  it('falls back to the defaults on a damaged file, and keeps it as settings.json.bad', async () => {
    for (const content of [
      '{"theme": "dark", "lastConf',
      '{"theme":"neon","lastConfig":null}',
      '{"theme":"dark","lastConfig":{"epochs":0}}'
    ]) {
      const dir = tempDir()
      await writeFile(join(dir, 'settings.json'), content)
      const warnings: string[] = []
      const store = new SettingsStore(dir, (message) => warnings.push(message))
      expect(await store.get()).toEqual(DEFAULT_SETTINGS)
      expect(await readFile(join(dir, 'settings.json.bad'), 'utf8')).toBe(content)
      expect(existsSync(join(dir, 'settings.json'))).toBe(false)
      expect(warnings.join()).toMatch(/ignored .*settings\.json .*kept as .*settings\.json\.bad/)
      await store.update({ theme: 'light' }) // and it is usable again
      expect(JSON.parse(await readFile(join(dir, 'settings.json'), 'utf8'))).toEqual({
        lastConfig: null,
        theme: 'light',
        guideDismissed: false,
        autoPause: true,
        timeTravelBudgetMB: 512
      })
    }
  })
})

describe('settings through StudioHost', () => {
  it('round-trips, rejects invalid patches, and never hands out the window bounds', async () => {
    const dir = tempDir()
    const host = createHost(dir)
    try {
      expect(await host.getSettings()).toEqual(DEFAULT_SETTINGS)
      expect(
        await host.updateSettings({ theme: 'dark', lastConfig: PRESETS.softmax.config })
      ).toEqual({
        theme: 'dark',
        lastConfig: PRESETS.softmax.config,
        guideDismissed: false,
        autoPause: true,
        timeTravelBudgetMB: 512
      })
      await expect(host.updateSettings({ theme: 'sepia' })).rejects.toThrow(/^settings\.theme: /)
      await expect(host.updateSettings({ guideDismissed: 'yes' })).rejects.toThrow(
        /^settings\.guideDismissed: /
      )
      await expect(host.updateSettings({ autoPause: 'on' })).rejects.toThrow(
        /^settings\.autoPause: /
      )
      await expect(
        host.updateSettings({ lastConfig: { ...PRESETS.seed.config, batchSize: 0 } })
      ).rejects.toThrow(/^settings\.lastConfig\.batchSize: /)
      await expect(host.updateSettings({ windowBounds: BOUNDS })).rejects.toThrow(
        /^settings\.windowBounds: is not a known setting/
      )
      await expect(host.updateSettings(null)).rejects.toThrow(/^settings: /)
      // The Runs view's budget field shows this same sentence before it asks (timeTravelBudgetProblem).
      await expect(host.updateSettings({ timeTravelBudgetMB: 63.5 })).rejects.toThrow(
        'settings.timeTravelBudgetMB: must be a whole number of MB from 64 to 1,000,000, got 63.5'
      )
      await host.saveWindowBounds(BOUNDS)
      expect(await host.getSettings()).toEqual({
        theme: 'dark',
        lastConfig: PRESETS.softmax.config,
        guideDismissed: false,
        autoPause: true,
        timeTravelBudgetMB: 512
      })
      expect(await host.windowBounds()).toEqual(BOUNDS)
    } finally {
      await host.close()
    }
  })
})

describe('the data folder', () => {
  it('is where Electron keeps userData for "backprop-studio", on each OS', () => {
    expect(defaultDataDir('linux', {}, '/home/ada')).toBe('/home/ada/.config/backprop-studio')
    expect(defaultDataDir('linux', { XDG_CONFIG_HOME: '/cfg' }, '/home/ada')).toBe(
      '/cfg/backprop-studio'
    )
    expect(defaultDataDir('darwin', {}, '/Users/ada')).toBe(
      '/Users/ada/Library/Application Support/backprop-studio'
    )
    expect(
      defaultDataDir('win32', { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' }, 'C:\\Users\\ada')
    ).toBe('C:\\Users\\ada\\AppData\\Roaming\\backprop-studio')
  })

  it('is overridden by BACKPROP_STUDIO_DATA_DIR', () => {
    expect(
      defaultDataDir('linux', { BACKPROP_STUDIO_DATA_DIR: '/tmp/studio-test' }, '/home/ada')
    ).toBe('/tmp/studio-test')
  })
})
