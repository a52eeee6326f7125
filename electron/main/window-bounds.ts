// Where to put the window at start: the saved bounds, if they are still on a display (pure: no electron
// import, so it is testable; main passes the displays' work areas from screen.getAllDisplays()).

import type { WindowBounds } from '../host/settings-store'

export interface Rect {
  readonly x: number
  readonly y: number
  readonly width: number
  readonly height: number
}

/** The window's smallest size (createMainWindow's minWidth / minHeight). */
export const MIN_WINDOW_SIZE = { width: 1024, height: 700 } as const

/** How much of the title bar must be on a display for the user to grab it and move the window. */
const GRABBABLE_WIDTH = 100
const TITLE_BAR_HEIGHT = 32

/**
 * The saved bounds, shrunk to fit the display they are on, or null when that display is gone (a
 * monitor unplugged, a resolution changed): the window then opens at its default size and place.
 */
export function restorableBounds(
  saved: WindowBounds | null,
  workAreas: readonly Rect[]
): WindowBounds | null {
  if (!saved) return null
  const titleBar = { x: saved.x, y: saved.y, width: saved.width, height: TITLE_BAR_HEIGHT }
  const display = workAreas.find((area) => {
    const overlap = intersection(titleBar, area)
    return (
      overlap !== null &&
      overlap.width >= Math.min(GRABBABLE_WIDTH, saved.width) &&
      saved.y >= area.y
    )
  })
  if (!display) return null
  const width = Math.max(MIN_WINDOW_SIZE.width, Math.min(saved.width, display.width))
  const height = Math.max(MIN_WINDOW_SIZE.height, Math.min(saved.height, display.height))
  return { ...saved, width, height }
}

function intersection(a: Rect, b: Rect): Rect | null {
  const x = Math.max(a.x, b.x)
  const y = Math.max(a.y, b.y)
  const right = Math.min(a.x + a.width, b.x + b.width)
  const bottom = Math.min(a.y + a.height, b.y + b.height)
  return right > x && bottom > y ? { x, y, width: right - x, height: bottom - y } : null
}
