// Charts that stay readable in a real Chromium (browser mode): at 900×600 with the divergence alert
// shown both Train charts keep a readable plot; a chart's tooltip stays inside the window and off the
// status line; a test accuracy reads as everywhere else; a drag zoom ends on clean ticks and fits y to
// what is in view; the Runs overlay has a log scale and names every run in full, with its axes inside
// the card, and its PNG carries the legend. The Runs test overlays the runs the first two recorded. Saves screenshots to look at.

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Locator, Page } from 'playwright-core'
import { PNG } from 'pngjs'
import { expect, it } from 'vitest'
import { PATIENTLY } from '../helpers/waits'
import { SHOTS, trainingStatus } from './studio-page'
import { describeStudio } from './studio-session'

type Box = { x: number; y: number; width: number; height: number }

describeStudio('charts that fit', ({ openStudio, problems }) => {
  const box = async (locator: Locator): Promise<Box> => (await locator.boundingBox())!
  const overlaps = (a: Box, b: Box) =>
    a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height
  const inside = (a: Box, size: { width: number; height: number }) =>
    a.x >= 0 && a.y >= 0 && a.x + a.width <= size.width && a.y + a.height <= size.height
  const shoot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`) })
  /** The chart's tooltip after the pointer rests at (fx, fy) of the chart's box (inside the plot:
   * chart.js shows no tooltip over the axes). */
  const hover = async (page: Page, chart: string, fx: number, fy: number) => {
    const b = await box(page.getByRole('img', { name: chart }))
    await page.mouse.move(b.x + b.width * fx, b.y + b.height * fy)
    const tip = page.getByTestId('chart-tooltip')
    await tip.waitFor()
    return tip
  }
  const train = async (page: Page, learningRate: string, until: RegExp) => {
    await page.getByRole('tab', { name: 'Train' }).click()
    await page.getByRole('textbox', { name: 'Learning rate' }).fill(learningRate)
    await page.getByRole('combobox', { name: 'Pace' }).selectOption({ label: 'Full speed' })
    await page.getByRole('button', { name: 'Start', exact: true }).click()
    if (until.source === 'Diverged') {
      // Auto-pause (on by default) stops it first at the culprit (test/e2e/health.test.ts); Resume ends it.
      await page.getByRole('alert', { name: 'Auto-pause' }).waitFor(PATIENTLY)
      await page.getByRole('button', { name: 'Resume' }).click()
    }
    await expect.poll(() => trainingStatus(page).innerText(), PATIENTLY).toMatch(until)
  }

  it('keeps both Train charts readable at 900×600 with the divergence alert, tooltips in the window', async () => {
    const page = await openStudio({ width: 900, height: 600 })
    await train(page, '10', /Diverged/)
    const divergence = page
      .getByRole('alert')
      .filter({ has: page.getByRole('button', { name: 'Dismiss message' }) })
    expect(await divergence.innerText()).toMatch(/The loss exploded at step \d+/)

    // Both plots keep their height (at 176 px for the card they were ~50 px), and the same one.
    const loss = await box(page.getByRole('img', { name: 'Loss chart' }))
    const accuracy = await box(page.getByRole('img', { name: 'Accuracy chart' }))
    expect(loss.height).toBeGreaterThanOrEqual(130)
    expect(accuracy.height).toBe(loss.height)
    expect(accuracy.y).toBe(loss.y)
    // The plots themselves (the live cursor's line spans one from top to bottom) stay readable with
    // both alerts shown: at least 120 px (the charts' 208 px at this size left them ~70 px).
    for (const chart of ['Loss chart', 'Accuracy chart']) {
      const plot = page
        .locator('.chart-panel')
        .filter({ has: page.getByRole('img', { name: chart }) })
        .locator('.cursor-line')
      expect((await box(plot)).height, chart).toBeGreaterThanOrEqual(120)
    }
    await page.mouse.move(5, 5)
    await shoot(page, 'charts-fit-diverged-900x600')

    // A tooltip at the top-left of the loss chart (the spike) and at the right edge of the accuracy
    // chart: inside the window, never over the status line, and it reads the value as written elsewhere.
    // NOTE: the top 22 px of the chart are the time-travel cursor's band, and a diverged run's live
    // cursor stands at the spike's step: its handle, not the plot, is under 12 % of the height.
    const statusLine = await box(trainingStatus(page))
    const size = page.viewportSize()!
    for (const [chart, fx, fy] of [
      ['Loss chart', 0.15, 0.3],
      ['Accuracy chart', 0.9, 0.4],
      ['Accuracy chart', 0.15, 0.65]
    ] as const) {
      const tip = await hover(page, chart, fx, fy)
      expect(await tip.innerText()).toMatch(/^step \d+\n/)
      const tipBox = await box(tip)
      expect(inside(tipBox, size), `${chart} tooltip ${JSON.stringify(tipBox)}`).toBe(true)
      expect(overlaps(tipBox, statusLine)).toBe(false)
    }
    await shoot(page, 'charts-fit-tooltip-900x600')
    // Another view (Ctrl+2) hides it: the Train view is kept alive, its tooltip must not stay.
    await page.keyboard.press('Control+2')
    await expect
      .poll(() => page.getByRole('tab', { name: 'Classify' }).getAttribute('aria-selected'))
      .toBe('true')
    expect(await page.getByTestId('chart-tooltip').count()).toBe(0)
    await page.getByRole('tab', { name: 'Train' }).click()
    // One tooltip at a time: leaving the chart hides it.
    await hover(page, 'Loss chart', 0.5, 0.5)
    await page.mouse.move(5, 5)
    await expect.poll(() => page.getByTestId('chart-tooltip').count()).toBe(0)
    expect(problems).toEqual([])
    await page.close()
  })

  it('zooms to clean x ends and fits y to the curves in view', async () => {
    const page = await openStudio()
    await train(page, '0.03', /Finished/)
    // The screen-reader summary writes a test accuracy as the status line does (61.46%, not 61.5%).
    const statusText = await trainingStatus(page).innerText()
    const testAccuracy = /Test accuracy\s+(\d+\.\d\d%)/.exec(statusText)![1]
    const row = page
      .getByRole('table', { name: 'Accuracy chart in numbers' })
      .getByRole('row', { name: /^Test accuracy/ })
    expect(await row.innerText()).toContain(`${testAccuracy} at step 100`)
    const chart = page.getByRole('img', { name: 'Loss chart' })
    const b = await box(chart)
    await page.mouse.move(b.x + b.width * 0.53, b.y + b.height * 0.4)
    await page.mouse.down()
    await page.mouse.move(b.x + b.width * 0.81, b.y + b.height * 0.4, { steps: 5 })
    await page.mouse.up()
    const reset = page.getByRole('button', { name: /^Reset zoom/ })
    await expect.poll(() => reset.count()).toBe(1)
    // "Reset zoom (showing step 50 to 80, y 1.4 to 2)"
    const label = (await reset.getAttribute('aria-label')) ?? ''
    const match = /showing step (\d+) to (\d+), y ([\d.]+) to ([\d.]+)\)$/.exec(label)
    expect(match, label).not.toBeNull()
    const [x0, x1, y0, y1] = match!.slice(1).map(Number)
    const xStep = 10 ** Math.floor(Math.log10(x1 - x0))
    for (const end of [x0, x1]) expect(end % (xStep / 2), `${end} in ${label}`).toBe(0)
    expect(x0).toBeGreaterThan(0)
    expect(x1).toBeLessThan(100)
    // The loss axis no longer starts at zero: it spans the zoomed stretch of a loss near 1.5–2.3.
    expect(y0).toBeGreaterThan(0.5)
    expect(y1).toBeLessThan(2.5)
    expect(y1).toBeGreaterThan(y0)
    // The tooltip says how to undo it.
    const tip = await hover(page, 'Loss chart', 0.6, 0.5)
    expect(await tip.innerText()).toContain('Double-click to see it whole')
    await page.mouse.move(5, 5)
    await shoot(page, 'charts-fit-zoomed-1280x800')
    await chart.dblclick()
    await expect.poll(() => reset.count()).toBe(0)
    expect(problems).toEqual([])
    await page.close()
  })

  it('overlays runs on a log scale with every name in full, axes inside the card at 900×600', async () => {
    const page = await openStudio({ width: 900, height: 600 })
    await page.getByRole('tab', { name: 'Runs' }).click()
    const boxes = page.getByRole('checkbox', { name: /^Compare / })
    await expect.poll(() => boxes.count(), PATIENTLY).toBeGreaterThanOrEqual(2)
    // A long name (a learner's own, or a conv net's architecture): the legend once cut it at 260 px.
    const first = ((await boxes.first().getAttribute('aria-label')) ?? '').replace(/^Compare /, '')
    const long = `${first} · the one where I tried the learning rate the book suggested`
    await page.getByRole('button', { name: `Rename ${first}` }).click()
    await page.getByRole('textbox', { name: 'Run name' }).fill(long)
    await page.getByRole('textbox', { name: 'Run name' }).press('Enter')
    await expect.poll(() => boxes.first().getAttribute('aria-label')).toBe(`Compare ${long}`)
    for (const check of await boxes.all()) await check.check()
    const names = await boxes.evaluateAll((all) =>
      all.map((el) => (el.getAttribute('aria-label') ?? '').replace(/^Compare /, ''))
    )

    const lossCard = page.getByRole('region', { name: 'Loss' })
    const legend = lossCard.getByRole('listitem')
    expect(await legend.allInnerTexts()).toEqual(expect.arrayContaining(names))
    // Every name shown whole: nothing cut off with an ellipsis.
    const clipped = await legend.evaluateAll((items) =>
      items
        .filter((item) => item.scrollWidth > item.clientWidth + 1)
        .map((item) => item.textContent)
    )
    expect(clipped).toEqual([])
    const card = await box(lossCard)
    const plot = await box(lossCard.getByRole('img', { name: 'Loss chart' }))
    expect(plot.y + plot.height).toBeLessThanOrEqual(card.y + card.height)

    // The log scale redraws the curves (a diverged run's spike no longer flattens the others).
    const pixels = () =>
      lossCard
        .getByRole('img', { name: 'Loss chart' })
        .evaluate((canvas: HTMLCanvasElement) => canvas.toDataURL())
    const linear = await pixels()
    const log = lossCard.getByRole('checkbox', { name: 'Log scale' })
    await log.check()
    await expect.poll(pixels).not.toBe(linear)
    await lossCard.scrollIntoViewIfNeeded()
    await page.mouse.move(5, 5)
    await shoot(page, 'charts-fit-runs-log-900x600')
    await log.uncheck()
    await expect.poll(pixels).toBe(linear)

    // The saved PNG carries the title and the legend above the plot: which colour is which run.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      lossCard.getByRole('button', { name: 'Save the Loss chart as PNG' }).click()
    ])
    expect(download.suggestedFilename()).toBe('backprop-studio-loss-of-runs.png')
    await download.saveAs(join(SHOTS, 'charts-fit-runs-loss.png'))
    const png = PNG.sync.read(readFileSync(join(SHOTS, 'charts-fit-runs-loss.png')))
    const canvasHeight = await lossCard
      .getByRole('img', { name: 'Loss chart' })
      .evaluate((canvas: HTMLCanvasElement) => canvas.height)
    expect(png.height - canvasHeight).toBeGreaterThanOrEqual(30 + 2 * 17) // title + two legend rows
    expect(problems).toEqual([])
    await page.close()
  })
})
