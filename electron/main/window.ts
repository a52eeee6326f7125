// The studio's one window, locked down: isolated, sandboxed, no Node, no navigation, no new windows.
// It opens where it was last closed, and reports its bounds when they change.

import { BrowserWindow } from 'electron'
import type { WindowBounds } from '../host/settings-store'
import { MIN_WINDOW_SIZE } from './window-bounds'

/** Resizing and moving fire many events; the bounds are saved once they have been still this long. */
const SAVE_BOUNDS_DELAY_MS = 500

/** What differs between a packaged app and a development build. */
export interface WindowOptions {
  /** The app's icon (resources/icon.png): the title bar and task bar on Linux and Windows. */
  readonly iconPath?: string
  /** False in a packaged build: no DevTools, whatever the keyboard says (main/index.ts: app.isPackaged). */
  readonly devTools?: boolean
}

export function createMainWindow(
  rendererUrl: string,
  preloadPath: string,
  bounds: WindowBounds | null = null,
  { iconPath, devTools = true }: WindowOptions = {}
): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 840,
    ...(bounds ? { x: bounds.x, y: bounds.y, width: bounds.width, height: bounds.height } : {}),
    minWidth: MIN_WINDOW_SIZE.width,
    minHeight: MIN_WINDOW_SIZE.height,
    show: false,
    title: 'Backprop Studio',
    ...(iconPath ? { icon: iconPath } : {}),
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      // NOTE: dropping an image classifies it; it must never navigate the window to the file.
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools
    }
  })
  window.once('ready-to-show', () => {
    if (bounds?.maximized) window.maximize()
    window.show()
  })
  void window.loadURL(rendererUrl)
  return window
}

/** Calls `save` with the window's normal (unmaximised) bounds after it moves or resizes, and on close. */
export function trackWindowBounds(
  window: BrowserWindow,
  save: (bounds: WindowBounds) => void
): void {
  let timer: ReturnType<typeof setTimeout> | null = null
  const current = (): WindowBounds => ({
    ...window.getNormalBounds(),
    maximized: window.isMaximized()
  })
  const later = (): void => {
    if (timer) clearTimeout(timer)
    timer = setTimeout(() => {
      timer = null
      if (!window.isDestroyed()) save(current())
    }, SAVE_BOUNDS_DELAY_MS)
  }
  window.on('resize', later)
  window.on('move', later)
  window.on('maximize', later)
  window.on('unmaximize', later)
  window.on('close', () => {
    if (timer) clearTimeout(timer)
    save(current())
  })
}
