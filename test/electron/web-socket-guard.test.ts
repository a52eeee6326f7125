// Browser mode against hostile and careless clients (issue 15, items 1 and 2): frames that break the
// protocol, a page that never reads, more pages than the server serves. Each closes that one socket,
// with a code the page explains, and the server keeps answering everyone else.

import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import WebSocket from 'ws'
import {
  MAX_WEB_MESSAGE_BYTES,
  WEB_CLOSE,
  type StudioApi,
  type TrainingEvent
} from '../../electron/contract'
import { startWebServer, type WebServer } from '../../electron/web/server'
import type { SocketHubLimits } from '../../electron/web/socket-hub'
import type { SocketStudio } from '../../electron/web/socket-session'
import * as wire from '../../electron/web/wire'
import { explainSocketClose } from '../../renderer/src/shared/api/socket-close'
import { connectWebStudio } from '../../renderer/src/shared/api/web-client'
import { frame, openRawSocket } from './support/raw-socket'

vi.mock('../../electron/web/wire', async (importOriginal) => {
  const actual = await importOriginal<typeof wire>()
  return { ...actual, encodeWire: vi.fn(actual.encodeWire) }
})

const INFO = { mode: 'browser', version: 'test' }

/** A host stand-in: every call answers INFO at once; the test pushes the events. */
function fakeStudio(): SocketStudio & { emit(event: TrainingEvent): void } {
  const listeners = new Set<(event: TrainingEvent) => void>()
  const own = {
    onTrainingEvent(listener: (event: TrainingEvent) => void) {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },
    emit(event: TrainingEvent) {
      for (const listener of listeners) listener(event)
    }
  }
  return new Proxy(own, {
    get: (target, key) =>
      key in target ? target[key as keyof typeof target] : () => Promise.resolve(INFO)
  }) as unknown as SocketStudio & { emit(event: TrainingEvent): void }
}

/** A 128×784 first layer, as the MLP preset's snapshots are (535 KB on the wire). */
function weightsEvent(step: number): TrainingEvent {
  const data = new Float32Array(128 * 784).map((_, i) => Math.sin(i + step))
  return {
    type: 'weights',
    snapshot: { layer: 'dense1.weight', rowsAre: 'units', step, rows: 128, cols: 784, data }
  }
}

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms))

let server: WebServer | null = null
const log: string[] = []

async function start(limits?: Partial<SocketHubLimits>): Promise<{
  server: WebServer
  studio: ReturnType<typeof fakeStudio>
}> {
  const rendererDir = await mkdtemp(join(tmpdir(), 'studio-renderer-'))
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Backprop Studio</title>')
  const studio = fakeStudio()
  log.length = 0
  server = await startWebServer({
    studio,
    rendererDir,
    socketLimits: { maxSockets: 100, behindBytes: 8 * 1024 * 1024, stalledMs: 10_000, ...limits },
    log: (line) => log.push(line)
  })
  return { server, studio }
}

afterEach(async () => {
  await server?.close()
  server = null
})

const originOf = (server: WebServer): string => `http://127.0.0.1:${server.port}`

function pageClient(server: WebServer): StudioApi {
  return connectWebStudio(
    { protocol: 'http:', host: `127.0.0.1:${server.port}`, search: `?token=${server.token}` },
    {
      createSocket: (url) =>
        new WebSocket(url, { origin: originOf(server) }) as unknown as globalThis.WebSocket,
      reconnectDelaysMs: [60_000] // no reconnection within a test: a refusal stays visible
    }
  )
}

function openSocket(server: WebServer): Promise<WebSocket> {
  const socket = new WebSocket(`ws://127.0.0.1:${server.port}/studio?token=${server.token}`, {
    origin: originOf(server)
  })
  socket.on('error', () => undefined)
  return new Promise((resolve) => socket.once('open', () => resolve(socket)))
}

describe('a frame that breaks the protocol closes only its own socket', () => {
  const hostile: [string, Buffer, number][] = [
    [
      'invalid UTF-8 in a text frame',
      frame({ opcode: 0x1, payload: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]) }),
      WEB_CLOSE.invalidText
    ],
    [
      'an unmasked frame',
      frame({ opcode: 0x1, payload: Buffer.from('{}'), masked: false }),
      WEB_CLOSE.protocolError
    ],
    [
      'reserved bits set',
      frame({ opcode: 0x1, payload: Buffer.from('{}'), rsv: 0b011 }),
      WEB_CLOSE.protocolError
    ],
    [
      'a close frame with an invalid code (999)',
      frame({ opcode: 0x8, payload: Buffer.from([0x03, 0xe7]) }),
      WEB_CLOSE.protocolError
    ],
    [
      'a message over the size limit (by its header alone)',
      frame({ opcode: 0x1, claimedLength: MAX_WEB_MESSAGE_BYTES + 1 }),
      WEB_CLOSE.messageTooBig
    ]
  ]

  it.each(hostile)('%s', async (_name, bytes, expectedCode) => {
    const { server } = await start()
    const page = pageClient(server)
    expect(await page.getInfo()).toEqual(INFO)
    const bystander = await openSocket(server)

    const raw = await openRawSocket(server.port, `/studio?token=${server.token}`, originOf(server))
    raw.write(bytes)
    expect(await raw.closed()).toBe(expectedCode)
    raw.destroy()

    // The server is alive and every other client carries on.
    expect(await page.getInfo()).toEqual(INFO)
    expect(bystander.readyState).toBe(WebSocket.OPEN)
    expect(log.join('\n')).toMatch(/closed a page's socket: /)
    bystander.terminate()
  })

  it('the page explains each refusal in words', () => {
    expect(explainSocketClose(WEB_CLOSE.messageTooBig, '')).toMatch(
      /refused a message larger than 64 MB/
    )
    expect(explainSocketClose(WEB_CLOSE.messageTooBig, 'a file of 70.0 MB')).toMatch(
      /refused a file of 70\.0 MB and closed the connection/
    )
    expect(explainSocketClose(WEB_CLOSE.invalidText, '')).toMatch(/not valid UTF-8/)
    expect(explainSocketClose(WEB_CLOSE.protocolError, '')).toMatch(/malformed WebSocket frame/)
    expect(explainSocketClose(WEB_CLOSE.unsupportedData, 'text frames only')).toMatch(
      /closed the connection: text frames only/
    )
    expect(explainSocketClose(1000, '')).toBeNull()
    expect(explainSocketClose(1006, '')).toBeNull()
  })
})

