// Settings that survive a restart: the theme, the config last edited (restored at start, then saved
// shortly after each change), and whether the first-steps guide was dismissed. The host writes them
// atomically; this store only asks.

import { defineStore } from 'pinia'
import { ref, shallowRef, watch } from 'vue'
import type { Settings, ThemePreference, TrainConfig } from '@contract'
import { useStudio } from '@/shared/api'
import { applyTheme } from '@/shared/theme/theme'
import { useConfigStore } from '@/train/config-store'

/** Edits are saved once typing pauses this long, not on every keystroke. */
export const SAVE_CONFIG_DELAY_MS = 500

export type SettingsStatus = 'loading' | 'ready' | 'failed'

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

export const useSettingsStore = defineStore('settings', () => {
  const config = useConfigStore()
  const theme = ref<ThemePreference>('system')
  /** The first-steps guide was dismissed (in any window, ever): it is not shown again. */
  const guideDismissed = ref(false)
  const status = ref<SettingsStatus>('loading')
  const error = shallowRef<string | null>(null)

  let saveTimer: ReturnType<typeof setTimeout> | null = null
  /** The config as last saved (or restored), so an unchanged config is not written again. */
  let savedConfig = ''

  /** Reads the settings once at start: applies the theme and puts the last config back in the form. */
  async function load(): Promise<void> {
    try {
      const settings = await useStudio().getSettings()
      theme.value = settings.theme
      applyTheme(settings.theme)
      guideDismissed.value = settings.guideDismissed
      // NOTE: only into an untouched form: what the user typed while the settings were on their way wins.
      if (settings.lastConfig && config.isPristine) {
        config.restore(settings.lastConfig)
        savedConfig = JSON.stringify(settings.lastConfig)
      }
      status.value = 'ready'
    } catch (err) {
      // NOTE: without the saved settings nothing is written either, so a passing glitch cannot
      // overwrite them with defaults.
      status.value = 'failed'
      error.value = `Could not read the saved settings (${messageOf(err)}): changes last until the window closes`
    }
  }

  async function save(patch: Partial<Settings>): Promise<void> {
    try {
      await useStudio().updateSettings(patch)
    } catch (err) {
      error.value = `Could not save the settings: ${messageOf(err)}`
    }
  }

  async function setTheme(preference: ThemePreference): Promise<void> {
    theme.value = preference
    applyTheme(preference)
    if (status.value === 'ready') await save({ theme: preference })
  }

  /** Hides the first-steps guide for good (saved, unless the settings could not be read). */
  async function dismissGuide(): Promise<void> {
    guideDismissed.value = true
    if (status.value === 'ready') await save({ guideDismissed: true })
  }

  /** Saves the edited config once edits pause; only valid configs are worth restoring. */
  function scheduleConfigSave(next: TrainConfig | null): void {
    if (status.value !== 'ready' || !next) return
    if (saveTimer !== null) clearTimeout(saveTimer)
    saveTimer = setTimeout(() => {
      saveTimer = null
      const text = JSON.stringify(next)
      if (text === savedConfig) return
      savedConfig = text
      void save({ lastConfig: structuredClone(next) })
    }, SAVE_CONFIG_DELAY_MS)
  }

  watch(() => config.validConfig, scheduleConfigSave)

  return { theme, guideDismissed, status, error, load, setTheme, dismissGuide }
})
