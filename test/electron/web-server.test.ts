// Browser mode over real sockets: the token and Origin gates, static files, and StudioApi round trips
// through the real page client (renderer/src/shared/api/web-client.ts) to the real host and worker.

import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { PRESETS } from '../../core'
import { Channel, type StudioApi, type TrainingEvent } from '../../electron/contract'
import type { StudioHost } from '../../electron/host/studio-host'
import { startWebServer, type WebServer } from '../../electron/web/server'
import type { SocketStudio } from '../../electron/web/socket-session'
import { decodeWire, encodeWire } from '../../electron/web/wire'
import { connectWebStudio } from '../../renderer/src/shared/api/web-client'
import { EventLog } from './support/event-log'
import { denseNet } from '../helpers/architectures'
import { createHost } from './support/studio-host'

interface Response {
  readonly status: number
  readonly headers: IncomingHttpHeaders
  readonly body: string
}

function get(
  port: number,
  path: string,
  headers: Record<string, string> = {},
  method = 'GET'
): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString()
        })
      )
    })
    req.on('error', reject)
    req.end()
  })
}

/** Opens a raw WebSocket; resolves 'open' or the HTTP status of the refusal. */
function tryUpgrade(url: string, origin?: string): Promise<'open' | number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, origin === undefined ? {} : { origin })
    socket.on('open', () => {
      socket.close()
      resolve('open')
    })
    socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
    socket.on('error', () => resolve(-1))
  })
}

/** The page's client, as a browser on our page would open it (Node 20 has no global WebSocket). */
function pageClient(server: WebServer, search = `?token=${server.token}`): StudioApi {
  const origin = `http://127.0.0.1:${server.port}`
  return connectWebStudio(
    { protocol: 'http:', host: `127.0.0.1:${server.port}`, search },
    {
      createSocket: (url) => new WebSocket(url, { origin }) as unknown as globalThis.WebSocket,
      reconnectDelaysMs: [50]
    }
  )
}

async function fakeRenderer(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'studio-renderer-'))
  await mkdir(join(dir, 'assets'))
  await writeFile(
    join(dir, 'index.html'),
    '<!doctype html><title>Backprop Studio</title><script type="module" src="/assets/app.js"></script>'
  )
  await writeFile(join(dir, 'assets', 'app.js'), 'console.log("studio")')
  return dir
}

