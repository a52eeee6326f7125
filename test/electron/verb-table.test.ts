// The verb table drives every route (electron/contract/verbs.ts): each verb is reachable through the
// preload, Electron IPC into the host's dispatch, the browser-mode client, and the worker session; the
// host parses each argument by its kind before any implementation runs; and a failure arrives as data
// (code, field), thrown again as a StudioError. (The compile-time half: verb-table.typecheck.ts.)

import { beforeEach, describe, expect, it, vi } from 'vitest'
import { ConfigError, ModelFileError, PRESETS } from '../../core'
import {
  errorData,
  outcomeOf,
  STUDIO_EVENTS,
  STUDIO_VERBS,
  StudioError,
  valueOf,
  VERBS,
  WORKER_VERBS,
  type ArgumentKind,
  type ArgumentSpec,
  type ErrorCode,
  type Outcome,
  type StudioBridge,
  type Verb
} from '../../electron/contract'
import { untrustedCalls, type VerbImplementations } from '../../electron/host/untrusted-calls'
import { decodeWire, encodeWire } from '../../electron/web/wire'
import { findAnnouncement, withUpload, type Announced } from '../../electron/web/wire-uploads'
import { WorkerSession } from '../../electron/worker/session'
import { connectWebStudio } from '../../renderer/src/shared/api/web-client'

const electron = vi.hoisted(() => ({
  handlers: new Map<string, (event: unknown, ...args: unknown[]) => unknown>(),
  exposeInMainWorld: vi.fn(),
  ipcRenderer: { invoke: vi.fn(), on: vi.fn(), removeListener: vi.fn() }
}))

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: electron.exposeInMainWorld },
  ipcRenderer: electron.ipcRenderer,
  ipcMain: {
    handle: (channel: string, handler: (event: unknown, ...args: unknown[]) => unknown) =>
      electron.handlers.set(channel, handler)
  }
}))

interface Sample {
  readonly valid: unknown
  readonly invalid: unknown
  /** What refusing `invalid` answers. */
  readonly code: ErrorCode
  readonly field: string
}

/** A valid and an invalid value of every argument kind: a new kind does not compile until it has one. */
const SAMPLES = {
  config: {
    valid: PRESETS.seed.config,
    invalid: { ...PRESETS.seed.config, learningRate: -1 },
    code: 'invalid-config',
    field: 'learningRate'
  },
  startOptions: {
    valid: { paused: true },
    invalid: { paused: 'yes' },
    code: 'invalid-request',
    field: 'options.paused'
  },
  command: { valid: 'pause', invalid: 'explode', code: 'invalid-request', field: 'command' },
  update: {
    valid: { learningRate: 0.1 },
    invalid: { momentum: 1 },
    code: 'invalid-config',
    field: 'optimizer.momentum'
  },
  pixels: {
    valid: new Float32Array(784).fill(0.5),
    invalid: new Float32Array(3),
    code: 'invalid-request',
    field: 'pixels'
  },
  testImageQuery: {
    valid: { order: 'index', offset: 0, limit: 5 },
    invalid: { order: 'index', offset: 0, limit: 201 },
    code: 'invalid-request',
    field: 'query.limit'
  },
  imageSource: {
    valid: { kind: 'test', index: 1 },
    invalid: { kind: 'test', index: 10_000 },
    code: 'invalid-request',
    field: 'source.index'
  },
  saliencyRequest: {
    valid: { source: { kind: 'test', index: 1 } },
    invalid: { source: { kind: 'test', index: 10_000 } },
    code: 'invalid-request',
    field: 'request.source.index'
  },
  explainStepRequest: {
    valid: { source: { kind: 'test', index: 2 }, label: 7 },
    invalid: { source: { kind: 'test', index: 2 }, label: 10 },
    code: 'invalid-request',
    field: 'request.label'
  },
  gradientCheckRequest: {
    valid: { parameter: 'dense1.weight', sampleCount: 3 },
    invalid: { parameter: 'dense1.weight' },
    code: 'invalid-request',
    field: 'request'
  },
  modelText: { valid: '{}', invalid: 42, code: 'invalid-request', field: 'text' },
  onnxBytes: {
    valid: Uint8Array.of(8, 8),
    invalid: 'not bytes',
    code: 'invalid-request',
    field: 'bytes'
  },
  fileName: { valid: 'model.json', invalid: '', code: 'invalid-request', field: 'fileName' },
  runId: { valid: 'run-1', invalid: '../settings', code: 'invalid-request', field: 'id' },
  runPoint: {
    valid: { runId: 'run-1', step: 3 },
    invalid: { runId: 'run-1', step: -1 },
    code: 'invalid-request',
    field: 'point.step'
  },
  runName: { valid: 'best', invalid: '\u0007', code: 'invalid-request', field: 'name' },
  pinned: { valid: true, invalid: 'yes', code: 'invalid-request', field: 'pinned' },
  settingsPatch: {
    valid: { theme: 'dark' },
    invalid: { theme: 'sepia' },
    code: 'invalid-request',
    field: 'settings.theme'
  }
} as const satisfies Record<ArgumentKind, Sample>

