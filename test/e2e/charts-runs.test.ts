// Charts and runs that tell the truth, in a real Chromium through browser mode: a learning rate of 10
// explodes on the chart at its true scale and is reported as diverged (in Train and in Runs); a
// learning-rate change mid-run shows in the run's name, the runs table and the comparison; the chart
// tools (x axis, smoothing, zoom, Save PNG, text summary) work; the Runs page neither scrolls into a
// blank page nor sideways at 900×600. Saves screenshots to look at.

import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { expect, it } from 'vitest'
import { PATIENTLY } from '../helpers/waits'
import { SHOTS, trainingStatus } from './studio-page'
import { describeStudio } from './studio-session'

describeStudio('charts and runs', ({ openStudio, problems }) => {
  /** The chart's screen-reader summary: per series, [first, last, lowest, highest] as written. */
  const summaryOf = (page: Page, chart: string) =>
    page.getByRole('img', { name: chart }).evaluate((canvas) => {
      const table = document.getElementById(canvas.getAttribute('aria-describedby') ?? '')
      const rows = [...(table?.querySelectorAll('tbody tr') ?? [])]
      return Object.fromEntries(
        rows.map((tr) => [
          tr.querySelector('th')?.textContent?.trim() ?? '',
          [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '')
        ])
      )
    })
  /** "47.25 at step 12" → 47.25. */
  const valueOf = (text: string) => Number(text.split(' at ')[0].replace('−', '-'))

  const shoot = async (page: Page, name: string) => {
    await page.mouse.move(5, 5)
    await page.screenshot({ path: join(SHOTS, `${name}.png`) })
  }

  it('shows an exploding loss at its true scale, marked and reported as diverged, also in Runs', async () => {
    const page = await openStudio()
    await page.getByRole('textbox', { name: 'Learning rate' }).fill('10')
    await page.getByRole('textbox', { name: 'Seed' }).fill('1')
    await page.getByRole('button', { name: 'Start' }).click()
    // Auto-pause (on by default) stops it first at the culprit (test/e2e/health.test.ts); Resume ends it.
    await page.getByRole('alert', { name: 'Auto-pause' }).waitFor(PATIENTLY)
    await page.getByRole('button', { name: 'Resume' }).click()
    await expect.poll(() => trainingStatus(page).innerText(), PATIENTLY).toContain('Diverged')
    const divergenceAlert = page
      .getByRole('alert')
      .filter({ has: page.getByRole('button', { name: 'Dismiss message' }) })
    await expect(divergenceAlert.innerText()).resolves.toMatch(
      /The loss exploded at step \d+: the learning rate is too high for this network/
    )
    // The summary reads the values the axis is scaled to: the explosion, well past 10× its start.
    const loss = await summaryOf(page, 'Loss chart')
    const [first, , , highest] = loss['Batch loss']
    expect(valueOf(highest)).toBeGreaterThan(10 * Math.min(valueOf(first), 2.3))
    await shoot(page, 'diverged-1280x800')
    await page.setViewportSize({ width: 900, height: 600 })
    await shoot(page, 'diverged-900x600')
    await page.setViewportSize({ width: 1280, height: 800 })

    await page.getByRole('tab', { name: 'Runs' }).click()
    const row = page
      .getByRole('row')
      .filter({ has: page.getByRole('checkbox', { name: /^Compare / }) })
    await expect.poll(() => row.first().innerText(), PATIENTLY).toContain('Diverged')
    expect(problems).toEqual([])
    await page.close()
  })

  it('records a learning-rate change mid-run in the name, the table and the comparison', async () => {
    const page = await openStudio()
    await page.getByRole('tab', { name: 'Train' }).click()
    await page.getByRole('textbox', { name: 'Learning rate' }).fill('0.03')
    await page.getByRole('textbox', { name: 'Batches per epoch' }).fill('200')
    await page.getByRole('combobox', { name: 'Pace' }).selectOption({ label: '20 steps/s' })
    await page.getByRole('button', { name: 'Start' }).click()
    const step = async () => Number(await page.getByTestId('step').innerText())
    await expect.poll(step, PATIENTLY).toBeGreaterThan(20)
    await page.getByRole('textbox', { name: 'Learning rate' }).fill('0.5')
    await page.getByRole('combobox', { name: 'Pace' }).selectOption({ label: 'Full speed' })
    await expect
      .poll(() => trainingStatus(page).innerText(), { timeout: 120_000 })
      .toMatch(/Finished|Diverged/)

    // Chart tools: epochs on x, the smoothing slider, Save PNG named after the chart.
    await page.getByRole('button', { name: 'Loss chart options' }).click()
    await page.getByRole('combobox', { name: 'Loss chart x axis' }).selectOption('epoch')
    await expect
      .poll(async () => (await summaryOf(page, 'Loss chart'))['Smoothed']?.[1] ?? '')
      .toMatch(/at epoch 1$/)
    await page.getByRole('slider', { name: 'Loss smoothing (EMA factor)' }).fill('0')
    const loss = await summaryOf(page, 'Loss chart')
    expect(loss['Smoothed'][1]).toBe(loss['Batch loss'][1]) // β = 0: the raw curve itself
    await shoot(page, 'chart-options-1280x800')
    await page.getByRole('button', { name: 'Done' }).click()
    await page.setViewportSize({ width: 900, height: 600 })
    await shoot(page, 'chart-tools-900x600')
    await page.setViewportSize({ width: 1280, height: 800 })
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Save the Loss chart as PNG' }).click()
    ])
    expect(download.suggestedFilename()).toBe('backprop-studio-loss.png')
    await shoot(page, 'chart-tools-1280x800')

    // Drag across the loss chart to zoom into those steps; Reset zoom (or a double-click) shows it whole.
    const chart = page.getByRole('img', { name: 'Loss chart' })
    const box = (await chart.boundingBox())!
    const before = await summaryOf(page, 'Loss chart')
    await page.mouse.move(box.x + box.width * 0.4, box.y + box.height * 0.5)
    await page.mouse.down()
    await page.mouse.move(box.x + box.width * 0.7, box.y + box.height * 0.5, { steps: 5 })
    await page.mouse.up()
    const reset = page.getByRole('button', { name: 'Reset zoom' })
    await expect.poll(() => reset.count()).toBe(1)
    await shoot(page, 'chart-zoomed-1280x800')
    expect(await summaryOf(page, 'Loss chart')).toEqual(before) // zoom changes the view, not the data
    await reset.click()
    await expect.poll(() => reset.count()).toBe(0)

    await page.getByRole('tab', { name: 'Runs' }).click()
    const table = page.getByRole('table', { name: /Recorded runs/ })
    await expect.poll(() => table.innerText(), PATIENTLY).toContain('0.03 → 0.5')
    const names = await page
      .getByRole('checkbox', { name: /^Compare / })
      .evaluateAll((boxes) => boxes.map((box) => box.getAttribute('aria-label') ?? ''))
    expect(names.some((name) => /SGD 0\.03 → 0\.5/.test(name))).toBe(true)
    for (const box of await page.getByRole('checkbox', { name: /^Compare / }).all())
      await box.check()
    const diff = page.getByRole('region', { name: 'Compare configs' })
    await expect.poll(() => diff.innerText(), PATIENTLY).toMatch(/0\.03 → 0\.5 at step \d+/)
    await page.getByRole('button', { name: 'Loss chart options' }).click()
    await page.getByRole('combobox', { name: 'Loss chart x axis' }).selectOption('sample')
    await page.keyboard.press('Escape')

    // No blank page below the content, and no sideways scrolling at 900×600.
    const overscroll = () =>
      page.getByRole('region', { name: 'Run history' }).evaluate((panel) => {
        const view = panel.parentElement!
        const bottom = Math.max(...[...view.children].map((c) => c.getBoundingClientRect().bottom))
        const top = view.getBoundingClientRect().top
        return view.scrollHeight - (bottom - top + view.scrollTop)
      })
    expect(await overscroll()).toBeLessThan(40) // the padding, not a screen of nothing
    // The whole row fits (an action column wider than the table clipped the delete icon at 1280×800).
    const sideways = () =>
      page.locator('.runs-table-wrap').evaluate((wrap) => wrap.scrollWidth - wrap.clientWidth)
    expect(await sideways()).toBeLessThanOrEqual(1)
    await shoot(page, 'runs-1280x800')
    await page.setViewportSize({ width: 900, height: 600 })
    expect(await sideways()).toBeLessThanOrEqual(1)
    expect(await overscroll()).toBeLessThan(40)
    await shoot(page, 'runs-900x600')
    expect(problems).toEqual([])
    await page.close()
  })
})
