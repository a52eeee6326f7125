// The set-up every end-to-end file shares: the built studio in browser mode and one Chromium,
// started before the file's tests and closed after them; the pages' errors gathered in one list.

import { mkdirSync } from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll } from 'vitest'
import { describeWithChromium, launchBrowser, startStudio, type RunningStudio } from './harness'
import { openStudio, SHOTS } from './studio-page'

export interface StudioSession {
  /** The running studio (its link, token, data folder); read it inside a test or hook. */
  readonly studio: RunningStudio
  /** The one Chromium of this file; read it inside a test or hook. */
  readonly browser: Browser
  /** Page errors and console errors of every page opened with `openStudio`; tests expect it empty. */
  readonly problems: string[]
  /** A new page on the studio, its Start button shown (see studio-page.ts). */
  openStudio(viewport?: { width: number; height: number }): Promise<Page>
}

/**
 * `describe` for a file of end-to-end tests: starts the studio and Chromium before its tests and
 * closes both after them; skipped loudly, or failed under CI, without Chromium
 * (`describeWithChromium`). A `beforeAll` in `body` runs after the studio has started (vitest runs
 * hooks in the order they are declared), so it may open pages, e.g. to train once for all the
 * file's tests.
 */
export function describeStudio(name: string, body: (session: StudioSession) => void): void {
  describeWithChromium(name, () => {
    let studio: RunningStudio | undefined
    let browser: Browser | undefined
    const problems: string[] = []

    beforeAll(async () => {
      mkdirSync(SHOTS, { recursive: true })
      studio = await startStudio()
      browser = await launchBrowser()
    })

    afterAll(async () => {
      await browser?.close()
      await studio?.close()
    })

    const started = <T>(value: T | undefined, what: string): T => {
      if (value === undefined)
        throw new Error(`${what} is not started yet: use it inside a test or hook`)
      return value
    }
    body({
      get studio() {
        return started(studio, 'the studio')
      },
      get browser() {
        return started(browser, 'Chromium')
      },
      problems,
      openStudio: (viewport) =>
        openStudio(started(browser, 'Chromium'), started(studio, 'the studio'), problems, viewport)
    })
  })
}
