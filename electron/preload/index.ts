// Preload (sandboxed, bundled CommonJS): exposes exactly StudioApi as window.studio, nothing else.

import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import {
  Channel,
  type MenuCommand,
  type OpenedFile,
  type StudioApi,
  type StudioMethod,
  type TrainingEvent
} from '../contract'

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

/** Subscribes to a push channel; strips Electron's event object, so the page only sees our payload. */
function subscribe<T>(channel: string, listener: (payload: T) => void): () => void {
  const forward = (_event: IpcRendererEvent, payload: T): void => listener(payload)
  ipcRenderer.on(channel, forward)
  return () => {
    ipcRenderer.removeListener(channel, forward)
  }
}

const studio = {
  getInfo: () => invoke(Channel.GetInfo),
  startTraining: (config, options) => invoke(Channel.StartTraining, config, options),
  controlTraining: (command) => invoke(Channel.ControlTraining, command),
  updateTraining: (update) => invoke(Channel.UpdateTraining, update),
  resetTraining: (config) => invoke(Channel.ResetTraining, config),
  predict: (pixels) => invoke(Channel.Predict, pixels),
  evaluateModel: () => invoke(Channel.EvaluateModel),
  queryTestImages: (query) => invoke(Channel.QueryTestImages, query),
  saliency: (request) => invoke(Channel.Saliency, request),
  explainStep: (request) => invoke(Channel.ExplainStep, request),
  checkGradients: (request) => invoke(Channel.CheckGradients, request),
  getModel: () => invoke(Channel.GetModel),
  getWeights: () => invoke(Channel.GetWeights),
  getCurrentRun: () => invoke(Channel.GetCurrentRun),
  exportModel: () => invoke(Channel.ExportModel),
  importModel: (text, fileName) => invoke(Channel.ImportModel, text, fileName),
  exportNpz: () => invoke(Channel.ExportNpz),
  listRuns: () => invoke(Channel.ListRuns),
  getRun: (id) => invoke(Channel.GetRun, id),
  renameRun: (id, name) => invoke(Channel.RenameRun, id, name),
  deleteRun: (id) => invoke(Channel.DeleteRun, id),
  exportRunCsv: (id) => invoke(Channel.ExportRunCsv, id),
  getSettings: () => invoke(Channel.GetSettings),
  updateSettings: (patch) => invoke(Channel.UpdateSettings, patch),
  onTrainingEvent: (listener) => subscribe<TrainingEvent>(Channel.TrainingEvent, listener),
  onMenuCommand: (listener) => subscribe<MenuCommand>(Channel.MenuCommand, listener),
  onOpenedFiles: (listener) => subscribe<readonly OpenedFile[]>(Channel.OpenedFiles, listener)
} satisfies StudioApi

contextBridge.exposeInMainWorld('studio', studio)