const MNIST = {
  train: { name: 'MNIST training set', count: 60_000, rows: 28, cols: 28, classes: 10 },
  test: { name: 'MNIST test set', count: 10_000, rows: 28, cols: 28, classes: 10 }
}

function kindOf(spec: ArgumentSpec): ArgumentKind {
  return (spec.endsWith('?') ? spec.slice(0, -1) : spec) as ArgumentKind
}

/** Every argument the verb takes, each a valid value of its kind. */
function validArgs(verb: Verb): unknown[] {
  const specs: readonly ArgumentSpec[] = STUDIO_VERBS[verb].args
  return specs.map((spec) => SAMPLES[kindOf(spec)].valid)
}

/** A stand-in for each verb's implementation, answering its own name. */
function recordingImplementations(): Record<Verb, ReturnType<typeof vi.fn>> {
  return Object.fromEntries(VERBS.map((verb) => [verb, vi.fn(async () => verb)])) as Record<
    Verb,
    ReturnType<typeof vi.fn>
  >
}

describe('the host side: every verb is parsed by the table before it runs', () => {
  const implementations = recordingImplementations()
  const calls = untrustedCalls(implementations as unknown as VerbImplementations, {
    datasets: async () => MNIST
  })

  beforeEach(() => {
    for (const implementation of Object.values(implementations)) implementation.mockClear()
  })

  it('hands each implementation its arguments parsed, and answers what it answers', async () => {
    for (const verb of VERBS) {
      await expect(calls[verb](...validArgs(verb))).resolves.toBe(verb)
      expect(implementations[verb]).toHaveBeenCalledWith(...validArgs(verb))
    }
  })

  it('refuses a bad argument of every verb by code and field, before the implementation runs', async () => {
    for (const verb of VERBS) {
      const specs: readonly ArgumentSpec[] = STUDIO_VERBS[verb].args
      for (const [i, spec] of specs.entries()) {
        const { invalid, code, field } = SAMPLES[kindOf(spec)]
        const args = validArgs(verb)
        args[i] = invalid
        const refused = calls[verb](...args)
        await expect(refused, `${verb} argument ${i}`).rejects.toBeInstanceOf(StudioError)
        await expect(refused, `${verb} argument ${i}`).rejects.toMatchObject({ code, field })
      }
      await expect(calls[verb](...validArgs(verb), 'one too many')).rejects.toMatchObject({
        code: 'invalid-request',
        message: expect.stringMatching(/takes at most/)
      })
      expect(implementations[verb]).not.toHaveBeenCalled()
    }
  })

  it('leaves an optional argument out as undefined, so the implementation’s default applies', async () => {
    await calls.startTraining(PRESETS.seed.config)
    expect(implementations.startTraining).toHaveBeenCalledWith(PRESETS.seed.config, undefined)
  })
})

describe('the transports: every verb travels on its channel', () => {
  beforeEach(() => {
    vi.resetModules()
    electron.handlers.clear()
    electron.exposeInMainWorld.mockClear()
    electron.ipcRenderer.invoke.mockReset()
  })

  it('IPC handles exactly the table’s channels, each reaching its verb with its arguments', async () => {
    const { registerStudioIpc } = await import('../../electron/main/ipc')
    const host = { ...recordingImplementations(), onTrainingEvent: () => () => undefined }
    const window = { isDestroyed: () => false, webContents: {} }
    const rendererUrl = 'file:///app/out/renderer/index.html'
    registerStudioIpc(host as never, () => window as never, rendererUrl)

    expect([...electron.handlers.keys()].sort()).toEqual(
      VERBS.map((verb) => STUDIO_VERBS[verb].channel).sort()
    )
    const ours = { sender: window.webContents, senderFrame: { url: rendererUrl } }
    for (const verb of VERBS) {
      const handler = electron.handlers.get(STUDIO_VERBS[verb].channel)!
      await expect(handler(ours, ...validArgs(verb))).resolves.toEqual({ ok: true, result: verb })
      expect(host[verb]).toHaveBeenCalledWith(...validArgs(verb))
    }
  })

  it('the preload exposes one IPC call per verb and one subscription per event, nothing else', async () => {
    await import('../../electron/preload/index')
    const bridge = electron.exposeInMainWorld.mock.calls[0][1] as StudioBridge
    expect(Object.keys(bridge).sort()).toEqual([...VERBS, ...Object.keys(STUDIO_EVENTS)].sort())
    for (const verb of VERBS) {
      electron.ipcRenderer.invoke.mockResolvedValueOnce({ ok: true, result: verb })
      const call = bridge[verb] as (...args: unknown[]) => Promise<Outcome<unknown>>
      await expect(call(...validArgs(verb))).resolves.toEqual({ ok: true, result: verb })
      expect(electron.ipcRenderer.invoke).toHaveBeenLastCalledWith(
        STUDIO_VERBS[verb].channel,
        ...validArgs(verb)
      )
    }
  })

  it('the browser-mode client sends each verb as its channel, and throws a failure as a StudioError', async () => {
    const socket = new EchoSocket()
    const studio = connectWebStudio(
      { protocol: 'http:', host: '127.0.0.1:1', search: '?token=t' },
      { createSocket: () => socket as unknown as WebSocket }
    )
    socket.open()
    for (const verb of VERBS) {
      const call = studio[verb] as (...args: unknown[]) => Promise<unknown>
      await expect(call(...validArgs(verb))).resolves.toEqual({
        method: STUDIO_VERBS[verb].channel,
        params: validArgs(verb)
      })
    }
    socket.failWith = { code: 'invalid-config', field: 'learningRate', message: 'learningRate: no' }
    const refused = studio.startTraining(PRESETS.seed.config)
    await expect(refused).rejects.toBeInstanceOf(StudioError)
    await expect(refused).rejects.toMatchObject({
      code: 'invalid-config',
      field: 'learningRate',
      message: 'learningRate: no'
    })
  })
})

