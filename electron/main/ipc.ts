// The only ipcMain user: one handler per StudioApi channel (sender checked, then validated by the host),
// and host events forwarded to the window.

import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron'
import { Channel } from '../contract'
import { dispatch } from '../host/dispatch'
import type { StudioHost } from '../host/studio-host'
import { STUDIO_METHODS } from '../host/validation'
import { isTrustedSenderUrl } from './trusted-sender'

/** Registers the handlers once; `currentWindow` may change (macOS re-creates the window on activate). */
export function registerStudioIpc(
  host: StudioHost,
  currentWindow: () => BrowserWindow | null,
  rendererUrl: string
): void {
  const assertTrusted = (event: IpcMainInvokeEvent): void => {
    const window = currentWindow()
    const fromOurWindow =
      window !== null && !window.isDestroyed() && event.sender === window.webContents
    if (!fromOurWindow || !isTrustedSenderUrl(event.senderFrame?.url, rendererUrl)) {
      throw new Error('refused: this request did not come from the Backprop Studio window')
    }
  }
  for (const method of STUDIO_METHODS) {
    ipcMain.handle(method, (event, ...params: unknown[]) => {
      assertTrusted(event)
      return dispatch(host, method, params) // the host validates every argument before use
    })
  }
  host.onTrainingEvent((event) => {
    const window = currentWindow()
    if (window && !window.isDestroyed()) window.webContents.send(Channel.TrainingEvent, event)
  })
}
