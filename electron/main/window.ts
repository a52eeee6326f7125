// The studio's one window, locked down: isolated, sandboxed, no Node, no navigation, no new windows.

import { BrowserWindow } from 'electron'

export function createMainWindow(rendererUrl: string, preloadPath: string): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 840,
    minWidth: 1024,
    minHeight: 700,
    show: false,
    title: 'Backprop Studio',
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
      spellcheck: false
    }
  })
  window.once('ready-to-show', () => window.show())
  void window.loadURL(rendererUrl)
  return window
}
