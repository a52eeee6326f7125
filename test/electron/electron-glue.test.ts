// The Electron glue, with `electron` mocked (its binary cannot run here): preload exposes exactly
// StudioApi, the window is locked down, IPC checks senders, navigation and permissions are denied.

import { beforeEach, describe, expect, it, vi } from 'vitest'
import { Channel, EVENTS, VERBS, type StudioApi } from '../../electron/contract'
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
    app: {
      on: vi.fn((name: string, listener: (...args: unknown[]) => void) =>
        appListeners.set(name, listener)
      )
    }
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

/** StudioApi's members: one per verb of the table and one per event (the table is their one declaration). */
const STUDIO_API_METHODS = [...VERBS, ...EVENTS].sort()

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

  it('invokes each new method on its channel with its arguments', async () => {
    electron.ipcRenderer.invoke.mockResolvedValue(null)
    const calls: [() => Promise<unknown>, string, unknown[]][] = [
      [() => studio.evaluateModel(), Channel.EvaluateModel, []],
      [
        () => studio.queryTestImages({ order: 'index', offset: 0, limit: 5 }),
        Channel.QueryTestImages,
        [{ order: 'index', offset: 0, limit: 5 }]
      ],
      [
        () => studio.saliency({ source: { kind: 'test', index: 1 } }),
        Channel.Saliency,
        [{ source: { kind: 'test', index: 1 } }]
      ],
      [
        () => studio.explainStep({ source: { kind: 'test', index: 2 } }),
        Channel.ExplainStep,
        [{ source: { kind: 'test', index: 2 } }]
      ],
      [
        () => studio.checkGradients({ parameter: 'dense1.weight', sampleCount: 3 }),
        Channel.CheckGradients,
        [{ parameter: 'dense1.weight', sampleCount: 3 }]
      ],
      [() => studio.getModel(), Channel.GetModel, []],
      [() => studio.exportModel(), Channel.ExportModel, []],
      [() => studio.importModel('{}', 'm.json'), Channel.ImportModel, ['{}', 'm.json']],
      [() => studio.exportNpz(), Channel.ExportNpz, []],
      [() => studio.listRuns(), Channel.ListRuns, []],
      [() => studio.getRun('r1'), Channel.GetRun, ['r1']],
      [() => studio.renameRun('r1', 'best'), Channel.RenameRun, ['r1', 'best']],
      [() => studio.deleteRun('r1'), Channel.DeleteRun, ['r1']],
      [() => studio.exportRunCsv('r1'), Channel.ExportRunCsv, ['r1']],
      [() => studio.getSettings(), Channel.GetSettings, []],
      [() => studio.updateSettings({ theme: 'dark' }), Channel.UpdateSettings, [{ theme: 'dark' }]]
    ]
    for (const [call, channel, args] of calls) {
      await call()
      expect(electron.ipcRenderer.invoke).toHaveBeenLastCalledWith(channel, ...args)
    }
  })

  it('delivers menu commands without the event object, until disposed', () => {
    const listener = vi.fn()
    const dispose = studio.onMenuCommand(listener)
    const [channel, forward] = electron.ipcRenderer.on.mock.calls.at(-1) as [
      string,
      (...args: unknown[]) => void
    ]
    expect(channel).toBe(Channel.MenuCommand)
    forward({ sender: 'ipc internals' }, 'save-model')
    expect(listener).toHaveBeenCalledWith('save-model')
    dispose()
    expect(electron.ipcRenderer.removeListener).toHaveBeenCalledWith(Channel.MenuCommand, forward)
  })

  it('delivers files opened in main’s native dialog as names and bytes, until disposed', () => {
    const listener = vi.fn()
    const dispose = studio.onOpenedFiles(listener)
    const [channel, forward] = electron.ipcRenderer.on.mock.calls.at(-1) as [
      string,
      (...args: unknown[]) => void
    ]
    expect(channel).toBe(Channel.OpenedFiles)
    const files = [{ name: 'seven.png', bytes: Uint8Array.of(137, 80, 78, 71) }]
    forward({ sender: 'ipc internals' }, files)
    expect(listener).toHaveBeenCalledWith(files)
    dispose()
    expect(electron.ipcRenderer.removeListener).toHaveBeenCalledWith(Channel.OpenedFiles, forward)
  })

  it('passes only the payload to event listeners, and the disposer removes exactly that listener', () => {
    const listener = vi.fn()
    const dispose = studio.onTrainingEvent(listener)
    const [channel, forward] = electron.ipcRenderer.on.mock.calls.at(-1) as [
      string,
      (...args: unknown[]) => void
    ]
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
        .filter(
          (c) =>
            c !== Channel.TrainingEvent && c !== Channel.MenuCommand && c !== Channel.OpenedFiles
        )
        .sort()
    )
    const ours = { sender: window.webContents, senderFrame: { url: `${rendererUrl}#/train` } }
    // Each call answers its Outcome: ipcMain.handle would flatten a thrown error into a sentence.
    await expect(electron.handlers.get(Channel.GetInfo)!(ours)).resolves.toEqual({
      ok: true,
      result: { mode: 'electron' }
    })
    await electron.handlers.get(Channel.ControlTraining)!(ours, 'pause')
    expect(host.controlTraining).toHaveBeenCalledWith('pause')
    await expect(
      electron.handlers.get(Channel.ControlTraining)!(ours, 'pause', 'extra')
    ).resolves.toEqual({
      ok: false,
      code: 'invalid-request',
      message: expect.stringMatching(/at most 1 argument/)
    })

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
        on: (name: string, listener: (event: { preventDefault(): void }) => void) =>
          on.set(name, listener)
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
    let onHeaders: (details: unknown, callback: (response: unknown) => void) => void = () =>
      undefined
    let onPermission: (
      contents: unknown,
      permission: string,
      callback: (granted: boolean) => void
    ) => void = () => undefined
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
    expect(granted).toEqual({
      media: false,
      geolocation: false,
      notifications: false,
      'clipboard-read': true
    })
  })

  it('builds the menu: Open… items ask main for a native dialog, the others send commands', async () => {
    const { buildApplicationMenu } = await import('../../electron/main/menu')
    const send = vi.fn()
    const open = vi.fn()
    interface Item {
      label?: string
      role?: string
      accelerator?: string
      submenu?: Item[]
      click?: () => void
    }
    const { template } = buildApplicationMenu(send, open) as unknown as { template: Item[] }
    const names = template
      .map((item) => item.role ?? item.label)
      .filter((name) => name !== 'appMenu')
    expect(names).toEqual(['File', 'editMenu', 'View', 'windowMenu', 'help'])

    const commands = (menu: string): [string, string | undefined, unknown][] =>
      template
        .find((item) => item.label === menu)!
        .submenu!.filter((item) => item.click)
        .map((item) => {
          send.mockClear()
          open.mockClear()
          item.click!()
          return [
            item.label!,
            item.accelerator,
            send.mock.calls[0]?.[0] ?? `open ${open.mock.calls[0]?.[0]}`
          ]
        })
    expect(commands('File')).toEqual([
      ['Open Images…', 'CmdOrCtrl+O', 'open images'],
      ['Load Model…', undefined, 'open model'],
      ['Save Model…', 'CmdOrCtrl+S', 'save-model'],
      ['Export Weights as .npz…', undefined, 'export-npz'],
      ['Export Model as ONNX…', undefined, 'export-onnx']
    ])
    expect(commands('View')).toEqual([
      ['Train', 'CmdOrCtrl+1', 'show-train'],
      ['Classify', 'CmdOrCtrl+2', 'show-classify'],
      ['Evaluate', 'CmdOrCtrl+3', 'show-evaluate'],
      ['Runs', 'CmdOrCtrl+4', 'show-runs'],
      ['Explore', 'CmdOrCtrl+5', 'show-explore']
    ])
  })

  it('creates the window at saved bounds, maximised if it was', async () => {
    const { createMainWindow } = await import('../../electron/main/window')
    createMainWindow('file:///a/index.html', '/a/preload.js', {
      x: 40,
      y: 50,
      width: 1300,
      height: 900,
      maximized: false
    })
    expect(electron.windowOptions.at(-1)).toMatchObject({
      x: 40,
      y: 50,
      width: 1300,
      height: 900,
      minWidth: 1024
    })
    createMainWindow('file:///a/index.html', '/a/preload.js')
    expect(electron.windowOptions.at(-1)).not.toHaveProperty('x')
  })
})

