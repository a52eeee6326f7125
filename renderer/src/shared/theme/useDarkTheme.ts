// Whether the page is drawn dark right now (the chosen theme, or the system's), kept current while the
// calling component lives: for canvases and charts, which read colours once and must redraw.

import { onBeforeUnmount, ref, type Ref } from 'vue'
import { isDarkTheme } from './theme'

export function useDarkTheme(): Ref<boolean> {
  const root = document.documentElement
  const dark = ref(isDarkTheme(root))
  const update = () => (dark.value = isDarkTheme(root))
  const query = window.matchMedia?.('(prefers-color-scheme: dark)')
  query?.addEventListener?.('change', update)
  const observer = typeof MutationObserver === 'undefined' ? null : new MutationObserver(update)
  observer?.observe(root, { attributes: true, attributeFilter: ['data-theme'] })
  onBeforeUnmount(() => {
    query?.removeEventListener?.('change', update)
    observer?.disconnect()
  })
  return dark
}
