// The standard application menu: File, Edit, View, Window, Help (plus the app menu on macOS).

import { Menu, shell, type MenuItemConstructorOptions } from 'electron'

const MNIST_URL = 'https://en.wikipedia.org/wiki/MNIST_database'

export function buildApplicationMenu(): Menu {
  const isMac = process.platform === 'darwin'
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' } as const] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [{ label: 'About the MNIST Dataset', click: () => void shell.openExternal(MNIST_URL) }]
    }
  ]
  return Menu.buildFromTemplate(template)
}
