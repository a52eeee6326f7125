// Persistence, renderer half: the theme applied as data-theme and saved; the last config restored at
// start (never over the user's own edits) and saved once edits pause; nothing saved when loading failed.
import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Settings, StudioApi, TrainConfig } from '@contract'
import { PRESETS } from '@core/train/presets'
import ThemeSwitch from '@/app/ThemeSwitch.vue'
import { applyTheme, isDarkTheme } from '@/shared/theme/theme'
import { useConfigStore } from '@/train/config-store'
import { SAVE_CONFIG_DELAY_MS, useSettingsStore } from '@/app/settings-store'

const SAVED: TrainConfig = { ...PRESETS.seed.config, learningRate: 0.1, batchSize: 64, seed: 7 }

const studio = vi.hoisted(() => ({
  getSettings: vi.fn(),
  updateSettings: vi.fn(),
  getInfo: vi.fn()
}))
vi.mock('@/shared/api', () => ({ useStudio: (): StudioApi => studio as unknown as StudioApi }))

beforeEach(() => {
  setActivePinia(createPinia())
  vi.clearAllMocks()
  studio.updateSettings.mockImplementation(async (patch: Partial<Settings>) => ({
    lastConfig: null,
    theme: 'system',
    ...patch
  }))
  delete document.documentElement.dataset.theme
})
afterEach(() => {
  vi.useRealTimers()
  delete document.documentElement.dataset.theme
})

describe('theme', () => {
  it('sets data-theme for light and dark, and removes it to follow the system', () => {
    applyTheme('dark')
    expect(document.documentElement.dataset.theme).toBe('dark')
    expect(isDarkTheme()).toBe(true)
    applyTheme('light')
    expect(isDarkTheme()).toBe(false)
    applyTheme('system')
    expect(document.documentElement.hasAttribute('data-theme')).toBe(false)
  })

  it('applies the saved theme at start and saves a new choice', async () => {
    studio.getSettings.mockResolvedValue({ lastConfig: null, theme: 'dark' })
    const settings = useSettingsStore()
    await settings.load()
    expect(settings.theme).toBe('dark')
    expect(document.documentElement.dataset.theme).toBe('dark')
    await settings.setTheme('light')
    expect(document.documentElement.dataset.theme).toBe('light')
    expect(studio.updateSettings).toHaveBeenCalledWith({ theme: 'light' })
  })

  it('is a radio group named Theme', async () => {
    const view = mount(ThemeSwitch, { props: { theme: 'system' } })
    expect(view.get('[role="radiogroup"]').attributes('aria-label')).toBe('Theme')
    expect(view.find('.theme-warning').exists()).toBe(false)
    expect(view.findAll('label').map((l) => l.text())).toEqual(['System', 'Light', 'Dark'])
    await view.findAll('input')[2].setValue(true)
    expect(view.emitted('change')).toEqual([['dark']])
  })
})

describe('last config', () => {
  it('is restored into the form at start', async () => {
    studio.getSettings.mockResolvedValue({ lastConfig: SAVED, theme: 'system' })
    await useSettingsStore().load()
    const config = useConfigStore()
    expect(config.draft.learningRate).toBe('0.1')
    expect(config.draft.batchSize).toBe('64')
    expect(config.validConfig).toEqual(SAVED)
  })

  it('does not overwrite what the user typed before the settings arrived', async () => {
    studio.getSettings.mockResolvedValue({ lastConfig: SAVED, theme: 'system' })
    const config = useConfigStore()
    config.setField('learningRate', '0.5')
    await useSettingsStore().load()
    expect(config.draft.learningRate).toBe('0.5')
    expect(config.draft.batchSize).toBe('32')
  })

  it('is saved once edits pause, as plain data, only when valid', async () => {
    vi.useFakeTimers()
    studio.getSettings.mockResolvedValue({ lastConfig: null, theme: 'system' })
    await useSettingsStore().load()
    const config = useConfigStore()
    config.setField('learningRate', '0.2')
    await vi.advanceTimersByTimeAsync(100)
    config.setField('learningRate', '0.25')
    await vi.advanceTimersByTimeAsync(SAVE_CONFIG_DELAY_MS - 1)
    expect(studio.updateSettings).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(1)
    expect(studio.updateSettings).toHaveBeenCalledTimes(1)
    expect(studio.updateSettings).toHaveBeenCalledWith({
      lastConfig: { ...PRESETS.seed.config, learningRate: 0.25 }
    })
    config.setField('learningRate', 'abc') // invalid: nothing to save
    await vi.advanceTimersByTimeAsync(SAVE_CONFIG_DELAY_MS * 2)
    expect(studio.updateSettings).toHaveBeenCalledTimes(1)
  })

  it('is never written when the saved settings could not be read', async () => {
    vi.useFakeTimers()
    studio.getSettings.mockRejectedValue(new Error('settings.json: not valid JSON'))
    const settings = useSettingsStore()
    await settings.load()
    expect(settings.status).toBe('failed')
    expect(settings.error).toContain('not valid JSON')
    useConfigStore().setField('learningRate', '0.2')
    await settings.setTheme('dark')
    await vi.advanceTimersByTimeAsync(SAVE_CONFIG_DELAY_MS * 2)
    expect(studio.updateSettings).not.toHaveBeenCalled()
    expect(document.documentElement.dataset.theme).toBe('dark') // still applied for this session
    const view = mount(ThemeSwitch, { props: { theme: 'dark', warning: settings.error } })
    expect(view.get('[role="img"]').attributes('aria-label')).toContain(
      'changes last until the window closes'
    )
  })
})
