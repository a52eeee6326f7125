// The network step-through of a conv net in a real Chromium, as a learner would use it: every tensor's
// shape, a picked pixel of conv1 written out as its window's products and their sum, the activation
// after it, the pooling window's winner and where its gradient goes, a filter value's gradient.

import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { expect, it } from 'vitest'
import { PATIENTLY } from '../helpers/waits'
import { screenshots, SHOTS, trainingStatus } from './studio-page'
import { describeStudio } from './studio-session'

/** The stage shown, scrolled to the top of the screenshots: its formula, its maps, the pixel's story. */
const STAGE = 'section[aria-labelledby="network-title"] article.stage-view'
/** "−0.123" → -0.123. */
const numberOf = (text: string) => Number(text.trim().replace(/−/g, '-'))

describeStudio('explore view: a conv net, number by number', ({ openStudio, problems }) => {
  const network = (page: Page) => page.locator('section[aria-labelledby="network-title"]')
  const stageButton = (page: Page, id: string) =>
    network(page)
      .getByRole('navigation', { name: 'Stages' })
      .getByRole('button', { name: new RegExp(`^${id} `) })
  const formula = (page: Page) => network(page).getByTestId('stage-formula').innerText()
  const picked = (page: Page) => network(page).getByTestId('picked-value').innerText()

  it('picks a pixel of conv1: its window’s products sum to it; the pool’s winner takes the gradient', async () => {
    const page = await openStudio()
    // A small conv net trained briefly: 4 filters of 5×5, then 2×2 pooling, then the 10 outputs.
    // The layer list's text form (test/e2e/architecture.test.ts drives its rows).
    await page.getByText('Type the layers').click()
    await page.getByRole('textbox', { name: 'Hidden layers' }).fill('conv5x5x4, pool2')
    await page.getByRole('textbox', { name: 'Batches per epoch' }).fill('40')
    await page.getByRole('textbox', { name: 'Epochs' }).fill('1')
    await page.getByRole('textbox', { name: 'Seed' }).fill('1')
    await expect.poll(() => page.getByRole('button', { name: 'Start' }).isEnabled()).toBe(true)
    await page.getByRole('button', { name: 'Start' }).click()
    await expect
      .poll(() => trainingStatus(page).innerText(), { timeout: 120_000 })
      .toMatch(/Finished/)

    await page.getByRole('tab', { name: 'Explore' }).click()
    await expect
      .poll(() => page.getByTestId('network-summary').innerText(), PATIENTLY)
      .toMatch(/^Test image 0 · true digit 7/)
    expect(await page.getByTestId('shape-chain').innerText()).toBe(
      'x (1, 28, 28) → z1 (4, 28, 28) → a1 (4, 28, 28) → m1 (4, 14, 14) → f (1, 784) → z2 (1, 10)'
    )

    // conv1's output: pick map 2, then the pixel at row 12, column 14 with the mouse.
    await stageButton(page, 'z1').click()
    await expect.poll(() => formula(page)).toBe('z1 = W1 ⋆ x + b1')
    expect(await network(page).getByTestId('stage-shapes').innerText()).toBe(
      '(1, 28, 28) ⋆ (4, 1, 5, 5) + (4) → (4, 28, 28)'
    )
    await network(page).getByRole('button', { name: 'Show map 2' }).click()
    const map = network(page).getByRole('img', { name: /^z1, map 2: click a pixel/ })
    const box = (await map.boundingBox())!
    await page.mouse.click(box.x + (box.width * 14.5) / 28, box.y + (box.height * 12.5) / 28)
    await expect.poll(() => picked(page)).toMatch(/^z1\[2, 12, 14\] = /)
    const z = numberOf((await picked(page)).split('=')[1])

    const story = network(page).getByRole('region', { name: /^How z1 at this pixel is computed/ })
    const sum = await story.getByTestId('pixel-sum').innerText()
    const lines = sum.split('\n')
    expect(lines[0]).toBe('z1[2, 12, 14] = Σ W1[2, c, u, v] · x[c, 10 + u, 12 + v] + b')
    // 25 products w×x, then + b, then the sum, which is the feature map's value; then the activation.
    const products = [...sum.matchAll(/(−?[\d.e−]+)×(−?[\d.e−]+)/g)]
    expect(products).toHaveLength(25)
    const bias = numberOf(/\+ (\S+) \(b\)/.exec(sum)![1])
    const written = products.reduce((total, m) => total + numberOf(m[1]) * numberOf(m[2]), bias)
    expect(Math.abs(written - z)).toBeLessThan(0.01 + Math.abs(z) * 0.01) // factors shown to 4 digits
    const total = numberOf(lines.at(-2)!.replace('=', ''))
    expect(total).toBeCloseTo(z, 3)
    expect(lines.at(-1)).toMatch(/^a1\[2, 12, 14\] = ReLU\(\S+\) = \S+$/)
    await screenshots(page, 'explore-conv-window', STAGE)
    await page.setViewportSize({ width: 900, height: 600 })
    await story.evaluate((el) => el.scrollIntoView({ block: 'start' }))
    await page.screenshot({ path: join(SHOTS, 'explore-conv-window-light-900x600.png') })
    await page.setViewportSize({ width: 1280, height: 800 })

    // The keyboard moves the pixel; the next stage (a1) keeps it.
    await map.focus()
    await page.keyboard.press('ArrowRight')
    await expect.poll(() => picked(page)).toMatch(/^z1\[2, 12, 15\] = /)
    await stageButton(page, 'a1').click()
    await expect.poll(() => picked(page)).toMatch(/^a1\[2, 12, 15\] = /)

    // The pooling: the window of m1[2, 6, 7] and the pixel that won it.
    await stageButton(page, 'm1').click()
    await expect.poll(() => formula(page)).toBe('m1 = maxpool2(a1)')
    await expect
      .poll(() => network(page).getByTestId('pool-winner').first().innerText())
      .toMatch(/^m1\[2, 6, 7\] = max\(\S+, \S+, \S+, \S+\) = \S+, won by a1\[2, 1[23], 1[45]\]$/)
    expect(
      await network(page)
        .getByRole('cell', { name: /^winner / })
        .count()
    ).toBe(1)
    await screenshots(page, 'explore-conv-pool', STAGE)

    // Backward through the pooling: only the winner receives dm1.
    await stageButton(page, 'da1').click()
    await expect.poll(() => formula(page)).toBe('da1 = dm1 routed to each window’s max')
    await expect
      .poll(() => network(page).getByTestId('pool-winner').nth(1).innerText())
      .toMatch(
        /^da1\[2, 1[23], 1[45]\] = dm1\[2, 6, 7\] = \S+; the other 3 pixels of the window get 0$/
      )

    // conv1's filters' gradient: the input correlated with dz1, term by term.
    await stageButton(page, 'dW1').click()
    await expect.poll(() => formula(page)).toBe('dW1 = x ⋆ dz1')
    const filterSum = await network(page)
      .getByRole('region', { name: /^One filter value’s gradient/ })
      .getByTestId('pixel-sum')
      .innerText()
    expect(filterSum.split('\n')[0]).toMatch(/^dW1\[2, 0, \d, \d\] = Σᵢⱼ dz1\[2, i, j\] · x\[0, i/)
    expect(problems).toEqual([])
    await page.close()
  })
})
