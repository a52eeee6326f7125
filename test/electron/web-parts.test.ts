// Browser mode's pure parts: the wire format, the access gate, static files, and the command line.

import { mkdtemp, mkdir, readFile, symlink, writeFile } from 'node:fs/promises'
import type { IncomingMessage } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { contentSecurityPolicy } from '../../electron/security/csp'
import { AccessGate } from '../../electron/web/access'
import { parseWebArgs } from '../../electron/web/args'
import { contentTypeFor, readStaticFile } from '../../electron/web/static-files'
import { decodeWire, encodeWire } from '../../electron/web/wire'
import { REPO_ROOT } from './support/paths'

describe('wire format', () => {
  it('carries Float32Arrays through JSON bit for bit, wherever they are nested', () => {
    const data = new Float32Array([0, -1.5, 3.4e38, Number.NaN, Number.POSITIVE_INFINITY, 1e-45])
    const text = encodeWire({
      type: 'event',
      event: {
        type: 'weights',
        snapshot: { layer: 'dense1.weight', step: 3, rows: 2, cols: 3, rowsAre: 'units', data }
      }
    })
    const decoded = decodeWire(text) as {
      event: { snapshot: { data: Float32Array; step: number } }
    }
    expect(decoded.event.snapshot.step).toBe(3)
    expect(decoded.event.snapshot.data).toBeInstanceOf(Float32Array)
    expect(new Uint8Array(decoded.event.snapshot.data.buffer)).toEqual(new Uint8Array(data.buffer))
  })

  it('encodes a view, not its whole buffer', () => {
    const view = new Float32Array([1, 2, 3, 4]).subarray(1, 3)
    const decoded = decodeWire(encodeWire({ id: 1, method: 'model:predict', params: [view] })) as {
      params: Float32Array[]
    }
    expect(decoded.params[0]).toEqual(new Float32Array([2, 3]))
  })

  it('carries Uint8Arrays (test-image pixels, file bytes) too, Node Buffers included', () => {
    const pixels = new Uint8Array([0, 1, 128, 255])
    const bytes = Buffer.from([0x50, 0x4b, 0x03, 0x04])
    const text = encodeWire({
      type: 'reply',
      id: 4,
      ok: true,
      result: {
        items: [{ index: 7, pixels }],
        file: { fileName: 'w.npz', bytes },
        weights: new Float32Array([0.5])
      }
    })
    const { result } = decodeWire(text) as {
      result: {
        items: { pixels: Uint8Array }[]
        file: { bytes: Uint8Array }
        weights: Float32Array
      }
    }
    expect(result.items[0].pixels).toBeInstanceOf(Uint8Array)
    expect(result.items[0].pixels).toEqual(pixels)
    expect(Array.from(result.file.bytes)).toEqual([0x50, 0x4b, 0x03, 0x04])
    expect(result.weights).toEqual(new Float32Array([0.5]))
    expect(decodeWire('{"$uint8":"not base64!"}')).toEqual({ $uint8: 'not base64!' })
  })

  it('leaves malformed tags alone for validation to reject', () => {
    expect(decodeWire('{"$float32":"not base64!"}')).toEqual({ $float32: 'not base64!' })
    expect(decodeWire('{"$float32":"AAA="}')).toEqual({ $float32: 'AAA=' }) // 2 bytes: not whole floats
    expect(decodeWire('{"$float32":"AAAAAA==","x":1}')).toEqual({ $float32: 'AAAAAA==', x: 1 })
    expect(() => decodeWire('{oops')).toThrow(SyntaxError)
  })
})

describe('AccessGate', () => {
  const gate = new AccessGate('a'.repeat(64), 4321)
  const request = (headers: Record<string, string>): IncomingMessage =>
    ({ headers }) as unknown as IncomingMessage
  const url = (path: string): URL => new URL(path, 'http://127.0.0.1')

  it('admits the token in the URL or in its own cookie, on our Host only', () => {
    const host = { host: '127.0.0.1:4321' }
    expect(gate.requestAllowed(request(host), url(`/?token=${'a'.repeat(64)}`))).toBe(true)
    expect(gate.requestAllowed(request(host), url('/?token=wrong'))).toBe(false)
    expect(gate.requestAllowed(request(host), url('/'))).toBe(false)
    expect(
      gate.requestAllowed(
        request({ ...host, cookie: `x=1; ${gate.sessionCookie().split(';')[0]}` }),
        url('/assets/a.js')
      )
    ).toBe(true)
    expect(
      gate.requestAllowed(
        request({ ...host, cookie: `backprop_studio_9999=${'a'.repeat(64)}` }),
        url('/')
      )
    ).toBe(false)
    expect(
      gate.requestAllowed(request({ host: 'evil.example:4321' }), url(`/?token=${'a'.repeat(64)}`))
    ).toBe(false)
  })

  it('sets an HttpOnly, SameSite=Strict cookie', () => {
    expect(gate.sessionCookie()).toMatch(
      /^backprop_studio_4321=a{64}; HttpOnly; SameSite=Strict; Path=\/$/
    )
  })

  it('admits a WebSocket only from our own Origin, with the token', () => {
    const token = `/studio?token=${'a'.repeat(64)}`
    const ours = { host: '127.0.0.1:4321', origin: 'http://127.0.0.1:4321' }
    expect(gate.upgradeAllowed(request(ours), url(token))).toBe(true)
    expect(gate.upgradeAllowed(request(ours), url('/studio'))).toBe(false)
    expect(
      gate.upgradeAllowed(request({ ...ours, origin: 'http://evil.example' }), url(token))
    ).toBe(false)
    expect(gate.upgradeAllowed(request({ host: '127.0.0.1:4321' }), url(token))).toBe(false)
  })
})