describe('browser-mode server', () => {
  let host: StudioHost
  let server: WebServer
  let socketUrl: string

  beforeAll(async () => {
    host = createHost()
    server = await startWebServer({ studio: host, rendererDir: await fakeRenderer() })
    socketUrl = `ws://127.0.0.1:${server.port}/studio?token=${server.token}`
  })

  afterAll(async () => {
    await server.close()
    await host.close()
  })

  it('listens on 127.0.0.1 with a long random token in the URL', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`)
    expect(server.token).toMatch(/^[0-9a-f]{64}$/)
  })

  it('refuses the page without the token, or with a wrong one, with a page that says why', async () => {
    for (const path of ['/', '/index.html', '/assets/app.js', '/?token=0123']) {
      const response = await get(server.port, path)
      expect(response.status).toBe(403)
      expect(response.body).toContain('Access refused')
      expect(response.body).not.toContain('assets/app.js')
    }
  })

  it('serves the page with the token, under the CSP, and its assets with the cookie it sets', async () => {
    const page = await get(server.port, `/?token=${server.token}`)
    expect(page.status).toBe(200)
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(page.body).toContain('<title>Backprop Studio</title>')
    expect(page.headers['content-security-policy']).toContain("script-src 'self'")
    expect(page.headers['content-security-policy']).toContain(
      `connect-src 'self' ws://127.0.0.1:${server.port}`
    )
    expect(page.headers['x-content-type-options']).toBe('nosniff')
    expect(page.headers['referrer-policy']).toBe('no-referrer')
    const cookie = page.headers['set-cookie']?.[0] ?? ''
    expect(cookie).toMatch(/HttpOnly; SameSite=Strict/)

    const asset = await get(server.port, '/assets/app.js', { cookie: cookie.split(';')[0] })
    expect(asset.status).toBe(200)
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect((await get(server.port, '/assets/app.js')).status).toBe(403)
    expect((await get(server.port, '/missing.js', { cookie: cookie.split(';')[0] })).status).toBe(
      404
    )
    expect(
      (await get(server.port, '/%2e%2e/package.json', { cookie: cookie.split(';')[0] })).status
    ).toBe(404)
  })

  it('refuses other Host headers (DNS rebinding) and methods other than GET/HEAD', async () => {
    expect(
      (await get(server.port, `/?token=${server.token}`, { host: `evil.example:${server.port}` }))
        .status
    ).toBe(403)
    expect((await get(server.port, `/?token=${server.token}`, {}, 'POST')).status).toBe(405)
    const head = await get(server.port, `/?token=${server.token}`, {}, 'HEAD')
    expect([head.status, head.body]).toEqual([200, ''])
  })

  it('refuses WebSockets without the token, from another Origin, without an Origin, or on another path', async () => {
    const origin = `http://127.0.0.1:${server.port}`
    expect(await tryUpgrade(socketUrl, origin)).toBe('open')
    expect(await tryUpgrade(`ws://127.0.0.1:${server.port}/studio`, origin)).toBe(403)
    expect(await tryUpgrade(`ws://127.0.0.1:${server.port}/studio?token=nope`, origin)).toBe(403)
    expect(await tryUpgrade(socketUrl, 'http://evil.example')).toBe(403)
    expect(await tryUpgrade(socketUrl, `http://127.0.0.1:${server.port + 1}`)).toBe(403)
    expect(await tryUpgrade(socketUrl)).toBe(403)
    expect(
      await tryUpgrade(`ws://127.0.0.1:${server.port}/other?token=${server.token}`, origin)
    ).toBe(403)
  })

  it('runs StudioApi through the real page client: info, a whole run with events, predict, errors', async () => {
    const studio = pageClient(server)
    const log = new EventLog((listener) => studio.onTrainingEvent(listener))
    try {
      const info = await studio.getInfo()
      expect(info).toMatchObject({
        mode: 'browser',
        train: { count: 60_000 },
        test: { count: 10_000 }
      })

      await studio.startTraining({ ...PRESETS.seed.config, evaluateEvery: 50 })
      const end = await log.waitForEnd()
      expect(end).toMatchObject({ type: 'finished', reason: 'completed', step: 100 })
      expect(log.ofType('started')).toHaveLength(1)
      expect(log.metrics().map((m) => m.step)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1))
      expect(log.ofType('evaluation').map((e) => e.step)).toEqual([50, 100])
      const snapshot = log.ofType('weights').at(-1)!.snapshot
      expect(snapshot.data).toBeInstanceOf(Float32Array) // the typed array survived JSON
      expect(snapshot).toMatchObject({ rows: 10, cols: 784, step: 100 })
      expect(snapshot.data).toHaveLength(7840)

      const prediction = await studio.predict(new Float32Array(784).fill(0.2))
      expect(prediction.probabilities).toHaveLength(10)
      expect(prediction.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5)

      await expect(
        studio.startTraining({ ...PRESETS.seed.config, learningRate: -1 })
      ).rejects.toThrow(/^learningRate: must be/)
      await expect(studio.controlTraining('explode' as never)).rejects.toThrow(/^command: /)
      await expect(studio.controlTraining('pause')).rejects.toThrow(
        /no training run is in progress/
      )
    } finally {
      log.dispose()
    }
  })

  it('carries Uint8Arrays both ways: test-image pixels and .npz bytes', async () => {
    const studio = pageClient(server)
    await studio.resetTraining(PRESETS.seed.config)
    const page = await studio.queryTestImages({ order: 'index', offset: 0, limit: 3 })
    expect(page.total).toBe(10_000)
    expect(page.items.map((item) => item.index)).toEqual([0, 1, 2])
    for (const item of page.items) {
      expect(item.pixels).toBeInstanceOf(Uint8Array)
      expect(item.pixels).toHaveLength(784)
    }
    // The same bytes the host hands out directly: nothing lost to JSON.
    const direct = await host.queryTestImages({ order: 'index', offset: 0, limit: 3 })
    expect(page.items.map((item) => Array.from(item.pixels))).toEqual(
      direct.items.map((item) => Array.from(item.pixels))
    )
    const npz = await studio.exportNpz()
    expect(npz.bytes).toBeInstanceOf(Uint8Array)
    expect(Array.from(npz.bytes.subarray(0, 4))).toEqual([0x50, 0x4b, 0x03, 0x04])
  })

  it('imports a model file of more than a megabyte over the socket', async () => {
    const studio = pageClient(server)
    const wide = {
      ...PRESETS.seed.config,
      architecture: denseNet([300])
    }
    await host.resetTraining(wide)
    const file = await host.exportModel()
    expect(file.text.length).toBeGreaterThan(1_000_000)
    await host.resetTraining(PRESETS.seed.config)
    const loaded = await studio.importModel(file.text, file.fileName)
    expect(loaded).toMatchObject({
      source: 'loaded',
      fileName: file.fileName,
      architecture: wide.architecture
    })
    await expect(studio.importModel('{"format":"something else"}', 'x.json')).rejects.toThrow(
      /not a Backprop Studio model file/
    )
  })

  it('answers malformed messages with an error, and closes on binary frames', async () => {
    const socket = new WebSocket(socketUrl, { origin: `http://127.0.0.1:${server.port}` })
    await new Promise((resolve) => socket.once('open', resolve))
    const replies: unknown[] = []
    socket.on('message', (data: Buffer) => {
      const message = decodeWire(data.toString()) as { type: string }
      if (message.type === 'reply') replies.push(message)
    })
    const nextReply = async (): Promise<unknown> => {
      while (replies.length === 0) await new Promise((resolve) => setTimeout(resolve, 10))
      return replies.shift()
    }
    socket.send('{not json')
    expect(await nextReply()).toMatchObject({ id: -1, ok: false })
    socket.send(JSON.stringify({ id: 7, method: 'fs:readFile', params: ['/etc/passwd'] }))
    expect(await nextReply()).toMatchObject({
      id: 7,
      ok: false,
      message: expect.stringMatching(/^request\.method: /)
    })
    socket.send(encodeWire({ id: 8, method: Channel.Predict, params: [new Float32Array(3)] }))
    expect(await nextReply()).toMatchObject({
      id: 8,
      ok: false,
      message: expect.stringMatching(/784 values/)
    })
    const closed = new Promise<number>((resolve) => socket.once('close', resolve))
    socket.send(Buffer.from([1, 2, 3]), { binary: true })
    expect(await closed).toBe(1003)
  })
})

