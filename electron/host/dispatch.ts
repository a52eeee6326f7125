// Routes a named StudioApi call (an IPC channel or a WebSocket method) with untrusted params to the host.

import { assertNever, Channel, type StudioApi, type StudioMethod } from '../contract'
import { checkArity } from './validation'

/** The host as the transports see it: every argument untrusted, validated inside. */
export type UntrustedStudio = {
  readonly [K in keyof Omit<StudioApi, 'onTrainingEvent'>]: (...args: unknown[]) => ReturnType<StudioApi[K]>
}

/** Calls `method` on the host. Argument values are validated by the host; their count is checked here. */
export function dispatch(studio: UntrustedStudio, method: StudioMethod, params: readonly unknown[]): Promise<unknown> {
  checkArity(method, params)
  switch (method) {
    case Channel.GetInfo:
      return studio.getInfo()
    case Channel.StartTraining:
      return studio.startTraining(params[0], params[1])
    case Channel.ControlTraining:
      return studio.controlTraining(params[0])
    case Channel.UpdateTraining:
      return studio.updateTraining(params[0])
    case Channel.ResetTraining:
      return studio.resetTraining(params[0])
    case Channel.Predict:
      return studio.predict(params[0])
    default:
      return assertNever(method)
  }
}
