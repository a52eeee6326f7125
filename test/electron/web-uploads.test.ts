// Browser mode's file uploads (issue 15, item 1): a call that carries a model file announces its size,
// and the file follows as one binary frame. The page refuses a file over the limit before sending it;
// the server refuses an oversized announcement before the file arrives, and a file that is not what was
// announced, closing only that socket with a reason the page shows.

import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import {
  MAX_MODEL_FILE_BYTES,
  MAX_WEB_TEXT_BYTES,
  MAX_WEB_UPLOAD_BYTES,
  WEB_CLOSE,
  type StudioApi
} from '../../electron/contract'
import { startWebServer, type WebServer } from '../../electron/web/server'
import type { SocketStudio } from '../../electron/web/socket-session'
import { encodeWire } from '../../electron/web/wire'
import { explainSocketClose } from '../../renderer/src/shared/api/socket-close'
import { connectWebStudio } from '../../renderer/src/shared/api/web-client'
import { PATIENTLY } from '../helpers/waits'

/** A host stand-in that answers each call with the arguments it received. */
const echoStudio = new Proxy(
  { onTrainingEvent: () => () => undefined },
  {
    get: (target, key) =>
      key in target
        ? target[key as keyof typeof target]
        : (...args: unknown[]) => Promise.resolve({ method: key, args })
  }
) as unknown as SocketStudio

let server: WebServer | null = null
const log: string[] = []

async function start(): Promise<WebServer> {
  const rendererDir = await mkdtemp(join(tmpdir(), 'studio-renderer-'))
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Backprop Studio</title>')
  log.length = 0
  server = await startWebServer({ studio: echoStudio, rendererDir, log: (line) => log.push(line) })
  return server
}

afterEach(async () => {
  await server?.close()
  server = null
})

const originOf = (server: WebServer): string => `http://127.0.0.1:${server.port}`

/** The page's own client, and every frame it sends. */
function pageClient(server: WebServer): { page: StudioApi; sent: (string | Uint8Array)[] } {
  const sent: (string | Uint8Array)[] = []
  const page = connectWebStudio(
    { protocol: 'http:', host: `127.0.0.1:${server.port}`, search: `?token=${server.token}` },
    {
      createSocket: (url) => {
        const socket = new WebSocket(url, { origin: originOf(server) })
        const send = socket.send.bind(socket)
        socket.send = ((frame: string | Uint8Array) => {
          sent.push(frame)
          send(frame)
        }) as typeof socket.send
        return socket as unknown as globalThis.WebSocket
      },
      reconnectDelaysMs: [60_000]
    }
  )
  return { page, sent }
}

/** A raw client socket (the ws library's), and the close code and reason the server sends it. */
async function rawSocket(server: WebServer): Promise<{
  socket: WebSocket
  closed: Promise<{ code: number; reason: string }>
  replies: unknown[]
}> {
  const socket = new WebSocket(`ws://127.0.0.1:${server.port}/studio?token=${server.token}`, {
    origin: originOf(server)
  })
  socket.on('error', () => undefined)
  const replies: unknown[] = []
  socket.on('message', (data: Buffer) => replies.push(JSON.parse(data.toString('utf8'))))
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.once('close', (code, reason) => resolve({ code, reason: reason.toString('utf8') }))
  )
  await new Promise((resolve) => socket.once('open', resolve))
  return { socket, closed, replies }
}

const announce = (id: number, bytes: number, as: 'text' | 'bytes' = 'text'): string =>
  JSON.stringify({ id, method: 'model:import', params: [{ $upload: { bytes, as } }, 'm.json'] })

