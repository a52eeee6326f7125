// The learner's first minutes in a real Chromium (browser mode), by role and label: the default run is
// slow enough to watch and leaves visible W − W₀ patterns; a second window opened mid-run shows that
// run and its preset and cannot start another silently; a 900×600 window shows what matters; the run
// controls and the weight tiles are reachable from the keyboard.

import type { Page } from 'playwright-core'
import { expect, it } from 'vitest'
import { PATIENTLY } from '../helpers/waits'
import { trainingStatus as status } from './studio-page'
import { describeStudio } from './studio-session'

describeStudio('the first minutes', (session) => {
  const { openStudio, problems } = session

  const start = (page: Page) => page.getByRole('button', { name: 'Start', exact: true })
  const pace = (page: Page) =>
    page
      .getByRole('combobox', { name: 'Pace' })
      .evaluate((select: HTMLSelectElement) => select.selectedOptions[0].text)
  /** How many distinct colours a tile's canvas holds: 1 for a blank (uniform) tile. */
  const tileColours = (page: Page, name: string) =>
    page.getByRole('img', { name }).evaluate((canvas: HTMLCanvasElement) => {
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height)
      const colours = new Set<number>()
      for (let i = 0; i < data.length; i += 4)
        colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2])
      return colours.size
    })
  /** The element's box lies inside the window (nothing cut off at the right or bottom edge). */
  const insideWindow = async (
    page: Page,
    box: { x: number; y: number; width: number; height: number } | null
  ) => {
    const size = page.viewportSize()!
    return (
      box !== null &&
      box.x >= 0 &&
      box.y >= 0 &&
      box.x + box.width <= size.width &&
      box.y + box.height <= size.height
    )
  }

  it('the guide starts a run at a watchable pace, and the tiles show what each unit learned (W − W₀)', async () => {
    const page = await openStudio({ width: 900, height: 600 })
    const guide = page.getByRole('region', { name: 'First steps' })
    expect(await guide.isVisible()).toBe(true)
    expect(await pace(page)).toBe('Auto') // a 100-step run at 20 steps/s: about 5 s to watch
    await guide.getByRole('button', { name: 'Train the network' }).click()
    await expect.poll(() => status(page).innerText(), PATIENTLY).toMatch(/Finished/)

    // Hidden units are units, not digits; the change since the start is the default view.
    expect(await page.getByRole('img', { name: 'Unit 0 incoming weights' }).isVisible()).toBe(true)
    expect(await page.getByText('unit 0', { exact: true }).count()).toBe(1)
    expect(await page.getByRole('radio', { name: 'Change since start' }).isChecked()).toBe(true)
    expect(await tileColours(page, 'Unit 0 incoming weights')).toBeGreaterThan(20)
    // At 900×600 the first row of tiles starts above the fold.
    const tile = await page.getByRole('img', { name: 'Unit 0 incoming weights' }).boundingBox()
    expect(tile!.y).toBeLessThan(600 - 20)

    // The guide moves on to drawing; dismissed, it never comes back (the host keeps the setting).
    await expect.poll(() => guide.getByRole('button', { name: 'Draw a digit' }).count()).toBe(1)
    await guide.getByRole('button', { name: 'Hide this guide for good' }).click()
    await expect.poll(() => guide.count()).toBe(0)
    const later = await openStudio()
    await later.waitForTimeout(500)
    expect(await later.getByRole('region', { name: 'First steps' }).count()).toBe(0)
    await later.close()
    expect(problems).toEqual([])
    await page.close()
  })

  it('a window opened mid-run shows that run and its preset, and offers no Start that would end it', async () => {
    const first = await openStudio()
    await first.getByRole('combobox', { name: 'Preset' }).selectOption('softmax')
    await first.getByRole('combobox', { name: 'Pace' }).selectOption({ label: '5 steps/s' })
    await start(first).click()
    await expect.poll(() => status(first).innerText(), PATIENTLY).toMatch(/Running/)

    const context = await session.browser.newContext({ viewport: { width: 1280, height: 800 } })
    const second = await context.newPage()
    second.on('pageerror', (error) => problems.push(error.message))
    await second.goto(session.studio.url)
    await expect.poll(() => status(second).innerText(), PATIENTLY).toMatch(/Running/)
    expect(await second.getByRole('combobox', { name: 'Preset' }).inputValue()).toBe('softmax')
    expect(await second.getByText('modified', { exact: true }).count()).toBe(0)
    expect(await pace(second)).toBe('5 steps/s')
    // Softmax regression: the first layer is the output layer, so its tiles are the ten digits.
    expect(await second.getByRole('img', { name: 'Class 7 incoming weights' }).count()).toBe(1)
    expect(await start(second).count()).toBe(0) // Pause and Stop steer the run; no Start to press
    expect(await second.getByRole('button', { name: 'Pause' }).isEnabled()).toBe(true)

    await first.getByRole('button', { name: 'Stop', exact: true }).click()
    await expect.poll(() => status(second).innerText(), PATIENTLY).toMatch(/Stopped/)
    expect(problems).toEqual([])
    await context.close()
    await first.close()
  })

  it('fits 900×600: Classify’s ten probabilities and Evaluate’s accuracy per digit are in the window', async () => {
    const page = await openStudio({ width: 900, height: 600 })
    await page.getByRole('tab', { name: 'Classify' }).click()
    const pad = page.getByTestId('draw-pad')
    const box = (await pad.boundingBox())!
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.2)
    await page.mouse.down()
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.8, { steps: 8 })
    await page.mouse.up()
    const bars = page.getByRole('list', { name: 'Probabilities' }).first().getByRole('listitem')
    await expect.poll(() => bars.count(), PATIENTLY).toBe(10)
    for (let digit = 0; digit < 10; digit++) {
      const bar = bars.nth(digit)
      await bar.scrollIntoViewIfNeeded()
      const barBox = await bar.boundingBox()
      expect(barBox!.x + barBox!.width).toBeLessThanOrEqual(900)
    }
    // A probability, never certainty: no "100 % sure" (a "not sure — maybe 1 or 7" hint may show).
    expect(await page.getByText(/%\s*sure/).count()).toBe(0)

    await page.getByRole('tab', { name: 'Evaluate' }).click()
    await page.getByRole('button', { name: /Evaluate on the test set/ }).click()
    const perDigit = page.getByRole('region', { name: /Accuracy per digit/ })
    await expect.poll(() => perDigit.count(), PATIENTLY).toBe(1)
    await perDigit.scrollIntoViewIfNeeded()
    expect(await insideWindow(page, await perDigit.boundingBox())).toBe(true)
    expect(problems).toEqual([])
    await page.close()
  })

  it('keyboard: the skip link reaches Start in two keys; the tiles are one Tab stop with arrow keys', async () => {
    const page = await openStudio()
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe(
      'Skip to the run controls'
    )
    await page.keyboard.press('Enter')
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toMatch(/^Start/)
    expect(await page.locator('main').count()).toBe(1) // exactly one main landmark

    const tiles = page.getByRole('img', { name: /incoming weights$/ })
    await expect.poll(() => tiles.count(), PATIENTLY).toBeGreaterThan(1)
    const focusable = await tiles.evaluateAll(
      (all) => all.filter((tile) => tile.getAttribute('tabindex') === '0').length
    )
    expect(focusable).toBe(1) // one Tab stop for all of them
    await page.locator('[tabindex="0"][role="img"]').focus()
    await page.keyboard.press('ArrowRight')
    await expect
      .poll(() => page.getByText(/^(Unit|Class) \d+ · row \d+, col \d+ · weight/).count())
      .toBe(1)
    expect(problems).toEqual([])
    await page.close()
  })
})
