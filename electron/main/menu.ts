// The application menu: File (images, model files), Edit, View (the studio's views), Window, Help.
// Items the window acts on are sent to it as MenuCommands; the rest are Electron's standard roles.

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

/** @param send delivers a command to the focused studio window (main/index.ts decides which). */
export function buildApplicationMenu(send: (command: MenuCommand) => void): Menu {
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
        item('Open Images…', 'open-images', 'CmdOrCtrl+O'),
        { type: 'separator' },
        item('Load Model…', 'load-model'),
        item('Save Model…', 'save-model', 'CmdOrCtrl+S'),
        item('Export Weights as .npz…', 'export-npz'),
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
        { role: 'toggleDevTools' },
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
