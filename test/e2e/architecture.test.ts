// The architecture editor and the augmentation strip in a real Chromium, by role and label as a new
// user would: pick LeNet, read a row's shape and parameters, add and remove a layer, make an impossible
// list and read why on its row, see Start refused naming it; change augmentation and see the strip
// re-drawn. Saves screenshots at 1280×800 and 900×600 to look at.

import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeWithChromium, launchBrowser, startStudio, type RunningStudio } from './harness'
import { openStudio as openStudioPage, SHOTS } from './studio-page'

describeWithChromium('architecture editor', () => {
  let studio: RunningStudio
  let browser: Browser
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

  const layerList = (page: Page) => page.getByRole('list', { name: 'Layers' })
  const rows = (page: Page) => layerList(page).getByRole('listitem')
  const row = (page: Page, name: string) =>
    rows(page).filter({ has: page.getByText(name, { exact: true }) })
  /** A row's one line (its first button): name, numbers, shape · params. */
  const summary = (page: Page, name: string) => row(page, name).getByRole('button').first()
  const rowTexts = async (page: Page) =>
    (await rows(page).allInnerTexts()).map((text) => text.replace(/\s+/g, ' ').trim())
  const strip = (page: Page) =>
    page.getByRole('img', { name: /augmented versions of a training 5|as the network sees it/ })
  /** The strip's pixels, to tell one drawing from another. */
  const stripPixels = (page: Page) =>
    strip(page).evaluate((el) =>
      [...el.querySelectorAll('canvas')].map((canvas) => canvas.toDataURL()).join('|')
    )

  async function shoot(page: Page, name: string): Promise<void> {
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
    for (const viewport of [
      { width: 1280, height: 800 },
      { width: 900, height: 600 }
    ]) {
      await page.setViewportSize(viewport)
      await page.mouse.move(viewport.width - 10, viewport.height - 10)
      await page.evaluate(
        () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))
      )
      await page.screenshot({
        path: join(SHOTS, `${name}-${viewport.width}x${viewport.height}.png`)
      })
    }
    await page.setViewportSize({ width: 1280, height: 800 })
  }

  it('shows LeNet as rows with shapes and parameters; adds, removes and explains layers', async () => {
    const page = await openStudioPage(browser, studio, problems)
    // The seed preset: two simple rows, the hidden layer and the output.
    await expect
      .poll(() => rowTexts(page))
      .toEqual(['dense1 10 (10) · 7 850 params', 'dense2 output (10) · 110 params'])
    await shoot(page, 'architecture-seed')

    await page.getByRole('combobox', { name: 'Preset' }).selectOption({ label: 'LeNet-5' })
    await expect.poll(() => rows(page).count()).toBe(8)
    await expect(row(page, 'conv1').innerText()).resolves.toMatch(
      /^conv1\s+5×5×6\s+\(6, 28, 28\) · 156 params$/
    )
    await expect(row(page, 'pool2').innerText()).resolves.toMatch(/\(16, 5, 5\)$/)
    await expect(page.getByText('61 706 params in total').count()).resolves.toBe(1)
    // One line per row at 1280 wide.
    const heights = await rows(page).evaluateAll((items) =>
      items.map((item) => item.getBoundingClientRect().height)
    )
    expect(Math.max(...heights)).toBeLessThan(32)
    await shoot(page, 'architecture-lenet')

    // Add a dropout: it goes at the end of the hidden layers, and the preset says so.
    await page.getByRole('combobox', { name: 'Kind of layer to add' }).selectOption('dropout')
    await page.getByRole('button', { name: 'Add layer' }).click()
    await expect.poll(() => rows(page).count()).toBe(9)
    await expect(summary(page, 'dropout1').innerText()).resolves.toMatch(
      /^dropout1\s+0\.25\s+\(84\)$/
    )
    await expect
      .poll(() => page.locator('#field-preset-help').innerText())
      .toMatch(/Modified: \+ dropout 0\.25 after dense2\./)
    // Edit it, then remove it with the keyboard.
    await page.getByRole('textbox', { name: 'Dropout rate' }).fill('0.5')
    await expect(summary(page, 'dropout1').innerText()).resolves.toMatch(/^dropout1\s+0\.5\s/)
    await row(page, 'dropout1').getByRole('button').first().focus()
    await page.keyboard.press('Delete')
    await expect.poll(() => rows(page).count()).toBe(8)

    // Widen conv1 and read the new count on its row; the change is described by layer.
    await row(page, 'conv1').getByRole('button').first().click()
    await page.getByRole('textbox', { name: 'Filters' }).fill('8')
    await expect(row(page, 'conv1').innerText()).resolves.toMatch(/\(8, 28, 28\) · 208 params/)
    await expect
      .poll(() => page.locator('#field-preset-help').innerText())
      .toMatch(/conv1 6 → 8 filters/)

    // An impossible list: pool1 with 8×8 windows leaves conv2 a 3×3 image for its 5×5 filters. Explained
    // on conv2's row, and Start names it.
    await page.getByRole('textbox', { name: 'Kernel size' }).fill('5')
    await row(page, 'pool1').getByRole('button').first().click()
    await page.getByRole('textbox', { name: 'Pool size' }).fill('8')
    await expect(row(page, 'pool1').innerText()).resolves.toMatch(/\(8, 3, 3\)/)
    await expect(row(page, 'conv2').innerText()).resolves.toMatch(
      /a 5×5 filter does not fit its 3×3 input/
    )
    const start = page.getByRole('button', { name: 'Start' })
    await expect(start.getAttribute('aria-disabled')).resolves.toBe('true')
    await expect(start.getAttribute('data-tooltip')).resolves.toMatch(
      /Fix first: Layer conv2 \(conv 5×5×16 valid ReLU\): a 5×5 filter does not fit its 3×3 input/
    )
    await start.focus() // aria-disabled, so a pointer click is refused by playwright, not by the page
    await page.keyboard.press('Enter')
    await expect
      .poll(() => page.getByRole('alert').innerText())
      .toMatch(
        /Not started: Layer conv2 \(conv 5×5×16 valid ReLU\): a 5×5 filter does not fit its 3×3 input/
      )
    await page.getByRole('textbox', { name: 'Pool size' }).fill('2')
    await expect.poll(() => start.getAttribute('aria-disabled')).toBe('false')

    await row(page, 'pool2').getByRole('button').first().click()
    await page.getByRole('button', { name: 'Move down' }).click()
    await expect(row(page, 'pool2').innerText()).resolves.toMatch(
      /reads images \[channels, height, width\], but flatten1 gives a flat vector/
    )
    await shoot(page, 'architecture-invalid')
    await page.getByRole('button', { name: 'Move up' }).click()
    await expect.poll(() => start.getAttribute('aria-disabled')).toBe('false')
    expect(problems).toEqual([])
    await page.close()
  })

  it('draws the augmentation strip again when its settings change, the same for the same settings', async () => {
    const page = await openStudioPage(browser, studio, problems)
    // The seed preset does not augment: one plain digit.
    await page
      .getByRole('combobox', { name: 'Preset' })
      .selectOption({ label: 'Seed: the original project' })
    await expect(strip(page).getAttribute('aria-label')).resolves.toMatch(/unchanged/)
    await page.getByRole('combobox', { name: 'Preset' }).selectOption({ label: 'LeNet-5' })
    await expect.poll(() => strip(page).getAttribute('aria-label')).toMatch(/6 augmented versions/)
    const first = await stripPixels(page)
    await page.getByRole('textbox', { name: 'Random rotation' }).fill('30')
    await expect.poll(() => stripPixels(page)).not.toBe(first)
    await page.getByRole('textbox', { name: 'Random rotation' }).fill('10')
    await expect.poll(() => stripPixels(page)).toBe(first)
    await page.getByRole('button', { name: 'New samples' }).click()
    await expect.poll(() => stripPixels(page)).not.toBe(first)
    await page.locator('.augmentation-strip').scrollIntoViewIfNeeded()
    await shoot(page, 'augmentation-strip')
    expect(problems).toEqual([])
    await page.close()
  })
})
