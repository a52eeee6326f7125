// A recorded run opened after a restart, in a real Chromium through browser mode (issue 18: "kept
// with the run record, so a finished run can still be explored after a restart"): train the seed
// preset, close the studio and start it again on the same data folder, open the run from Runs ("Open
// in Train"), scrub to an early step (other weights, worse probe predictions than at its end), fork
// from there with a lower learning rate, and find the child under its parent in Runs.

import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeWithChromium, launchBrowser, startStudio, type RunningStudio } from './harness'
import { openStudio, SHOTS, trainBriefly, trainingStatus } from './studio-page'
import { firstTile, probesRight } from './time-travel-page'

/** The rows of Runs' table (each has a Compare box). */
const runRows = (page: Page) =>
  page.getByRole('row').filter({ has: page.getByRole('checkbox', { name: /^Compare / }) })

/** Screenshots at 1280×800 and 900×600 with `region` (by its accessible name) scrolled into view. */
async function shoot(page: Page, name: string, region: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true })
  for (const viewport of [
    { width: 1280, height: 800 },
    { width: 900, height: 600 }
  ]) {
    await page.setViewportSize(viewport)
    await page.mouse.move(viewport.width - 5, viewport.height - 5) // no tooltip in the picture
    await page
      .getByRole('region', { name: region, exact: true })
      .evaluate((el) => el.scrollIntoView({ block: 'start' }))
    await page.evaluate(
      () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))
    )
    await page.screenshot({ path: join(SHOTS, `${name}-${viewport.width}x${viewport.height}.png`) })
  }
  await page.setViewportSize({ width: 1280, height: 800 })
}

describeWithChromium('a recorded run opened after a restart', () => {
  let browser: Browser
  let studio: RunningStudio
  const problems: string[] = []

  beforeAll(async () => {
    browser = await launchBrowser()
  })

  afterAll(async () => {
    await browser?.close()
    await studio?.close()
  })

  it('opens the run from Runs, scrubs it to an early step, and forks it with a lower learning rate', async () => {
    // The first session: one run of the seed preset, recorded with its checkpoints, then closed.
    const first = await startStudio({ keepData: true })
    try {
      const page = await openStudio(browser, first, problems)
      await trainBriefly(page, { batches: 100 })
      await page.close()
    } finally {
      await first.close()
    }
    studio = await startStudio({ dataDir: first.dataDir }) // as after a restart

    const page = await openStudio(browser, studio, problems)
    const travel = page.getByRole('region', { name: 'Time travel' })
    await expect(
      travel.getByRole('slider', { name: 'Time travel: step' }).isDisabled()
    ).resolves.toBe(true) // a fresh studio shows no run
    await page.getByRole('tab', { name: 'Runs' }).click()
    await expect.poll(() => runRows(page).count(), { timeout: 30_000 }).toBe(1)
    const name = (await runRows(page).first().locator('td').nth(1).getAttribute('title')) ?? ''
    const open = page.getByRole('button', { name: `Open in Train: ${name}` })
    await expect.poll(() => open.getAttribute('aria-disabled')).toBe('false')
    await shoot(page, 'open-recorded-run-runs', 'Run history')
    await open.click()

    // Train shows it as recorded: its banner, its curves, read-only settings, its end on the cursor.
    const banner = page.getByRole('note', { name: 'Recorded run' })
    await expect(banner.innerText()).resolves.toMatch(
      /Viewing recorded run “.+” · completed at step 100/
    )
    await travel.getByText('End of the run · step 100').waitFor()
    await expect(trainingStatus(page).innerText()).resolves.toMatch(/Finished/)
    await expect(page.getByRole('textbox', { name: 'Learning rate' }).isDisabled()).resolves.toBe(
      true
    )
    await expect(page.getByRole('button', { name: 'Resume' }).count()).resolves.toBe(0)
    await expect(page.getByRole('button', { name: 'Stop' }).isDisabled()).resolves.toBe(true)
    await page.getByRole('img', { name: 'Loss chart' }).waitFor()
    const endRight = await probesRight(page, 100)
    const endTile = await firstTile(page)

    // Scrub with the keyboard on the chart's cursor: Home, then five steps right.
    const chartCursor = page.getByRole('slider', { name: 'Time travel cursor on the Loss chart' })
    await expect(chartCursor.getAttribute('aria-valuetext')).resolves.toBe('step 100')
    await chartCursor.focus()
    await page.keyboard.press('Home')
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight')
    await travel.getByText('At step 5 of 100').waitFor()
    const earlyRight = await probesRight(page, 5)
    expect(earlyRight).toBeLessThan(endRight)
    await expect.poll(() => firstTile(page)).not.toBe(endTile) // early weights, not the end's
    await shoot(page, 'open-recorded-run-step-5', 'Time travel')
    await shoot(page, 'open-recorded-run-train', 'Run')

    // Fork from step 5 with a lower learning rate: a new run, the recorded view gone.
    await travel.getByRole('button', { name: 'Fork from step 5' }).click()
    const form = page.getByRole('form', { name: 'Fork from step 5' })
    await form.getByRole('spinbutton', { name: 'Learning rate' }).fill('0.003')
    await form.getByRole('button', { name: 'Start fork' }).click()
    await expect
      .poll(() => trainingStatus(page).innerText(), { timeout: 120_000 })
      .toMatch(/Finished/)
    await expect(banner.count()).resolves.toBe(0)
    await expect(page.getByRole('textbox', { name: 'Learning rate' }).isDisabled()).resolves.toBe(
      false
    )

    await page.getByRole('tab', { name: 'Runs' }).click()
    await expect.poll(() => runRows(page).count(), { timeout: 30_000 }).toBe(2)
    const forkRow = runRows(page).nth(1) // under its parent
    await expect(forkRow.getByText(/fork at step 5 of /).isVisible()).resolves.toBe(true)
    await expect(forkRow.innerText()).resolves.toMatch(/0\.003/)
    expect(problems).toEqual([])
  }, 420_000)
})
