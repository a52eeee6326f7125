// Window-wide keyboard shortcuts for the training controls, attached while the calling component is
// shown: mounted and not deactivated by <KeepAlive> (another view's keys are not the training's).

import { onActivated, onBeforeUnmount, onDeactivated, onMounted } from 'vue'
import { shortcutFor, type ShortcutAction } from '@/shared/shortcuts'

export function useShortcuts(handlers: Readonly<Record<ShortcutAction, () => void>>): void {
  const onKeyDown = (event: KeyboardEvent) => {
    const action = shortcutFor(event)
    if (!action) return
    event.preventDefault()
    handlers[action]()
  }
  const attach = () => window.addEventListener('keydown', onKeyDown)
  const detach = () => window.removeEventListener('keydown', onKeyDown)
  onMounted(attach)
  // NOTE: views are kept alive; without these, S, R, Space and the arrows would drive training from
  // the Evaluate or Runs view (an arrow key in the confusion matrix would start a run).
  onActivated(attach) // addEventListener ignores a listener that is already attached
  onDeactivated(detach)
  onBeforeUnmount(detach)
}