describe('a model file from the page', () => {
  it('travels as a binary frame after the call that announces its size, and arrives whole', async () => {
    const { page, sent } = pageClient(await start())
    // Text that JSON would escape many times over: quotes, backslashes, control characters, non-ASCII.
    const text = '{"weights":"' + '"\\\u0001é'.repeat(10_000) + '"}'
    const reply = (await page.importModel(text, 'odd.json')) as unknown as { args: unknown[] }
    expect(reply.args).toEqual([text, 'odd.json'])
    const fileBytes = new TextEncoder().encode(text).byteLength
    expect(sent).toHaveLength(2)
    expect(JSON.parse(sent[0] as string).params[0]).toEqual({
      $upload: { bytes: fileBytes, as: 'text' }
    })
    expect(sent[1]).toBeInstanceOf(Uint8Array)
    expect((sent[1] as Uint8Array).byteLength).toBe(fileBytes)

    const onnx = Uint8Array.from({ length: 1000 }, (_, i) => i % 256)
    const bytesReply = (await page.importOnnx(onnx, 'm.onnx')) as unknown as { args: unknown[] }
    expect(bytesReply.args).toEqual([onnx, 'm.onnx'])
  })

  it('is refused in the page, before anything is sent, when over the limit', async () => {
    const { page, sent } = pageClient(await start())
    await page.getInfo()
    const before = sent.length
    const huge = new Uint8Array(MAX_WEB_UPLOAD_BYTES + 1)
    await expect(page.importOnnx(huge, 'huge.onnx')).rejects.toThrow(
      /the file is 64\.0 MB; browser mode takes files of at most 64\.0 MB/
    )
    expect(sent.length).toBe(before)
    // The socket is still open: the next call is answered.
    await expect(page.getInfo()).resolves.toBeTruthy()
  })

  it('is held to the same limit by page, server and host: the model file limit', () => {
    expect(MAX_WEB_UPLOAD_BYTES).toBe(MAX_MODEL_FILE_BYTES)
  })
})

describe('the server refusing files and frames it did not agree to', () => {
  const cases: [string, (socket: WebSocket) => void, number, RegExp][] = [
    [
      'an announced file over the limit, before any of it arrives',
      (socket) => socket.send(announce(1, MAX_WEB_UPLOAD_BYTES + 1)),
      WEB_CLOSE.messageTooBig,
      /^a file of 64\.0 MB \(files are at most 64\.0 MB\)$/
    ],
    [
      'a file longer than announced',
      (socket) => {
        socket.send(announce(1, 10))
        socket.send(new Uint8Array(11))
      },
      WEB_CLOSE.unsupportedData,
      /^a file announced as 10 bytes was 11$/
    ],
    [
      'a binary frame no call announced',
      (socket) => socket.send(new Uint8Array(10)),
      WEB_CLOSE.unsupportedData,
      /^a file no call announced$/
    ],
    [
      'a call where the announced file was due',
      (socket) => {
        socket.send(announce(1, 10))
        socket.send(JSON.stringify({ id: 2, method: 'studio:info', params: [] }))
      },
      WEB_CLOSE.unsupportedData,
      /^a call where an announced file was due$/
    ],
    [
      'an announcement that describes no file',
      (socket) => socket.send(announce(1, -5)),
      WEB_CLOSE.unsupportedData,
      /^a call announcing a file it does not describe$/
    ],
    [
      'a call as text over the text limit (a file escaped into JSON)',
      (socket) =>
        socket.send(
          encodeWire({
            id: 1,
            method: 'model:import',
            params: ['x'.repeat(MAX_WEB_TEXT_BYTES), 'm.json']
          })
        ),
      WEB_CLOSE.messageTooBig,
      /^a call of 4\.0 MB \(calls are at most 4\.0 MB\)$/
    ]
  ]

  it.each(cases)('%s closes only that socket, with a reason', async (_name, send, code, reason) => {
    const server = await start()
    const { page } = pageClient(server)
    const bystander = await rawSocket(server)
    const hostile = await rawSocket(server)
    send(hostile.socket)
    const closed = await hostile.closed
    expect(closed.code).toBe(code)
    expect(closed.reason).toMatch(reason)
    expect(Buffer.byteLength(closed.reason)).toBeLessThanOrEqual(123)
    expect(hostile.replies).toEqual([]) // nothing was run
    expect(log.join('\n')).toMatch(/closed a page's socket: /)
    // The page shows what was refused.
    expect(explainSocketClose(closed.code, closed.reason)).toContain(closed.reason)
    // Everyone else carries on.
    await expect(page.getInfo()).resolves.toBeTruthy()
    expect(bystander.socket.readyState).toBe(WebSocket.OPEN)
    bystander.socket.terminate()
  })

  it('answers a call whose file arrived as announced, and the socket stays open', async () => {
    const hostile = await rawSocket(await start())
    hostile.socket.send(announce(7, 3, 'bytes'))
    hostile.socket.send(Uint8Array.from([1, 2, 3]))
    await expect.poll(() => hostile.replies.length, PATIENTLY).toBe(1)
    expect(hostile.replies[0]).toMatchObject({ type: 'reply', id: 7, ok: true })
    expect(hostile.socket.readyState).toBe(WebSocket.OPEN)
    hostile.socket.terminate()
  })
})
