// Browser mode in a real Chromium: without the token the page is refused (and says so); with it the
// app loads under the Content-Security-Policy with no violation.

import type { ConsoleMessage } from 'playwright-core'
import { expect, it } from 'vitest'
import { PATIENTLY } from '../helpers/waits'
import { screenshotPath } from './harness'
import { describeStudio } from './studio-session'

describeStudio('browser mode access', (session) => {
  it('prints exactly one line: the link with its token', () => {
    expect(session.studio.stdoutLines).toEqual([
      `Backprop Studio running at http://127.0.0.1:${session.studio.port}/?token=${session.studio.token}`
    ])
    expect(session.studio.token).toMatch(/^[0-9a-f]{64}$/)
  })

  it('refuses a connection without the token with a clear page, not the app', async () => {
    const page = await session.browser.newPage()
    for (const url of [`${session.studio.origin}/`, `${session.studio.origin}/?token=guess`]) {
      const response = await page.goto(url)
      expect(response?.status()).toBe(403)
      await expect(page.getByRole('heading', { name: 'Access refused' }).isVisible()).resolves.toBe(
        true
      )
      expect(await page.getByText('?token=').count()).toBeGreaterThan(0)
      expect(await page.locator('#app').count()).toBe(0)
    }
    await page.screenshot({ path: screenshotPath('access-refused') })
    await page.close()
  })

  it('loads the app with the token, under the CSP, without violations or page errors', async () => {
    const page = await session.browser.newPage()
    const problems: string[] = []
    const sockets: string[] = []
    page.on('console', (message: ConsoleMessage) => {
      if (message.type() === 'error') problems.push(message.text())
    })
    page.on('pageerror', (error) => problems.push(error.message))
    page.on('websocket', (socket) => sockets.push(socket.url()))
    const response = await page.goto(session.studio.url)
    expect(response?.status()).toBe(200)
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'")
    await page.locator('#app > *').first().waitFor(PATIENTLY) // Vue mounted the app
    await expect.poll(() => sockets.length).toBeGreaterThan(0)
    expect(sockets[0]).toBe(
      `ws://127.0.0.1:${session.studio.port}/studio?token=${session.studio.token}`
    )
    await page.waitForTimeout(1_000)
    expect(problems).toEqual([])
    await page.screenshot({ path: screenshotPath('access-granted') })

    // The policy is really in force: an injected inline script does not run.
    const injectedRan = await page.evaluate(async () => {
      const script = document.createElement('script')
      script.textContent = 'document.body.dataset.injected = "yes"'
      document.body.append(script)
      await new Promise((resolve) => setTimeout(resolve, 100))
      return document.body.dataset.injected === 'yes'
    })
    expect(injectedRan).toBe(false)
    await page.close()
  })
})
