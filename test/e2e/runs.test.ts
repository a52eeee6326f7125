// The Runs view in a real Chromium through browser mode: train two short runs with different learning
// rates, find both recorded, sort, overlay their curves, diff their configs, rename one, export its
// metrics as CSV, and delete one after confirming.

import { readFileSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { expect, it } from 'vitest'
import { PATIENTLY } from '../helpers/waits'
import { percentOf, screenshots, trainBriefly } from './studio-page'
import { describeStudio } from './studio-session'

describeStudio('runs view', ({ openStudio, problems }) => {
  const rows = (page: Page) =>
    page.getByRole('row').filter({ has: page.getByRole('checkbox', { name: /^Compare / }) })
  const columnTexts = (page: Page, column: number) =>
    rows(page).evaluateAll(
      (trs, i) => trs.map((tr) => (tr as HTMLTableRowElement).cells[i].textContent?.trim() ?? ''),
      column
    )

  /** Pixels of a chart drawn in a run colour: a stand-in for "this run's curve is on the chart". */
  const inkOf = (page: Page, chart: string, tone: string) =>
    page.getByRole('img', { name: chart }).evaluate((canvas: HTMLCanvasElement, variable) => {
      const probe = document.createElement('canvas').getContext('2d')!
      probe.fillStyle = getComputedStyle(document.documentElement).getPropertyValue(variable).trim()
      probe.fillRect(0, 0, 1, 1)
      const [r, g, b] = probe.getImageData(0, 0, 1, 1).data
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height)
      let ink = 0
      for (let i = 0; i < data.length; i += 4) {
        if (
          Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) < 60 &&
          data[i + 3] > 200
        )
          ink++
      }
      return ink
    }, `--series-${tone}`)

  it('records two runs, compares them (curves and config diff), sorts, renames, exports CSV and deletes', async () => {
    const page = await openStudio()
    await trainBriefly(page, { batches: 300, learningRate: '0.01' })
    await trainBriefly(page, { batches: 300, learningRate: '0.1' })

    await page.getByRole('tab', { name: 'Runs' }).click()
    await expect.poll(() => rows(page).count(), PATIENTLY).toBe(2)
    const names = await columnTexts(page, 1)
    expect(names.join(' | ')).toMatch(/0\.1.*\|.*0\.01/) // newest first; default names say the learning rate
    await expect(
      page.getByRole('columnheader', { name: /Started/ }).getAttribute('aria-sort')
    ).resolves.toBe('descending')

    // Sort by test accuracy, largest first, then the other way.
    const accuracyHeader = page.getByRole('columnheader', { name: /Test accuracy/ })
    await accuracyHeader.getByRole('button').click()
    await expect(accuracyHeader.getAttribute('aria-sort')).resolves.toBe('descending')
    const accuracies = (await columnTexts(page, 6)).map(percentOf)
    expect(accuracies[0]).toBeGreaterThanOrEqual(accuracies[1])
    await accuracyHeader.getByRole('button').click()
    await expect(accuracyHeader.getAttribute('aria-sort')).resolves.toBe('ascending')
    expect((await columnTexts(page, 6)).map(percentOf)).toEqual([...accuracies].reverse())

    // Overlay both runs: each curve in its own colour on both charts.
    for (const name of names) await page.getByRole('checkbox', { name: `Compare ${name}` }).check()
    await page.getByRole('img', { name: 'Loss chart' }).waitFor(PATIENTLY)
    for (const tone of ['run-1', 'run-2']) {
      await expect.poll(() => inkOf(page, 'Loss chart', tone), PATIENTLY).toBeGreaterThan(100)
      await expect.poll(() => inkOf(page, 'Accuracy chart', tone), PATIENTLY).toBeGreaterThan(100)
    }

    // The config diff marks the learning rate, and only config fields that differ are counted.
    const diff = page.getByRole('region', { name: 'Compare configs' })
    await expect(diff.getByText('1 setting differs').count()).resolves.toBe(1)
    await expect(
      diff.getByRole('row', { name: /Learning rate \(differs\)/ }).count()
    ).resolves.toBe(1)
    await expect(diff.getByRole('row', { name: /^Batch size/ }).innerText()).resolves.not.toContain(
      'differs'
    )

    await page
      .getByRole('region', { name: 'Run history' })
      .evaluate((panel) => panel.parentElement!.scrollTo(0, 0))
    await screenshots(page, 'runs')

    // Rename inline; the name is kept by the host.
    await page.getByRole('button', { name: `Rename ${names[1]}` }).click()
    await page.getByRole('textbox', { name: 'Run name' }).fill('Slow learner (lr 0.01)')
    await page.getByRole('textbox', { name: 'Run name' }).press('Enter')
    await expect.poll(() => columnTexts(page, 1)).toContain('Slow learner (lr 0.01)')
    await page.getByRole('button', { name: 'Refresh' }).click()
    await expect.poll(() => columnTexts(page, 1)).toContain('Slow learner (lr 0.01)')
    await expect(page.getByRole('img', { name: 'Loss chart' }).count()).resolves.toBe(1)

    // Its metrics as CSV: a header and one row per step.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export Slow learner (lr 0.01) metrics as CSV' }).click()
    ])
    expect(download.suggestedFilename()).toMatch(/\.csv$/)
    const csv = readFileSync((await download.path())!, 'utf8')
      .trim()
      .split(/\r?\n/)
    expect(csv[0]).toMatch(/^step,/)
    expect(csv.length).toBe(1 + 300)

    // Delete only after confirming.
    await page.getByRole('button', { name: `Delete ${names[0]}` }).click()
    const dialog = page.getByRole('alertdialog')
    await expect(dialog.innerText()).resolves.toContain(`Delete “${names[0]}”?`)
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    await expect(rows(page).count()).resolves.toBe(2)
    await page.getByRole('button', { name: `Delete ${names[0]}` }).click()
    await page.getByRole('alertdialog').getByRole('button', { name: 'Delete run' }).click()
    await expect.poll(() => rows(page).count(), PATIENTLY).toBe(1)
    await expect.poll(() => page.getByRole('region', { name: 'Compare configs' }).count()).toBe(0)

    expect(problems).toEqual([])
    await page.close()
  })
})
