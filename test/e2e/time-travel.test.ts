// Time travel in a real Chromium through browser mode (issue 18): train the seed preset, scrub back to
// an early step (its weights differ from the live ones, its probe digits are predicted worse), fork
// from there with a lower learning rate, and find both runs in Runs, the fork under its parent.

import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { expect, it } from 'vitest'
import { SHOTS, trainBriefly, trainingStatus } from './studio-page'
import { describeStudio } from './studio-session'

describeStudio('time travel', ({ openStudio, problems }) => {
  /** The first weight tile as drawn: a stand-in for "these are the weights on screen". */
  const firstTile = (page: Page) =>
    page
      .getByRole('region', { name: 'First-layer weights' })
      .locator('canvas')
      .first()
      .evaluate((canvas: HTMLCanvasElement) => canvas.toDataURL())
  const probesRight = async (page: Page, step: number) => {
    const heading = page
      .getByRole('region', { name: `Network at step ${step}` })
      .getByText(/Probe digits: \d+ of 10 right/)
    await heading.waitFor({ timeout: 30_000 })
    return Number(/(\d+) of 10/.exec(await heading.innerText())![1])
  }
  const shoot = async (page: Page, name: string) => {
    mkdirSync(SHOTS, { recursive: true })
    for (const viewport of [
      { width: 1280, height: 800 },
      { width: 900, height: 600 }
    ]) {
      await page.setViewportSize(viewport)
      await page.evaluate(
        () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))
      )
      await page
        .getByRole('region', { name: 'Time travel' })
        .evaluate((el) => el.scrollIntoView({ block: 'start' }))
      await page.screenshot({
        path: join(SHOTS, `${name}-${viewport.width}x${viewport.height}.png`)
      })
    }
    await page.setViewportSize({ width: 1280, height: 800 })
  }

  it('scrubs to an early step, forks from it with a lower learning rate, and Runs shows the family', async () => {
    const page = await openStudio()
    await trainBriefly(page, { batches: 100 })
    const liveTile = await firstTile(page)
    const travel = page.getByRole('region', { name: 'Time travel' })
    await travel.getByText('Live', { exact: true }).waitFor()

    // The keyboard moves the cursor: End is the last step, Home the first, arrows one step.
    const cursor = page.getByRole('slider', { name: 'Time travel: step' })
    await cursor.focus()
    await page.keyboard.press('Home') // live sits at the last step already: Home, then End
    await page.keyboard.press('End')
    const lateRight = await probesRight(page, 100)
    await page.keyboard.press('Home')
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight')
    await travel.getByText('At step 5 of 100').waitFor()
    const earlyRight = await probesRight(page, 5)
    expect(earlyRight).toBeLessThan(lateRight)
    await expect
      .poll(() =>
        page
          .getByRole('region', { name: 'First-layer weights' })
          .getByText(/step 5\b/)
          .count()
      )
      .toBeGreaterThan(0)
    expect(await firstTile(page)).not.toBe(liveTile) // early weights, not the live ones
    await expect(
      page.getByText(/Confusion on the first 1,000 test images/).isVisible()
    ).resolves.toBe(true)
    await shoot(page, 'time-travel-step-5')

    // Back to live, then to step 5 again, and fork from there with a lower learning rate.
    await travel.getByRole('button', { name: 'Back to live' }).click()
    await travel.getByText('Live', { exact: true }).waitFor()
    expect(await firstTile(page)).toBe(liveTile)
    await cursor.focus()
    await page.keyboard.press('Home')
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight')
    await travel.getByRole('button', { name: 'Fork from step 5' }).click()
    const form = page.getByRole('form', { name: 'Fork from step 5' })
    await form.getByRole('spinbutton', { name: 'Learning rate' }).fill('0.003')
    await shoot(page, 'time-travel-fork-form')
    await form.getByRole('button', { name: 'Start fork' }).click()
    await expect
      .poll(() => trainingStatus(page).innerText(), { timeout: 120_000 })
      .toMatch(/Finished/)

    await page.getByRole('tab', { name: 'Runs' }).click()
    const rows = page
      .getByRole('row')
      .filter({ has: page.getByRole('checkbox', { name: /^Compare / }) })
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(2)
    const forkRow = rows.nth(1) // under its parent
    await expect(forkRow.getByText(/fork at step 5 of /).isVisible()).resolves.toBe(true)
    await expect(forkRow.innerText()).resolves.toMatch(/0\.003/)
    await expect(page.getByText(/Time travel data: [\d.]+ MB/).isVisible()).resolves.toBe(true)
    for (const name of await rows.evaluateAll((trs) =>
      trs.map((tr) => (tr as HTMLTableRowElement).cells[1].getAttribute('title') ?? '')
    ))
      await page.getByRole('checkbox', { name: `Compare ${name}` }).check()
    await page.getByRole('img', { name: 'Loss chart' }).waitFor({ timeout: 30_000 })
    mkdirSync(SHOTS, { recursive: true })
    for (const viewport of [
      { width: 1280, height: 800 },
      { width: 900, height: 600 }
    ]) {
      await page.setViewportSize(viewport)
      await page.screenshot({
        path: join(SHOTS, `time-travel-runs-${viewport.width}x${viewport.height}.png`)
      })
    }
    expect(problems).toEqual([])
  }, 300_000)
})
