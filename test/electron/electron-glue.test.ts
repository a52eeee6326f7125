// The Electron glue, with `electron` mocked (its binary cannot run here): preload exposes exactly
// StudioApi, the window is locked down, IPC checks senders, navigation and permissions are denied.

import { beforeEach, describe, expect, it, vi } from 'vitest'
import { Channel, type StudioApi } from '../../electron/contract'
import type { StudioHost } from '../../electron/host/studio-host'
import { isTrustedSenderUrl } from '../../electron/main/trusted-sender'

const electron = vi.hoisted(() => {
  const handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>()
  const appListeners = new Map<string, (...args: unknown[]) => void>()
  return {
    handlers,
    appListeners,
    exposeInMainWorld: vi.fn(),
    ipcRenderer: { invoke: vi.fn(), on: vi.fn(), removeListener: vi.fn() },
    ipcMain: {
      handle: vi.fn((channel: string, handler: (event: unknown, ...args: unknown[]) => unknown) =>
        handlers.set(channel, handler)
      )
    },
    windowOptions: [] as unknown[],
    buildFromTemplate: vi.fn((template: unknown) => ({ template })),
    app: { on: vi.fn((name: string, listener: (...args: unknown[]) => void) => appListeners.set(name, listener)) }
  }
})

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: electron.exposeInMainWorld },
  ipcRenderer: electron.ipcRenderer,
  ipcMain: electron.ipcMain,
  app: electron.app,
  shell: { openExternal: vi.fn() },
  Menu: { buildFromTemplate: electron.buildFromTemplate },
  BrowserWindow: class {
    readonly webContents = {}
    constructor(options: unknown) {
      electron.windowOptions.push(options)
    }
    once(): void {}
    loadURL(): Promise<void> {
      return Promise.resolve()
    }
  }
}))

const STUDIO_API_METHODS = [
  'controlTraining',
  'getInfo',
  'onTrainingEvent',
  'predict',
  'resetTraining',
  'startTraining',
  'updateTraining'
]

describe('preload', () => {
  let studio: StudioApi

  beforeEach(async () => {
    vi.resetModules()
    electron.exposeInMainWorld.mockClear()
    await import('../../electron/preload/index')
    studio = electron.exposeInMainWorld.mock.calls[0][1] as StudioApi
  })

  it('exposes exactly StudioApi as window.studio', () => {
    expect(electron.exposeInMainWorld).toHaveBeenCalledTimes(1)
    expect(electron.exposeInMainWorld.mock.calls[0][0]).toBe('studio')
    expect(Object.keys(studio).sort()).toEqual(STUDIO_API_METHODS)
  })

  it("invokes the declared channels, and hands back errors without Electron's wrapping", async () => {
    electron.ipcRenderer.invoke.mockResolvedValueOnce(undefined)
    await studio.controlTraining('pause')
    expect(electron.ipcRenderer.invoke).toHaveBeenLastCalledWith(Channel.ControlTraining, 'pause')

    electron.ipcRenderer.invoke.mockRejectedValueOnce(
      new Error(
        "Error invoking remote method 'training:start': ConfigError: learningRate: must be a number > 0 and ≤ 10, got -1"
      )
    )
    await expect(studio.startTraining({} as never)).rejects.toThrow(
      /^learningRate: must be a number > 0 and ≤ 10, got -1$/
    )
  })

  it('passes only the payload to event listeners, and the disposer removes exactly that listener', () => {
    const listener = vi.fn()
    const dispose = studio.onTrainingEvent(listener)
    const [channel, forward] = electron.ipcRenderer.on.mock.calls.at(-1) as [string, (...args: unknown[]) => void]
    expect(channel).toBe(Channel.TrainingEvent)
    forward({ sender: 'ipc internals' }, { type: 'state', state: 'paused' })
    expect(listener).toHaveBeenCalledWith({ type: 'state', state: 'paused' })
    dispose()
    expect(electron.ipcRenderer.removeListener).toHaveBeenCalledWith(Channel.TrainingEvent, forward)
  })
})

