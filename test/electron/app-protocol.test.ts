// The desktop window's page comes from app://studio/, not file://: the built renderer folder only,
// with browser mode's headers and confinement; a packaged app has no DevTools. `electron` is mocked
// (its binary cannot run here); what it is handed is checked.

import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { answerAppRequest, APP_PAGE_URL } from '../../electron/main/app-request'
import { isTrustedSenderUrl } from '../../electron/main/trusted-sender'
import { contentSecurityPolicy } from '../../electron/security/csp'
import { pageHeaders } from '../../electron/security/page-headers'

const electron = vi.hoisted(() => ({
  privileged: [] as unknown[],
  handlers: new Map<string, (request: { method: string; url: string }) => Promise<Response>>(),
  windowOptions: [] as { icon?: string; webPreferences: Record<string, unknown> }[],
  buildFromTemplate: vi.fn((template: unknown) => ({ template }))
}))

vi.mock('electron', () => ({
  protocol: {
    registerSchemesAsPrivileged: (schemes: unknown[]) => electron.privileged.push(...schemes),
    handle: (scheme: string, handler: never) => electron.handlers.set(scheme, handler)
  },
  Menu: { buildFromTemplate: electron.buildFromTemplate },
  shell: { openExternal: vi.fn() },
  BrowserWindow: class {
    constructor(options: never) {
      electron.windowOptions.push(options)
    }
    once(): void {}
    loadURL(): Promise<void> {
      return Promise.resolve()
    }
  }
}))

const CSP = contentSecurityPolicy()
let root: string
let outside: string

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'studio-app-'))
  outside = await mkdtemp(join(tmpdir(), 'studio-outside-'))
  await mkdir(join(root, 'assets'))
  await writeFile(join(root, 'index.html'), '<!doctype html><title>studio</title>')
  await writeFile(join(root, 'assets', 'app.js'), 'export {}')
  await writeFile(join(outside, 'secret.txt'), 'PRIVATE CONTENT')
  await symlink(join(outside, 'secret.txt'), join(root, 'assets', 'leak.js'))
})

describe('answerAppRequest', () => {
  it('serves the page and its files with the page headers and their content type', async () => {
    const page = await answerAppRequest('GET', APP_PAGE_URL, root, CSP)
    expect(page.status).toBe(200)
    expect(page.headers).toEqual({
      ...pageHeaders(CSP),
      'Content-Type': 'text/html; charset=utf-8'
    })
    expect(String(page.body)).toContain('<title>studio</title>')
    const script = await answerAppRequest('GET', 'app://studio/assets/app.js?v=1', root, CSP)
    expect(script.headers['Content-Type']).toBe('text/javascript; charset=utf-8')
    expect((await answerAppRequest('HEAD', APP_PAGE_URL, root, CSP)).body).toBeNull()
  })

  it('answers 404 outside the folder, through a symbolic link out of it, and on another host', async () => {
    for (const url of [
      'app://studio/../secret.txt',
      'app://studio/%2e%2e/%2e%2e/etc/passwd',
      'app://studio/assets/leak.js',
      'app://studio/assets',
      'app://studio/missing.js',
      'app://evil/index.html',
      'app:///index.html',
      'file:///etc/passwd'
    ]) {
      const answer = await answerAppRequest('GET', url, root, CSP)
      expect(answer.status, url).toBe(404)
      expect(String(answer.body)).not.toContain('PRIVATE CONTENT')
      expect(answer.headers['Content-Security-Policy']).toBe(CSP)
    }
  })

  it('allows only GET and HEAD', async () => {
    const answer = await answerAppRequest('POST', APP_PAGE_URL, root, CSP)
    expect(answer).toMatchObject({ status: 405, headers: { Allow: 'GET, HEAD' } })
  })
})

describe('the app:// scheme in Electron', () => {
  it('is standard and secure, without CORS or CSP bypass, and is served by answerAppRequest', async () => {
    const { registerAppScheme, serveAppScheme } = await import('../../electron/main/app-protocol')
    registerAppScheme()
    expect(electron.privileged).toEqual([
      {
        scheme: 'app',
        privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true }
      }
    ])
    serveAppScheme(root, CSP)
    const response = await electron.handlers.get('app')!({ method: 'GET', url: APP_PAGE_URL })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-security-policy')).toBe(CSP)
    expect(await response.text()).toContain('<title>studio</title>')
    const leak = await electron.handlers.get('app')!({
      method: 'GET',
      url: 'app://studio/assets/leak.js'
    })
    expect(leak.status).toBe(404)
  })

  it('trusts IPC only from app://studio pages: app:// URLs all share the opaque origin "null"', () => {
    expect(new URL(APP_PAGE_URL).origin).toBe('null') // why origins cannot be compared here
    expect(isTrustedSenderUrl('app://studio/index.html#/train', APP_PAGE_URL)).toBe(true)
    expect(isTrustedSenderUrl('app://studio/', APP_PAGE_URL)).toBe(true)
    expect(isTrustedSenderUrl('app://evil/index.html', APP_PAGE_URL)).toBe(false)
    expect(isTrustedSenderUrl('other://studio/index.html', APP_PAGE_URL)).toBe(false)
    expect(isTrustedSenderUrl('file:///app/out/renderer/index.html', APP_PAGE_URL)).toBe(false)
    expect(isTrustedSenderUrl('https://studio/index.html', APP_PAGE_URL)).toBe(false)
  })
})

describe('a packaged build', () => {
  type Item = { role?: string; label?: string; submenu?: Item[] }
  const viewRoles = async (devTools: boolean): Promise<(string | undefined)[]> => {
    const { buildApplicationMenu } = await import('../../electron/main/menu')
    const { template } = buildApplicationMenu(vi.fn(), vi.fn(), { devTools }) as unknown as {
      template: Item[]
    }
    return template.find((item) => item.label === 'View')!.submenu!.map((item) => item.role)
  }

  it('has no Toggle Developer Tools in its menu (nor its shortcut, which comes with the role)', async () => {
    expect(await viewRoles(true)).toContain('toggleDevTools')
    expect(await viewRoles(false)).not.toContain('toggleDevTools')
    expect(await viewRoles(false)).toContain('reload')
  })

  it('opens its window without DevTools, with the app icon', async () => {
    const { createMainWindow } = await import('../../electron/main/window')
    createMainWindow(APP_PAGE_URL, '/app/preload.js', null, {
      iconPath: '/app/resources/icon.png',
      devTools: false
    })
    const options = electron.windowOptions.at(-1)!
    expect(options.icon).toBe('/app/resources/icon.png')
    expect(options.webPreferences).toMatchObject({ devTools: false, sandbox: true })
    createMainWindow(APP_PAGE_URL, '/app/preload.js')
    expect(electron.windowOptions.at(-1)!.webPreferences.devTools).toBe(true) // a development build
  })
})
