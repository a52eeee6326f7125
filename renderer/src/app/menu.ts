// Application-menu commands → what the window does. Views register their handlers; main.ts routes.

import type { MenuCommand } from '@contract'

const handlers = new Map<MenuCommand, () => void>()

/** Registers what `command` does (a later registration replaces an earlier one). */
export function handleMenuCommand(command: MenuCommand, handler: () => void): void {
  handlers.set(command, handler)
}

/** Runs the handler for a command from the menu; unknown or unregistered commands do nothing. */
export function runMenuCommand(command: MenuCommand): void {
  handlers.get(command)?.()
}