describe('main-process glue', () => {
  it('creates the window isolated, sandboxed, without Node, with web security', async () => {
    const { createMainWindow } = await import('../../electron/main/window')
    createMainWindow('file:///app/out/renderer/index.html', '/app/out/preload/index.js')
    const options = electron.windowOptions.at(-1) as { webPreferences: Record<string, unknown> }
    expect(options.webPreferences).toMatchObject({
      preload: '/app/out/preload/index.js',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      navigateOnDragDrop: false
    })
  })

  it('handles every StudioApi channel, only from our window and page, and forwards events', async () => {
    const { registerStudioIpc } = await import('../../electron/main/ipc')
    const send = vi.fn()
    const window = { isDestroyed: () => false, webContents: { send } }
    let forwardEvent: (event: unknown) => void = () => undefined
    const host = {
      getInfo: vi.fn(async () => ({ mode: 'electron' })),
      controlTraining: vi.fn(async () => undefined),
      onTrainingEvent: (listener: (event: unknown) => void) => {
        forwardEvent = listener
        return () => undefined
      }
    } as unknown as StudioHost
    const rendererUrl = 'file:///app/out/renderer/index.html'
    registerStudioIpc(host, () => window as never, rendererUrl)

    expect([...electron.handlers.keys()].sort()).toEqual(
      Object.values(Channel)
        .filter((c) => c !== Channel.TrainingEvent)
        .sort()
    )
    const ours = { sender: window.webContents, senderFrame: { url: `${rendererUrl}#/train` } }
    await expect(electron.handlers.get(Channel.GetInfo)!(ours)).resolves.toEqual({ mode: 'electron' })
    await electron.handlers.get(Channel.ControlTraining)!(ours, 'pause')
    expect(host.controlTraining).toHaveBeenCalledWith('pause')
    await expect(async () => electron.handlers.get(Channel.ControlTraining)!(ours, 'pause', 'extra')).rejects.toThrow(
      /at most 1 argument/
    )

    const otherWindow = { sender: {}, senderFrame: { url: rendererUrl } }
    const otherPage = { sender: window.webContents, senderFrame: { url: 'https://evil.example/' } }
    for (const event of [otherWindow, otherPage]) {
      expect(() => electron.handlers.get(Channel.GetInfo)!(event)).toThrow(/refused/)
    }

    forwardEvent({ type: 'state', state: 'running' })
    expect(send).toHaveBeenCalledWith(Channel.TrainingEvent, { type: 'state', state: 'running' })
  })

  it('denies new windows, navigation and webviews for every web contents', async () => {
    const { denyNavigation } = await import('../../electron/main/security')
    denyNavigation()
    const on = new Map<string, (event: { preventDefault(): void }) => void>()
    let openHandler: () => unknown = () => undefined
    electron.appListeners.get('web-contents-created')!(
      {},
      {
        setWindowOpenHandler: (handler: () => unknown) => (openHandler = handler),
        on: (name: string, listener: (event: { preventDefault(): void }) => void) => on.set(name, listener)
      }
    )
    expect(openHandler()).toEqual({ action: 'deny' })
    for (const name of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const event = { preventDefault: vi.fn() }
      on.get(name)!(event)
      expect(event.preventDefault).toHaveBeenCalled()
    }
  })

  it('sets the CSP header and refuses permissions other than the clipboard', async () => {
    const { hardenSession } = await import('../../electron/main/security')
    let onHeaders: (details: unknown, callback: (response: unknown) => void) => void = () => undefined
    let onPermission: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void = () =>
      undefined
    hardenSession(
      {
        webRequest: { onHeadersReceived: (listener: typeof onHeaders) => (onHeaders = listener) },
        setPermissionRequestHandler: (handler: typeof onPermission) => (onPermission = handler),
        setPermissionCheckHandler: () => undefined
      } as never,
      "default-src 'none'"
    )
    const callback = vi.fn()
    onHeaders({ responseHeaders: { 'X-Other': ['1'] } }, callback)
    expect(callback).toHaveBeenCalledWith({
      responseHeaders: { 'X-Other': ['1'], 'Content-Security-Policy': ["default-src 'none'"] }
    })
    const granted: Record<string, boolean> = {}
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read']) {
      onPermission({}, permission, (ok) => (granted[permission] = ok))
    }
    expect(granted).toEqual({ media: false, geolocation: false, notifications: false, 'clipboard-read': true })
  })

  it('builds the standard menu', async () => {
    const { buildApplicationMenu } = await import('../../electron/main/menu')
    const { template } = buildApplicationMenu() as unknown as { template: { role: string }[] }
    expect(template.map((item) => item.role).filter((role) => role !== 'appMenu')).toEqual([
      'fileMenu',
      'editMenu',
      'viewMenu',
      'windowMenu',
      'help'
    ])
  })
})

describe('isTrustedSenderUrl', () => {
  it('accepts our page only, compared by parsed URL rather than by prefix', () => {
    const built = 'file:///app/out/renderer/index.html'
    expect(isTrustedSenderUrl('file:///app/out/renderer/index.html?x#y', built)).toBe(true)
    expect(isTrustedSenderUrl('file:///app/out/renderer/index.html.evil', built)).toBe(false)
    expect(isTrustedSenderUrl('file:///tmp/index.html', built)).toBe(false)
    expect(isTrustedSenderUrl('http://localhost:5173/index.html', built)).toBe(false)
    const dev = 'http://localhost:5173'
    expect(isTrustedSenderUrl('http://localhost:5173/src/x', dev)).toBe(true)
    expect(isTrustedSenderUrl('http://localhost:5173.evil.example/', dev)).toBe(false)
    expect(isTrustedSenderUrl(undefined, dev)).toBe(false)
    expect(isTrustedSenderUrl('not a url', dev)).toBe(false)
  })
})
