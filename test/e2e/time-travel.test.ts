// Time travel in a real Chromium through browser mode (issue 18): train the seed preset, drag the
// cursor on the loss chart back to an early step and move it with the keyboard (its weights differ
// from the live ones, its probe digits are predicted worse, the health panel shows that step's
// sample), fork from there with a lower learning rate, and find both runs in Runs, the fork under its
// parent. A conv net's feature maps follow the cursor.

import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { expect, it } from 'vitest'
import { SHOTS, trainBriefly, trainingStatus } from './studio-page'
import { describeStudio } from './studio-session'
import { firstTile, probesRight } from './time-travel-page'

/** The time-travel cursor's handle on a chart ('Loss' or 'Accuracy'). */
const chartCursor = (page: Page, chart: string) =>
  page.getByRole('slider', { name: `Time travel cursor on the ${chart} chart` })
const cursorStep = async (page: Page, chart: string) =>
  Number(await chartCursor(page, chart).getAttribute('aria-valuenow'))

/** Drags the loss chart's cursor handle to `x` (a page pixel), in small moves as a hand would. */
async function dragCursorTo(page: Page, x: number): Promise<void> {
  const box = (await chartCursor(page, 'Loss').boundingBox())!
  const y = box.y + box.height / 2
  await page.mouse.move(box.x + box.width / 2, y)
  await page.mouse.down()
  await page.mouse.move(x, y, { steps: 8 })
  await page.mouse.up()
}

/** The loss chart's cursor line: its middle's page x, and a y half-way down the plot. */
async function cursorLine(page: Page): Promise<{ x: number; y: number }> {
  const line = (await page
    .getByRole('region', { name: 'Loss', exact: true })
    .locator('.cursor-line')
    .boundingBox())!
  return { x: line.x + line.width / 2, y: line.y + line.height / 2 }
}

