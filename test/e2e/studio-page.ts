// Shared steps of the Evaluate and Runs end-to-end tests: open the studio, train a short run from the
// Train view, and take the screenshots (light and dark, 1280×800 and 1024×700) to look at.

import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { expect } from 'vitest'
import { PATIENT_WAIT_MS, PATIENTLY } from '../helpers/waits'
import { REPO_ROOT, type RunningStudio } from './harness'

export const SHOTS = join(REPO_ROOT, 'test-results', 'screenshots')

/** A new page on the studio; page errors and console errors are collected into `problems`. */
export async function openStudio(
  browser: Browser,
  studio: RunningStudio,
  problems: string[],
  viewport = { width: 1280, height: 800 }
): Promise<Page> {
  const page = await browser.newPage({ viewport, colorScheme: 'light', acceptDownloads: true })
  page.setDefaultTimeout(PATIENT_WAIT_MS) // every wait and action on it (see test/helpers/waits.ts)
  page.on('pageerror', (error) => problems.push(error.message))
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text())
  })
  await page.goto(studio.url)
  await page.getByRole('button', { name: 'Start' }).waitFor(PATIENTLY)
  return page
}

export const trainingStatus = (page: Page) => page.getByRole('status', { name: 'Training status' })

/** From the Train view: a run of `batches` batches at `learningRate`, waited for until it finishes. */
export async function trainBriefly(
  page: Page,
  { batches, learningRate = '0.03' }: { batches: number; learningRate?: string }
): Promise<void> {
  await page.getByRole('tab', { name: 'Train' }).click()
  await page.getByRole('textbox', { name: 'Learning rate' }).fill(learningRate)
  await page.getByRole('textbox', { name: 'Batches per epoch' }).fill(String(batches))
  await expect
    .poll(() => page.getByRole('button', { name: 'Start' }).isEnabled(), PATIENTLY)
    .toBe(true)
  await page.getByRole('button', { name: 'Start' }).click()
  await expect
    .poll(() => trainingStatus(page).innerText(), { timeout: 120_000 })
    .toMatch(/Finished/)
}

/** "91.23%" → 0.9123. */
export function percentOf(text: string): number {
  const match = /(\d+(?:\.\d+)?)%/.exec(text)
  if (!match) throw new Error(`no percentage in ${JSON.stringify(text)}`)
  return Number(match[1]) / 100
}

/**
 * The page in both system themes at both sizes, as test-results/screenshots/NAME-THEME-WxH.png;
 * `anchor` (a selector) is scrolled to the top first, for a part further down the view.
 */
export async function screenshots(page: Page, name: string, anchor?: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true })
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur()) // no focus ring or help bubble
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme })
    for (const viewport of [
      { width: 1280, height: 800 },
      { width: 1024, height: 700 }
    ]) {
      await page.setViewportSize(viewport)
      await page.mouse.move(viewport.width - 10, viewport.height - 10) // no tooltip in the picture
      if (anchor) await page.locator(anchor).evaluate((el) => el.scrollIntoView({ block: 'start' }))
      await page.evaluate(
        () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))
      ) // chart.js resizes on a frame
      await page.screenshot({
        path: join(SHOTS, `${name}-${colorScheme}-${viewport.width}x${viewport.height}.png`)
      })
    }
  }
  await page.emulateMedia({ colorScheme: 'light' })
  await page.setViewportSize({ width: 1280, height: 800 })
}
