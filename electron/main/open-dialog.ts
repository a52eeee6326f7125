// Options for the File menu's native Open dialogs.

import type { OpenDialogOptions } from 'electron'
import type { OpenKind } from './menu'

/** Images: many at once; any file may be chosen, since the window decodes by content, not by name. */
export function openDialogOptions(kind: OpenKind): OpenDialogOptions {
  if (kind === 'images') {
    return {
      title: 'Open Images',
      properties: ['openFile', 'multiSelections'],
      filters: [
        { name: 'Images', extensions: ['png', 'jpg', 'jpeg', 'webp', 'gif', 'bmp'] },
        { name: 'All Files', extensions: ['*'] }
      ]
    }
  }
  return {
    title: 'Load Model',
    properties: ['openFile'],
    filters: [
      { name: 'Models (Backprop Studio, ONNX)', extensions: ['json', 'onnx'] },
      { name: 'All Files', extensions: ['*'] }
    ]
  }
}
