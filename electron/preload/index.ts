// Preload (sandboxed, bundled CommonJS): exposes exactly StudioApi as window.studio, nothing else.

import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { Channel, type StudioApi, type StudioMethod, type TrainingEvent } from '../contract'

/**
 * Electron wraps a handler's error as "Error invoking remote method 'training:start': ConfigError: …";
 * the learner should read only the part after it ("learningRate: must be …").
 */
async function invoke<T>(method: StudioMethod, ...args: unknown[]): Promise<T> {
  try {
    return (await ipcRenderer.invoke(method, ...args)) as T
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    throw new Error(message.replace(/^Error invoking remote method '[^']*': (?:\w*Error: )?/, ''))
  }
}

const studio = {
  getInfo: () => invoke(Channel.GetInfo),
  startTraining: (config, options) => invoke(Channel.StartTraining, config, options),
  controlTraining: (command) => invoke(Channel.ControlTraining, command),
  updateTraining: (update) => invoke(Channel.UpdateTraining, update),
  resetTraining: (config) => invoke(Channel.ResetTraining, config),
  predict: (pixels) => invoke(Channel.Predict, pixels),
  onTrainingEvent(listener) {
    // Strip Electron's event object: the page only ever sees our payload type.
    const forward = (_event: IpcRendererEvent, payload: TrainingEvent): void => listener(payload)
    ipcRenderer.on(Channel.TrainingEvent, forward)
    return () => {
      ipcRenderer.removeListener(Channel.TrainingEvent, forward)
    }
  }
} satisfies StudioApi

contextBridge.exposeInMainWorld('studio', studio)
