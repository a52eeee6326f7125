// Electron main process: the composition root. Glue only; the work happens in StudioHost and the worker.

import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { app, BrowserWindow, Menu, session } from 'electron'
import { contentSecurityPolicy } from '../host/csp'
import { StudioHost } from '../host/studio-host'
import { registerStudioIpc } from './ipc'
import { buildApplicationMenu } from './menu'
import { denyNavigation, hardenSession } from './security'
import { createMainWindow } from './window'

// Dev (electron-vite dev) serves the renderer over HTTP; the built app loads it from disk.
const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined
const rendererUrl = devServerUrl ?? pathToFileURL(join(__dirname, '../renderer/index.html')).href
const preloadPath = join(__dirname, '../preload/index.js')

if (!app.requestSingleInstanceLock()) {
  app.quit() // another studio is open; it gets the 'second-instance' event and comes to the front
} else {
  let window: BrowserWindow | null = null
  let host: StudioHost | null = null

  const showWindow = (): void => {
    if (!window || window.isDestroyed()) window = createMainWindow(rendererUrl, preloadPath)
    if (window.isMinimized()) window.restore()
    window.focus()
  }

  denyNavigation()
  app.on('second-instance', showWindow)
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  app.on('will-quit', () => void host?.close())

  void app.whenReady().then(() => {
    // In dev, Vite's HMR talks over a WebSocket to the dev server.
    const hmrSocket = devServerUrl ? [devServerUrl.replace(/^http/, 'ws')] : []
    hardenSession(session.defaultSession, contentSecurityPolicy(hmrSocket))
    Menu.setApplicationMenu(buildApplicationMenu())
    host = new StudioHost({
      workerPath: join(__dirname, 'train-worker.js'),
      mode: 'electron',
      version: app.getVersion()
    })
    registerStudioIpc(host, () => window, rendererUrl)
    showWindow()
    app.on('activate', showWindow) // macOS: clicking the dock icon re-opens the window
  })
}
