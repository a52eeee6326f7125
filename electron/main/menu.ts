// The application menu: File (images, model files), Edit, View (the studio's views), Window, Help.
// Items the window acts on are sent to it as MenuCommands; Open… items show a native dialog (a menu
// click is no user gesture, so the window could not); the rest are Electron's standard roles.

import { Menu, shell, type MenuItemConstructorOptions } from 'electron'
import type { MenuCommand } from '../contract'

const MNIST_URL = 'https://en.wikipedia.org/wiki/MNIST_database'

/** The studio's views, in the order of the tabs, with their Ctrl/Cmd+1…5 shortcuts. */
const VIEWS = [
  ['Train', 'show-train'],
  ['Classify', 'show-classify'],
  ['Evaluate', 'show-evaluate'],
  ['Runs', 'show-runs'],
  ['Explore', 'show-explore']
] as const satisfies readonly (readonly [string, MenuCommand])[]

/** What an Open… item asks the user for. */
export type OpenKind = 'images' | 'model'

/**
 * @param send delivers a command to the focused studio window (main/index.ts decides which).
 * @param open shows the native Open dialog for `kind` and hands the chosen files to the window.
 * @param devTools whether View offers Toggle Developer Tools (and its shortcut): not in a packaged app.
 */
export function buildApplicationMenu(
  send: (command: MenuCommand) => void,
  open: (kind: OpenKind) => void,
  { devTools = true }: { devTools?: boolean } = {}
): Menu {
  const isMac = process.platform === 'darwin'
  const item = (
    label: string,
    command: MenuCommand,
    accelerator?: string
  ): MenuItemConstructorOptions => ({
    label,
    ...(accelerator ? { accelerator } : {}),
    click: () => send(command)
  })
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' } as const] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Open Images…', accelerator: 'CmdOrCtrl+O', click: () => open('images') },
        { type: 'separator' },
        { label: 'Load Model…', click: () => open('model') },
        item('Save Model…', 'save-model', 'CmdOrCtrl+S'),
        item('Export Weights as .npz…', 'export-npz'),
        item('Export Model as ONNX…', 'export-onnx'),
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' }
      ]
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        ...VIEWS.map(([label, command], i) => item(label, command, `CmdOrCtrl+${i + 1}`)),
        { type: 'separator' },
        { role: 'reload' },
        // NOTE: a menu role brings its accelerator (Ctrl+Shift+I, ⌥⌘I): leaving the item out of a
        // packaged app's menu also takes the shortcut away.
        ...(devTools ? [{ role: 'toggleDevTools' } as const] : []),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' }
      ]
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        { label: 'About the MNIST Dataset', click: () => void shell.openExternal(MNIST_URL) }
      ]
    }
  ]
  return Menu.buildFromTemplate(template)
}