describeStudio('time travel', ({ openStudio, problems }) => {
  /** Screenshots at 1280×800 and 900×600, `region` (by its accessible name) scrolled to the top. */
  const shoot = async (page: Page, name: string, region = 'Time travel') => {
    mkdirSync(SHOTS, { recursive: true })
    for (const viewport of [
      { width: 1280, height: 800 },
      { width: 900, height: 600 }
    ]) {
      await page.setViewportSize(viewport)
      await page.mouse.move(viewport.width - 5, viewport.height - 5) // no tooltip in the picture
      await page.evaluate(
        () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))
      )
      await page
        .getByRole('region', { name: region, exact: true })
        .evaluate((el) => el.scrollIntoView({ block: 'start' }))
      // The app never scrolls as a whole: only its columns do (a blank band under it, once).
      expect(
        await page.evaluate(() => [window.scrollY, document.documentElement.scrollHeight])
      ).toEqual([0, viewport.height])
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
    await expect(chartCursor(page, 'Loss').getAttribute('aria-valuetext')).resolves.toBe(
      'live · step 100'
    )

    // The cursor on the charts: End on its handle is the last step (the network replayed there).
    await chartCursor(page, 'Loss').focus()
    await page.keyboard.press('End')
    const lateRight = await probesRight(page, 100)
    const { x: liveX, y: plotY } = await cursorLine(page)
    // Dragged to the left end of the plot: step 0; half-way back: about step 50 (both charts).
    await dragCursorTo(page, 0)
    await expect.poll(() => cursorStep(page, 'Loss')).toBe(0)
    const { x: startX } = await cursorLine(page)
    await dragCursorTo(page, (startX + liveX) / 2)
    await expect.poll(() => cursorStep(page, 'Loss')).toBeGreaterThanOrEqual(45)
    expect(await cursorStep(page, 'Loss')).toBeLessThanOrEqual(55)
    expect(await cursorStep(page, 'Accuracy')).toBe(await cursorStep(page, 'Loss'))
    // A click on the plot puts it there too (a drag across the plot still zooms).
    await page.mouse.click(startX + (liveX - startX) * 0.2, plotY)
    await expect.poll(() => cursorStep(page, 'Loss')).toBeGreaterThanOrEqual(15)
    expect(await cursorStep(page, 'Loss')).toBeLessThanOrEqual(25)
    // The keyboard on the handle: Home, then five steps right.
    await chartCursor(page, 'Loss').focus()
    await page.keyboard.press('Home')
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight')
    await travel.getByText('At step 5 of 100').waitFor()
    await expect(chartCursor(page, 'Accuracy').getAttribute('aria-valuetext')).resolves.toBe(
      'step 5'
    )
    const earlyRight = await probesRight(page, 5)
    expect(earlyRight).toBeLessThan(lateRight)
    // The health panel shows the sample at or before the cursor's step.
    await expect
      .poll(() =>
        page
          .getByRole('region', { name: 'Network health' })
          .getByText(/^step \d+: the last sample at or before the cursor's step 5$/)
          .count()
      )
      .toBe(1)
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
    await shoot(page, 'time-travel-charts-step-5', 'Loss')

    // A zoomed chart: the cursor's step out of view keeps its handle at the edge; dragged into the
    // zoomed range it lands on a step there. Then at 900×600, dragged to the start: step 0.
    const lossChart = page.getByRole('img', { name: 'Loss chart' })
    const { y: zoomY } = await cursorLine(page) // the screenshots scrolled the view (x stays)
    await page.mouse.move(startX + (liveX - startX) * 0.5, zoomY + 20)
    await page.mouse.down()
    await page.mouse.move(liveX - 2, zoomY + 20, { steps: 6 })
    await page.mouse.up()
    const loss = page.getByRole('region', { name: 'Loss', exact: true })
    await loss.getByRole('button', { name: /^Reset zoom/ }).waitFor()
    await expect.poll(() => loss.locator('.cursor-line').count()).toBe(0) // step 5 is out of view
    expect(await cursorStep(page, 'Loss')).toBe(5)
    await dragCursorTo(page, (startX + liveX) / 2 + (liveX - startX) * 0.25)
    await expect.poll(() => cursorStep(page, 'Loss')).toBeGreaterThanOrEqual(50)
    await expect(lossChart.isVisible()).resolves.toBe(true)
    await shoot(page, 'time-travel-charts-zoomed', 'Loss')
    await loss.getByRole('button', { name: /^Reset zoom/ }).click()
    await page.setViewportSize({ width: 900, height: 600 })
    await chartCursor(page, 'Loss').evaluate((el) => el.scrollIntoView({ block: 'center' }))
    await dragCursorTo(page, 0)
    await expect.poll(() => cursorStep(page, 'Loss')).toBe(0)
    await travel.getByText('At step 0 of 100').waitFor()
    await page.setViewportSize({ width: 1280, height: 800 })

    // Back to live, then to step 5 again, and fork from there with a lower learning rate.
    await travel.getByRole('button', { name: 'Back to live' }).click()
    await travel.getByText('Live', { exact: true }).waitFor()
    expect(await firstTile(page)).toBe(liveTile)
    // The slider under the weights is the cursor's twin (the same cursor, for small screens).
    const cursor = page.getByRole('slider', { name: 'Time travel: step' })
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

  it('shows a conv net’s feature maps at the cursor’s step', async () => {
    const page = await openStudio()
    await page.getByRole('combobox', { name: 'Preset' }).selectOption({ label: 'LeNet-5' })
    await page.getByRole('textbox', { name: 'Batches per epoch' }).fill('20')
    await page.getByRole('textbox', { name: 'Epochs' }).fill('1')
    await page.getByRole('button', { name: 'Start' }).click()
    await expect
      .poll(() => trainingStatus(page).innerText(), { timeout: 120_000 })
      .toMatch(/Finished/)
    const maps = page.getByRole('region', { name: 'Feature maps' })
    const subtitle = (text: string) => maps.getByText(text, { exact: false })
    const firstMap = () =>
      maps
        .getByRole('img', { name: 'conv1 map 0' })
        .evaluate((canvas: HTMLCanvasElement) => canvas.toDataURL())
    await subtitle('one digit · step 20').waitFor({ timeout: 30_000 })
    const liveMap = await firstMap()

    await chartCursor(page, 'Loss').focus()
    await page.keyboard.press('Home')
    await subtitle('· step 0 (time travel)').waitFor({ timeout: 30_000 })
    expect(await firstMap()).not.toBe(liveMap) // the untrained filters' maps
    await shoot(page, 'time-travel-conv-step-0', 'Feature maps')
    await chartCursor(page, 'Loss').focus()
    await page.keyboard.press('End')
    await subtitle('· step 20 (time travel)').waitFor({ timeout: 30_000 })
    expect(await firstMap()).toBe(liveMap) // replayed to the last step: the live network, exactly
    expect(problems).toEqual([])
  }, 300_000)
})
