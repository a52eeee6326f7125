// The Network health panel and auto-pause in a real Chromium through browser mode, by role and label:
// a learning rate of 10 on the seed preset pauses the run at step 3 naming dense1, the batch opens in
// Explore's step-through, and Resume ends the run as diverged; a healthy run fills each layer's strip.
// Saves screenshots (1280×800 and 900×600) to look at.

import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { expect, it } from 'vitest'
import { screenshots, SHOTS, trainingStatus } from './studio-page'
import { describeStudio } from './studio-session'

describeStudio('network health', ({ openStudio, problems }) => {
  const WORKER = { timeout: 60_000 }

  /** The small window a learner may use: 900×600, as test-results/screenshots/NAME-900x600.png. */
  const shootSmall = async (page: Page, name: string, anchor?: string) => {
    await page.setViewportSize({ width: 900, height: 600 })
    await page.mouse.move(890, 590)
    if (anchor) await page.locator(anchor).evaluate((el) => el.scrollIntoView({ block: 'start' }))
    await page.screenshot({ path: join(SHOTS, `${name}-900x600.png`) })
    await page.setViewportSize({ width: 1280, height: 800 })
  }
  const panel = (page: Page) => page.getByRole('region', { name: 'Network health' })
  const layerRows = (page: Page) =>
    panel(page).getByRole('table', { name: 'Layer health' }).getByRole('rowheader')

  it('pauses a run at lr 10 where it blows up, naming the layer, and opens the batch in Explore', async () => {
    const page = await openStudio()
    await expect(panel(page).innerText()).resolves.toContain('Start a run')
    const setting = panel(page).getByRole('checkbox', { name: 'Pause on trouble' })
    await expect(setting.isChecked()).resolves.toBe(true) // on by default
    await page.getByRole('textbox', { name: 'Learning rate' }).fill('10')
    await page.getByRole('textbox', { name: 'Seed' }).fill('1')
    await page.getByRole('button', { name: 'Start' }).click()

    const alert = page.getByRole('alert', { name: 'Auto-pause' })
    await alert.waitFor(WORKER)
    const said = await alert.innerText()
    expect(said).toMatch(/^Paused: the loss exploded at step 3 .*dense1 has the largest gradient/)
    expect(said).toContain('Resume or Stop ends it here')
    await expect.poll(() => trainingStatus(page).innerText(), WORKER).toContain('Paused')
    await expect(layerRows(page).allInnerTexts()).resolves.toEqual(['dense1', 'dense2'])
    // The status line says Step 3, the weights are step 2's: their subtitle says why.
    await expect(page.getByTestId('step').innerText()).resolves.toBe('3')
    await expect
      .poll(() => page.getByRole('region', { name: 'First-layer weights' }).innerText(), WORKER)
      .toContain('weights after step 2 (step 3’s update was refused)')
    await screenshots(page, 'health-auto-paused')
    await shootSmall(page, 'health-auto-paused')

    await alert.getByRole('button', { name: 'Step through this batch' }).click()
    await expect
      .poll(() => page.getByRole('tab', { name: 'Explore' }).getAttribute('aria-selected'))
      .toBe('true')
    await expect
      .poll(() => page.getByTestId('network-summary').innerText(), WORKER)
      .toMatch(/^Training image \(step 3's batch, first image\) · true digit \d/)

    await page.getByRole('tab', { name: 'Train' }).click()
    await page.getByRole('button', { name: 'Resume' }).click()
    await expect.poll(() => trainingStatus(page).innerText(), WORKER).toContain('Diverged')
    // The culprit stays named beside the divergence's own message.
    await expect(alert.innerText()).resolves.toMatch(
      /^dense1 has the largest gradient .* at step 3/
    )
    expect(problems).toEqual([])
    await page.close()
  })

  it('draws each layer’s distribution over a healthy run, and the numbers that read it', async () => {
    const page = await openStudio()
    await page.getByRole('textbox', { name: 'Learning rate' }).fill('0.03')
    await page.getByRole('textbox', { name: 'Seed' }).fill('1')
    await page.getByRole('button', { name: 'Start' }).click()
    await expect.poll(() => trainingStatus(page).innerText(), WORKER).toMatch(/Finished/)
    expect(await page.getByRole('alert', { name: 'Auto-pause' }).count()).toBe(0)
    const strip = panel(page).getByRole('img', { name: /^dense1 weights over \d+ samples/ })
    const samples = Number(/over (\d+) samples/.exec((await strip.getAttribute('aria-label'))!)![1])
    expect(samples).toBeGreaterThan(2) // the seed preset's 100 steps take 5 s at the auto pace
    await panel(page).getByRole('radio', { name: 'Gradients' }).check()
    await panel(page)
      .getByRole('img', { name: /^dense2 gradients over/ })
      .waitFor()
    const row = await panel(page)
      .getByRole('row', { name: /^dense1/ })
      .innerText()
    expect(row).toMatch(/dense1\s+.*\d/) // gradient norm, update ratio and dead share are numbers
    await panel(page).scrollIntoViewIfNeeded()
    await screenshots(page, 'health-panel', '.health')
    await shootSmall(page, 'health-panel', '.health')
    // At 900×600 the table fits the panel's width: nothing sideways.
    await page.setViewportSize({ width: 900, height: 600 })
    const overflow = await panel(page).evaluate((el) => el.scrollWidth - el.clientWidth)
    expect(overflow).toBeLessThanOrEqual(0)
    await page.setViewportSize({ width: 1280, height: 800 })
    expect(problems).toEqual([])
    await page.close()
  })
})