describe('the worker side', () => {
  it('WorkerSession has a method for every verb the host forwards to the worker', () => {
    const session = WorkerSession.prototype as unknown as Record<string, unknown>
    expect(WORKER_VERBS.length).toBeGreaterThan(0)
    for (const verb of WORKER_VERBS) expect(typeof session[verb], verb).toBe('function')
  })
})

describe('errors as data', () => {
  it('maps core’s typed errors to codes once, keeping the field', () => {
    expect(errorData(new ConfigError('optimizer.momentum', 'must be < 1'))).toEqual({
      code: 'invalid-config',
      field: 'optimizer.momentum',
      message: 'optimizer.momentum: must be < 1'
    })
    expect(errorData(new ModelFileError('not a model file'))).toEqual({
      code: 'model-file',
      message: 'not a model file'
    })
    expect(errorData(new StudioError({ code: 'no-run', message: 'no run' }))).toEqual({
      code: 'no-run',
      message: 'no run'
    })
    expect(errorData(new RangeError('oops'))).toEqual({ code: 'internal', message: 'oops' })
    expect(errorData('a string')).toEqual({ code: 'internal', message: 'a string' })
  })

  it('crosses the wire and a structured clone as an Outcome, and is thrown again with code and field', async () => {
    const failed = await outcomeOf(() => {
      throw new ConfigError('learningRate', 'must be a number > 0 and ≤ 10, got -1')
    })
    for (const received of [
      decodeWire(encodeWire({ type: 'reply', id: 1, ...failed })),
      structuredClone(failed)
    ]) {
      let thrown: unknown
      try {
        valueOf(received as Outcome<unknown>)
      } catch (error) {
        thrown = error
      }
      expect(thrown).toBeInstanceOf(StudioError)
      expect(thrown).toMatchObject({
        code: 'invalid-config',
        field: 'learningRate',
        message: 'learningRate: must be a number > 0 and ≤ 10, got -1'
      })
    }
    await expect(outcomeOf(async () => 7)).resolves.toEqual({ ok: true, result: 7 })
  })
})

/**
 * A browser-mode socket whose server echoes each call's method and params as its result, or answers
 * every call with `failWith`.
 */
class EchoSocket {
  readyState = 0
  failWith: Omit<Extract<Outcome<unknown>, { ok: false }>, 'ok'> | null = null
  onopen: (() => void) | null = null
  onmessage: ((event: { data: string }) => void) | null = null
  onclose: (() => void) | null = null
  onerror: (() => void) | null = null

  open(): void {
    this.readyState = 1
    this.onopen?.()
  }

  /** A call whose file is the next frame (browser mode's uploads: electron/web/wire-uploads.ts). */
  private awaiting: { request: unknown; announced: Announced } | null = null

  send(frame: string | Uint8Array): void {
    if (this.awaiting) {
      const { request, announced } = this.awaiting
      this.awaiting = null
      this.answer(withUpload(request, announced, frame as Uint8Array))
      return
    }
    const request = decodeWire(frame as string)
    const announced = findAnnouncement(request)
    if (announced === 'malformed') throw new Error('a malformed announcement')
    if (announced) this.awaiting = { request, announced }
    else this.answer(request)
  }

  private answer(request: unknown): void {
    const { id, method, params } = request as {
      id: number
      method: string
      params: unknown[]
    }
    const outcome = this.failWith
      ? { ok: false, ...this.failWith }
      : { ok: true, result: { method, params } }
    queueMicrotask(() =>
      this.onmessage?.({ data: encodeWire({ type: 'reply', id, ...outcome } as never) })
    )
  }
}
