// Window-wide keyboard shortcuts for the training controls, attached while the calling component lives.

import { onBeforeUnmount, onMounted } from 'vue'
import { shortcutFor, type ShortcutAction } from '@/lib/shortcuts'

export function useShortcuts(handlers: Readonly<Record<ShortcutAction, () => void>>): void {
  const onKeyDown = (event: KeyboardEvent) => {
    const action = shortcutFor(event)
    if (!action) return
    event.preventDefault()
    handlers[action]()
  }
  onMounted(() => window.addEventListener('keydown', onKeyDown))
  onBeforeUnmount(() => window.removeEventListener('keydown', onKeyDown))
}
