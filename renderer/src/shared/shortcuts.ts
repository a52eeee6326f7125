// Keyboard shortcuts of the training controls: which key means what, and when keys belong to a text field.

export type ShortcutAction = 'toggle' | 'step' | 'stop' | 'reset' | 'resetNewSeed'

/** Shown in tooltips and set as aria-keyshortcuts, so the hint and the behaviour cannot drift apart. */
export const SHORTCUT_HINTS: Readonly<
  Record<ShortcutAction, { readonly label: string; readonly aria: string }>
> = {
  toggle: { label: 'Space', aria: 'Space' },
  step: { label: 'S or →', aria: 'S ArrowRight' },
  stop: { label: 'Esc', aria: 'Escape' },
  reset: { label: 'R', aria: 'R' },
  resetNewSeed: { label: 'Shift+R', aria: 'Shift+R' }
}

/** The parts of a KeyboardEvent that decide a shortcut (a plain object in tests). */
export interface KeyPress {
  readonly key: string
  readonly shiftKey: boolean
  readonly ctrlKey: boolean
  readonly metaKey: boolean
  readonly altKey: boolean
  readonly repeat: boolean
  readonly target: EventTarget | null
  /** Already handled by the focused widget (e.g. arrow keys moving over the weight tiles). */
  readonly defaultPrevented: boolean
}

const TYPING_TAGS = new Set(['INPUT', 'TEXTAREA', 'SELECT'])

/** True when the key is meant for the focused control: typing in a field, or pressing a focused button. */
export function isKeyForControl(target: EventTarget | null, key: string): boolean {
  if (!target || typeof (target as Element).tagName !== 'string') return false
  const element = target as HTMLElement
  if (TYPING_TAGS.has(element.tagName) || element.isContentEditable) return true
  // Space and Enter already activate a focused button; acting on them again would fire twice.
  const activates = key === ' ' || key === 'Enter'
  return activates && (element.tagName === 'BUTTON' || element.getAttribute('role') === 'button')
}

/** The action a key press asks for, or null when it is not a shortcut here. */
export function shortcutFor(press: KeyPress): ShortcutAction | null {
  if (press.ctrlKey || press.metaKey || press.altKey || press.defaultPrevented) return null
  if (isKeyForControl(press.target, press.key)) return null
  switch (press.key) {
    case ' ':
      return press.repeat ? null : 'toggle'
    case 's':
    case 'S':
    case 'ArrowRight':
      return 'step'
    case 'Escape':
      return 'stop'
    case 'r':
    case 'R':
      if (press.repeat) return null
      return press.shiftKey ? 'resetNewSeed' : 'reset'
    default:
      return null
  }
}