describe('many pages, slow pages', () => {
  it('refuses the page beyond the limit with a reason the page shows, and takes one again when another leaves', async () => {
    const { server } = await start({ maxSockets: 3 })
    const first = pageClient(server)
    expect(await first.getInfo()).toEqual(INFO)
    const others = [await openSocket(server), await openSocket(server)]

    const refused = await openSocket(server)
    const [code, reason] = await new Promise<[number, string]>((resolve) =>
      refused.once('close', (code, reason) => resolve([code, reason.toString()]))
    )
    expect(code).toBe(WEB_CLOSE.tooManyPages)
    expect(reason).toMatch(/already serves 3 pages; close some tabs/)
    await expect(pageClient(server).getInfo()).rejects.toThrow(
      /The studio closed the connection: Backprop Studio already serves 3 pages/
    )
    expect(log.join('\n')).toMatch(/refused a page: 3 pages are already open/)

    // The pages already open are served as before, and a freed place is taken again.
    expect(await first.getInfo()).toEqual(INFO)
    others[0].close()
    await new Promise((resolve) => others[0].once('close', resolve))
    await sleep(50) // the server's side of the close
    expect(await pageClient(server).getInfo()).toEqual(INFO)
    others[1].terminate()
  })

  it('drops a page that never reads, while another page still gets its answers and events', async () => {
    const { server, studio } = await start({ behindBytes: 256 * 1024, stalledMs: 300 })
    const reader = pageClient(server)
    const received: TrainingEvent[] = []
    reader.onTrainingEvent((event) => received.push(event))
    expect(await reader.getInfo()).toEqual(INFO)
    const stalled = await openSocket(server)
    // NOTE: it stops reading its TCP socket, as a frozen tab does: the server's send queue grows.
    const tcp = (stalled as unknown as { _socket: { pause(): void; resume(): void } })._socket
    tcp.pause()
    // NOTE: a paused client never sees its socket end, so the server's log says when it dropped it.
    const dropped = (): boolean => log.some((line) => line.includes('dropped a page'))
    const snapshot = weightsEvent(1)
    for (let step = 1; step <= 400 && !dropped(); step++) {
      studio.emit(snapshot)
      await sleep(20)
    }
    expect(log.join('\n')).toMatch(
      /dropped a page that read nothing for 0\.3 s \(\d+\.\d MB waiting to be sent\)/
    )
    // Once it reads again, it finds its connection cut (1006: no close frame, the server terminated it).
    const closeCode = new Promise<number>((resolve) => stalled.once('close', resolve))
    tcp.resume()
    expect(await closeCode).toBe(1006)
    expect(await reader.getInfo()).toEqual(INFO)
    expect(received.length).toBeGreaterThan(0)
    expect(received.every((event) => event.type === 'weights')).toBe(true)
  })

  it('encodes each event once, however many pages listen', async () => {
    const { server, studio } = await start()
    const sockets = await Promise.all(Array.from({ length: 5 }, () => openSocket(server)))
    const arrived = sockets.map(
      (socket) => new Promise<Buffer>((resolve) => socket.once('message', resolve))
    )
    const encodeWire = vi.mocked(wire.encodeWire)
    encodeWire.mockClear()
    const sent = weightsEvent(1)
    studio.emit(sent)
    const messages = await Promise.all(arrived)
    expect(encodeWire).toHaveBeenCalledTimes(1)
    // Every page got the same, whole snapshot.
    for (const message of messages) {
      const decoded = wire.decodeWire(message.toString()) as { event: TrainingEvent }
      expect(decoded.event).toMatchObject({ type: 'weights', snapshot: { rows: 128, step: 1 } })
      // Node's base64 on the server, the page's decoder on the other end: the same floats.
      const { data } = (decoded.event as Extract<TrainingEvent, { type: 'weights' }>).snapshot
      expect(data).toEqual((sent as Extract<TrainingEvent, { type: 'weights' }>).snapshot.data)
    }
    for (const socket of sockets) socket.terminate()
  })
})