describe('restorableBounds', () => {
  const screen = { x: 0, y: 0, width: 1920, height: 1080 }
  const second = { x: 1920, y: 0, width: 1280, height: 1024 }

  it('restores bounds that are on a display, shrunk to fit it', async () => {
    const { restorableBounds } = await import('../../electron/main/window-bounds')
    const saved = { x: 100, y: 80, width: 1300, height: 900, maximized: true }
    expect(restorableBounds(saved, [screen])).toEqual(saved)
    expect(restorableBounds({ ...saved, x: 2000, width: 2500 }, [screen, second])).toEqual({
      ...saved,
      x: 2000,
      width: 1280
    })
    expect(restorableBounds(null, [screen])).toBeNull()
  })

  it('drops bounds whose title bar is on no display (a monitor was unplugged)', async () => {
    const { restorableBounds } = await import('../../electron/main/window-bounds')
    const onSecond = { x: 2100, y: 100, width: 1200, height: 800, maximized: false }
    expect(restorableBounds(onSecond, [screen])).toBeNull()
    expect(restorableBounds({ ...onSecond, x: 1880 }, [screen])).toBeNull() // 40 px showing: too little to grab
    expect(restorableBounds({ ...onSecond, x: 100, y: -500 }, [screen])).toBeNull() // title bar above the screen
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
