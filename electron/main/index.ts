// Electron main process: the composition root. Glue only; the work happens in StudioHost and the worker.

import { join } from 'node:path'
import { app, BrowserWindow, dialog, Menu, screen, session } from 'electron'
import { Channel, type MenuCommand } from '../contract'
import { USER_FILES } from '../files/file-limits'
import { contentSecurityPolicy } from '../security/csp'
import { DATA_FOLDER_NAME, dataDirFromEnv } from '../files/data-dir'
import { readOpenedFiles } from '../host/opened-files'
import type { WindowBounds } from '../host/settings-store'
import { StudioHost } from '../host/studio-host'
import { registerAppScheme, serveAppScheme } from './app-protocol'
import { APP_PAGE_URL } from './app-request'
import { registerStudioIpc } from './ipc'
import { buildApplicationMenu, type OpenKind } from './menu'
import { openDialogOptions } from './open-dialog'
import { denyNavigation, hardenSession } from './security'
import { restorableBounds } from './window-bounds'
import { createMainWindow, trackWindowBounds } from './window'

// Dev (electron-vite dev) serves the renderer over HTTP; the built app serves it as app://studio/
// (app-protocol.ts), never as file://: a real origin for the CSP's 'self', and only our folder.
const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined
const rendererUrl = devServerUrl ?? APP_PAGE_URL
const rendererDir = join(__dirname, '../renderer')
const preloadPath = join(__dirname, '../preload/index.js')
// NOTE: electron-builder.yml packs resources/icon.png next to out/, so this path holds in both.
const iconPath = join(__dirname, '../../resources/icon.png')
// A packaged app has no DevTools: no menu item, no shortcut, and none in the window.
const devTools = !app.isPackaged

registerAppScheme() // before 'ready', as Electron requires

// NOTE: pinned, so that a productName added by packaging never moves the user's runs and settings, and
// browser mode (electron/files/data-dir.ts) finds the very same folder.
app.setPath('userData', join(app.getPath('appData'), DATA_FOLDER_NAME))

if (!app.requestSingleInstanceLock()) {
  app.quit() // another studio is open; it gets the 'second-instance' event and comes to the front
} else {
  let window: BrowserWindow | null = null
  let host: StudioHost | null = null
  let bounds: WindowBounds | null = null
  let quitting = false

  const showWindow = (): void => {
    if (!window || window.isDestroyed()) {
      window = createMainWindow(
        rendererUrl,
        preloadPath,
        restorableBounds(bounds, displayAreas()),
        {
          iconPath,
          devTools
        }
      )
      trackWindowBounds(window, (latest) => {
        bounds = latest
        void host?.saveWindowBounds(latest).catch(() => undefined) // NOTE: only a convenience; never an error dialog
      })
    }
    if (window.isMinimized()) window.restore()
    window.focus()
  }

  const sendMenuCommand = (command: MenuCommand): void => {
    const target = BrowserWindow.getFocusedWindow() ?? window
    if (target && !target.isDestroyed()) target.webContents.send(Channel.MenuCommand, command)
  }

  // File › Open Images… / Load Model…: the native dialog here, the bytes (never the paths) to the window.
  const openFiles = async (kind: OpenKind): Promise<void> => {
    const target = BrowserWindow.getFocusedWindow() ?? window
    if (!target || target.isDestroyed()) return
    const choice = await dialog.showOpenDialog(target, openDialogOptions(kind))
    if (choice.canceled || choice.filePaths.length === 0) return
    const files = await readOpenedFiles(
      choice.filePaths,
      (kind === 'model' ? USER_FILES.windowModel : USER_FILES.image).maxBytes
    )
    if (!target.isDestroyed()) target.webContents.send(Channel.OpenedFiles, files)
  }

  denyNavigation()
  app.on('second-instance', showWindow)
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  // The host saves a run in progress and the settings before the process ends, so quitting waits for it.
  app.on('will-quit', (event) => {
    if (quitting || !host) return
    event.preventDefault()
    quitting = true
    void host.close().finally(() => app.quit())
  })

  void app.whenReady().then(async () => {
    // In dev, Vite's HMR talks over a WebSocket to the dev server.
    const hmrSocket = devServerUrl ? [devServerUrl.replace(/^http/, 'ws')] : []
    hardenSession(session.defaultSession, contentSecurityPolicy(hmrSocket))
    if (!devServerUrl) serveAppScheme(rendererDir, contentSecurityPolicy())
    Menu.setApplicationMenu(
      buildApplicationMenu(sendMenuCommand, (kind) => void openFiles(kind), { devTools })
    )
    host = new StudioHost({
      workerPath: join(__dirname, 'train-worker.js'),
      mode: 'electron',
      version: app.getVersion(),
      dataDir: dataDirFromEnv() ?? app.getPath('userData')
    })
    registerStudioIpc(host, () => window, rendererUrl)
    bounds = await host.windowBounds()
    showWindow()
    app.on('activate', showWindow) // macOS: clicking the dock icon re-opens the window
  })
}

function displayAreas(): Electron.Rectangle[] {
  return screen.getAllDisplays().map((display) => display.workArea)
}
