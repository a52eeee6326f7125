// The only ipcMain user: one handler per StudioApi channel (sender checked, then every argument parsed by
// the host), answering the call's Outcome; and host events forwarded to the window.

import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron'
import { Channel, outcomeOf, STUDIO_VERBS, VERBS, type StudioApi } from '../contract'
import { dispatch } from '../host/dispatch'
import type { UntrustedCalls } from '../host/untrusted-calls'
import { isTrustedSenderUrl } from './trusted-sender'

/** The host as IPC needs it: the calls (untrusted arguments) and the training events. */
export type IpcStudio = UntrustedCalls & Pick<StudioApi, 'onTrainingEvent'>

/** Registers the handlers once; `currentWindow` may change (macOS re-creates the window on activate). */
export function registerStudioIpc(
  host: IpcStudio,
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
  for (const verb of VERBS) {
    const channel = STUDIO_VERBS[verb].channel
    ipcMain.handle(channel, (event, ...params: unknown[]) => {
      assertTrusted(event) // NOTE: thrown, not an Outcome: the asker is not our page
      return outcomeOf(() => dispatch(host, channel, params))
    })
  }
  host.onTrainingEvent((event) => {
    const window = currentWindow()
    if (window && !window.isDestroyed()) window.webContents.send(Channel.TrainingEvent, event)
  })
}
