// Whether the system asks for a dark theme, kept current while the window is open.

import { onBeforeUnmount, ref, type Ref } from 'vue'

export function usePrefersDark(): Ref<boolean> {
  const query = window.matchMedia?.('(prefers-color-scheme: dark)')
  const dark = ref(query?.matches ?? false)
  const onChange = (event: MediaQueryListEvent) => (dark.value = event.matches)
  query?.addEventListener?.('change', onChange)
  onBeforeUnmount(() => query?.removeEventListener?.('change', onChange))
  return dark
}