describe('static files', () => {
  it('serves files inside the renderer folder only, with their content type', async () => {
    const root = await mkdtemp(join(tmpdir(), 'studio-static-'))
    await mkdir(join(root, 'assets'))
    await writeFile(join(root, 'index.html'), '<!doctype html>')
    await writeFile(join(root, 'assets', 'app.js'), 'export {}')
    await writeFile(join(root, '..', 'studio-secret.txt'), 'secret').catch(() => undefined)

    expect((await readStaticFile(root, '/'))?.contentType).toBe('text/html; charset=utf-8')
    expect((await readStaticFile(root, '/assets/app.js'))?.body.toString()).toBe('export {}')
    for (const escape of [
      '/../studio-secret.txt',
      '/%2e%2e/studio-secret.txt',
      '/..%2fstudio-secret.txt',
      '/assets/../../studio-secret.txt',
      '/%00',
      '/%E0%A4%A',
      '/assets'
    ]) {
      expect(await readStaticFile(root, escape)).toBeNull()
    }
  })

  it('does not follow a symbolic link out of the folder, but serves one that stays inside', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'studio-outside-'))
    await writeFile(join(outside, 'secret.txt'), 'secret')
    const root = await mkdtemp(join(tmpdir(), 'studio-static-'))
    await writeFile(join(root, 'index.html'), '<!doctype html>')
    await symlink(join(outside, 'secret.txt'), join(root, 'leak.txt'))
    await symlink(outside, join(root, 'assets'))
    await symlink(join(root, 'index.html'), join(root, 'home.html'))
    expect(await readStaticFile(root, '/leak.txt')).toBeNull()
    expect(await readStaticFile(root, '/assets/secret.txt')).toBeNull()
    expect((await readStaticFile(root, '/home.html'))?.body.toString()).toBe('<!doctype html>')
  })

  it('knows the content types the renderer uses', () => {
    expect(contentTypeFor('a.js')).toBe('text/javascript; charset=utf-8')
    expect(contentTypeFor('a.CSS')).toBe('text/css; charset=utf-8')
    expect(contentTypeFor('a.svg')).toBe('image/svg+xml')
    expect(contentTypeFor('a.woff2')).toBe('font/woff2')
    expect(contentTypeFor('a.unknown')).toBe('application/octet-stream')
  })
})

describe('command line', () => {
  it('parses --port and --no-open', () => {
    expect(parseWebArgs([])).toEqual({ port: 0, open: true })
    expect(parseWebArgs(['--no-open', '--port', '8080'])).toEqual({ port: 8080, open: false })
    expect(parseWebArgs(['--port=0'])).toEqual({ port: 0, open: true })
    expect(() => parseWebArgs(['--port'])).toThrow(/--port must be/)
    expect(() => parseWebArgs(['--port', '70000'])).toThrow(/--port must be/)
    expect(() => parseWebArgs(['--port', 'abc'])).toThrow(/--port must be/)
    expect(() => parseWebArgs(['--open-sesame'])).toThrow(/unknown option/)
  })
})

describe('Content-Security-Policy', () => {
  it("forbids inline and eval'd scripts, plugins, frames and foreign connections", () => {
    const policy = contentSecurityPolicy()
    expect(policy).toContain("default-src 'none'")
    expect(policy).toContain("script-src 'self';")
    expect(policy).not.toMatch(/script-src[^;]*unsafe/)
    expect(policy).toContain("object-src 'none'")
    expect(policy).toContain("frame-ancestors 'none'")
    expect(contentSecurityPolicy(['ws://127.0.0.1:1234'])).toContain(
      "connect-src 'self' ws://127.0.0.1:1234;"
    )
  })

  it('is repeated in renderer/index.html (file:// pages get no headers), minus what a meta tag cannot carry', async () => {
    const html = await readFile(join(REPO_ROOT, 'renderer/index.html'), 'utf8')
    const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1]
    const headerWithoutFrameAncestors = contentSecurityPolicy()
      .split('; ')
      .filter((directive) => !directive.startsWith('frame-ancestors'))
      .join('; ')
    expect(meta).toBe(headerWithoutFrameAncestors)
  })
})