describe('the page client when the connection fails', () => {
  /** A studio whose calls never answer, so that a call is still waiting when the server goes away. */
  const never = (): Promise<never> => new Promise(() => undefined)
  const silentStudio = new Proxy(
    { onTrainingEvent: () => () => undefined },
    { get: (target, key) => (key in target ? target[key as keyof typeof target] : never) }
  ) as unknown as SocketStudio

  it('rejects a call without the token with a clear error', async () => {
    const server = await startWebServer({ studio: silentStudio, rendererDir: await fakeRenderer() })
    try {
      await expect(pageClient(server, '').getInfo()).rejects.toThrow(
        /Cannot connect to Backprop Studio.*\?token=/
      )
    } finally {
      await server.close()
    }
  })

  it('rejects waiting calls and reports a failed event when the server goes away', async () => {
    const server = await startWebServer({ studio: silentStudio, rendererDir: await fakeRenderer() })
    const studio = pageClient(server)
    const events: TrainingEvent[] = []
    studio.onTrainingEvent((event) => events.push(event))
    const waiting = studio.getInfo()
    const rejected = expect(waiting).rejects.toThrow(/Lost the connection to Backprop Studio/)
    await new Promise((resolve) => setTimeout(resolve, 200)) // sent, never answered
    await server.close()
    await rejected
    expect(events).toEqual([
      { type: 'failed', message: expect.stringMatching(/Lost the connection/), step: null }
    ])
    await expect(studio.getInfo()).rejects.toThrow(/Cannot connect to Backprop Studio/)
  })
})
