// Routes a named StudioApi call (an IPC channel or a WebSocket method) with untrusted params to the host.

import { assertNever, Channel, type StudioApi, type StudioMethod } from '../contract'
import { checkArity } from './validation'

/** The host as the transports see it: every argument untrusted, validated inside. */
export type UntrustedStudio = {
  readonly [K in keyof Omit<StudioApi, 'onTrainingEvent' | 'onMenuCommand' | 'onOpenedFiles'>]: (
    ...args: unknown[]
  ) => ReturnType<StudioApi[K]>
}

/** Calls `method` on the host. Argument values are validated by the host; their count is checked here. */
export function dispatch(
  studio: UntrustedStudio,
  method: StudioMethod,
  params: readonly unknown[]
): Promise<unknown> {
  checkArity(method, params)
  const [first, second] = params
  switch (method) {
    case Channel.GetInfo:
      return studio.getInfo()
    case Channel.StartTraining:
      return studio.startTraining(first, second)
    case Channel.ControlTraining:
      return studio.controlTraining(first)
    case Channel.UpdateTraining:
      return studio.updateTraining(first)
    case Channel.ResetTraining:
      return studio.resetTraining(first)
    case Channel.Predict:
      return studio.predict(first)
    case Channel.EvaluateModel:
      return studio.evaluateModel()
    case Channel.QueryTestImages:
      return studio.queryTestImages(first)
    case Channel.Saliency:
      return studio.saliency(first)
    case Channel.ExplainStep:
      return studio.explainStep(first)
    case Channel.CheckGradients:
      return studio.checkGradients(first)
    case Channel.GetModel:
      return studio.getModel()
    case Channel.GetWeights:
      return studio.getWeights()
    case Channel.GetCurrentRun:
      return studio.getCurrentRun()
    case Channel.ExportModel:
      return studio.exportModel()
    case Channel.ImportModel:
      return studio.importModel(first, second)
    case Channel.ExportNpz:
      return studio.exportNpz()
    case Channel.ListRuns:
      return studio.listRuns()
    case Channel.GetRun:
      return studio.getRun(first)
    case Channel.RenameRun:
      return studio.renameRun(first, second)
    case Channel.DeleteRun:
      return studio.deleteRun(first)
    case Channel.ExportRunCsv:
      return studio.exportRunCsv(first)
    case Channel.GetSettings:
      return studio.getSettings()
    case Channel.UpdateSettings:
      return studio.updateSettings(first)
    default:
      return assertNever(method)
  }
}
