// The colour theme: the user's choice (system, light, dark) applied as data-theme on <html>, which
// main.css reads. 'system' removes the attribute, so the prefers-color-scheme media query decides.

import type { ThemePreference } from '@contract'

export const THEME_OPTIONS: readonly { readonly value: ThemePreference; readonly label: string }[] =
  [
    { value: 'system', label: 'System' },
    { value: 'light', label: 'Light' },
    { value: 'dark', label: 'Dark' }
  ]

export function isThemePreference(value: unknown): value is ThemePreference {
  return value === 'system' || value === 'light' || value === 'dark'
}

export function applyTheme(
  preference: ThemePreference,
  root: HTMLElement = document.documentElement
): void {
  if (preference === 'system') delete root.dataset.theme
  else root.dataset.theme = preference
}

/** Whether the page is drawn dark: an explicit choice, else the system's. */
export function isDarkTheme(root: HTMLElement = document.documentElement): boolean {
  const chosen = root.dataset.theme
  if (chosen === 'dark') return true
  if (chosen === 'light') return false
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false
}
