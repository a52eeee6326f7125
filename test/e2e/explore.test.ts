// The Explore view in a real Chromium through browser mode, as a learner would use it: step backward
// through the original example and read the notes' numbers, run gradient descent and watch L fall,
// step through the real network on a test image, and check a gradient from a heatmap pixel.

import { join } from 'node:path'
import type { Locator, Page } from 'playwright-core'
import { expect, it } from 'vitest'
import { PATIENTLY } from '../helpers/waits'
import { drawOne } from './classify-page'
import { screenshots, SHOTS } from './studio-page'
import { describeStudio } from './studio-session'

describeStudio('explore view', (session) => {
  const { openStudio, problems } = session

  async function openExplore(viewport = { width: 1280, height: 800 }): Promise<Page> {
    const page = await openStudio(viewport)
    await page.getByRole('tab', { name: 'Explore' }).click()
    await page
      .getByRole('heading', { name: /Backpropagation on a scalar graph/ })
      .waitFor(PATIENTLY)
    return page
  }

  const node = (page: Page, label: string) => page.locator(`[data-node="${label}"]`)
  const gradOf = (page: Page, label: string) => node(page, label).locator('.grad').textContent()
  const backwardNotes = (page: Page) => page.getByRole('region', { name: 'Backward pass notes' })
  /** The gradient check's relative error, once it names the weight `where` and has computed it. */
  const relativeErrorOf = async (check: Locator, where: string): Promise<number> => {
    await expect.poll(() => check.innerText(), PATIENTLY).toContain(where)
    await expect.poll(() => check.getByTestId('check-relative-error').count(), PATIENTLY).toBe(1)
    const text = await check.getByTestId('check-relative-error').innerText()
    return Number(text.split(' ')[0].replace(/−/g, '-'))
  }

  it('steps backward through the original example and shows 2.54, −2.54 and −5.08', async () => {
    const page = await openExplore()
    const next = page.getByRole('button', { name: 'Next step' })
    // Forward: 8 nodes, one per click; the values appear in topological order.
    for (let i = 0; i < 8; i++) await next.click()
    await expect.poll(() => node(page, 'z3').locator('.data').textContent()).toBe('1.27')
    await expect.poll(() => node(page, 'L').locator('.data').textContent()).toBe('1.6129')

    // Backward, one node per step, by keyboard on the focused graph.
    const graph = page.getByRole('group', { name: /Computation graph/ })
    await graph.focus()
    const scrollTop = () => page.locator('.explore-view').evaluate((el) => el.scrollTop)
    const scrolledBefore = await scrollTop()
    await page.keyboard.press('ArrowRight') // visit L
    await expect.poll(() => gradOf(page, 'z3')).toBe('2.54')
    await page.keyboard.press('ArrowRight') // visit z3
    await expect.poll(() => gradOf(page, 'z2')).toBe('−2.54')
    await expect
      .poll(() => backwardNotes(page).locator('.current').innerText())
      .toContain('dL/dz2 = dL/dz3 · dz3/dz2 = 2.54 · (−1) = −2.54')
    await page.keyboard.press('ArrowRight') // visit z2
    await page.keyboard.press('ArrowRight') // visit z1
    await expect.poll(() => gradOf(page, 'w')).toBe('−5.08')
    expect(await scrollTop()).toBe(scrolledBefore) // the notes follow the steps without scrolling the graph away
    expect(await gradOf(page, 'b')).toBe('−2.54')
    expect(await gradOf(page, 'x')).toBe('−5.08')
    const notes = await backwardNotes(page).innerText()
    for (const line of [
      'dL/dz3 = dL/dL · dL/dz3 = 1 · 2.54 = 2.54',
      'dL/db = dL/dz2 · dz2/db = −2.54 · 1 = −2.54',
      'dL/dw = dL/dz1 · dz1/dw = −2.54 · 2 = −5.08'
    ]) {
      expect(notes).toContain(line)
    }
    // ← goes back one step: w's gradient is not known yet.
    await page.keyboard.press('ArrowLeft')
    await expect.poll(() => gradOf(page, 'w')).toBe('—')
    await page.keyboard.press('ArrowRight')

    await screenshots(page, 'explore-scalar', 'section[aria-labelledby="scalar-title"]')
    expect(problems).toEqual([])
    await page.close()
  })

  it('applies an update and runs iterations: L falls', async () => {
    const page = await openExplore()
    await page.getByRole('button', { name: 'Backward pass' }).click()
    const loss = async () =>
      Number((await node(page, 'L').locator('.data').textContent())!.replace(/−/g, '-'))
    expect(await loss()).toBeCloseTo(1.6129, 4)
    await expect.poll(() => page.getByText('w ← 2 − 0.01 · (−5.08) = 2.0508').count()).toBe(1)
    await page.getByRole('button', { name: 'Apply update' }).click()
    await expect.poll(loss).toBeLessThan(1.6129)
    await expect
      .poll(() => page.getByTestId('descent-summary').innerText())
      .toMatch(/after 1 update$/)
    await page.getByRole('textbox', { name: 'Iterations' }).fill('40')
    await page.getByRole('button', { name: 'Run 40 iterations' }).click()
    await expect
      .poll(() => page.getByTestId('descent-summary').innerText())
      .toMatch(/after 41 updates/)
    expect(await loss()).toBeLessThan(0.5)
    // The chart drew the falling curve.
    const ink = await page
      .getByRole('img', { name: 'L over the updates' })
      .evaluate((canvas: HTMLCanvasElement) => {
        const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height)
        let count = 0
        for (let i = 0; i < data.length; i += 4)
          if (data[i + 3] > 200 && data[i + 2] > data[i] + 60) count++
        return count
      })
    expect(ink).toBeGreaterThan(50)
    await page.getByRole('radio', { name: 'Neuron (tanh)' }).check()
    await page.getByRole('button', { name: 'Backward pass' }).click()
    await expect.poll(() => node(page, 'o').locator('.data').textContent()).toBe('0.7071')
    await expect.poll(() => gradOf(page, 'n')).toBe('0.5')
    await screenshots(page, 'explore-neuron', 'section[aria-labelledby="scalar-title"]')
    expect(problems).toEqual([])
    await page.close()
  })

  const network = (page: Page) => page.locator('section[aria-labelledby="network-title"]')
  const stageButton = (page: Page, id: string) =>
    network(page)
      .getByRole('navigation', { name: 'Stages' })
      .getByRole('button', { name: new RegExp(`^${id} `) })

  it('steps the real network through a test image: shapes, the ReLU mask, dW1 beside the weights', async () => {
    // Train the seed network on 1000 batches first, so the weights beside dW1 look like digit templates.
    const page = await session.browser.newPage({
      viewport: { width: 1280, height: 800 },
      colorScheme: 'light'
    })
    page.on('pageerror', (error) => problems.push(error.message))
    await page.goto(session.studio.url)
    await page.getByRole('textbox', { name: 'Batches per epoch' }).fill('1000')
    await expect.poll(() => page.getByRole('button', { name: 'Start' }).isEnabled()).toBe(true)
    await page.getByRole('button', { name: 'Start' }).click()
    await expect
      .poll(() => page.getByRole('status', { name: 'Training status' }).innerText(), {
        timeout: 120_000
      })
      .toContain('Finished')
    await page.getByRole('tab', { name: 'Explore' }).click()
    // The first page of test images arrives and image 0 is stepped through.
    await expect.poll(() => network(page).getByRole('option').count(), PATIENTLY).toBe(16)
    await network(page)
      .getByRole('option', { name: /^Test image 3,/ })
      .click()
    await expect
      .poll(() => page.getByTestId('network-summary').innerText(), PATIENTLY)
      .toMatch(/^Test image 3 · true digit \d/)
    const shapes = () => network(page).getByTestId('stage-shapes').innerText()
    const formula = () => network(page).getByTestId('stage-formula').innerText()
    expect(await formula()).toBe('x')
    expect(await shapes()).toBe('(1, 784)')

    const next = network(page).getByRole('button', { name: 'Next stage' })
    await next.click()
    await expect.poll(formula).toBe('z1 = x · W1 + b1')
    expect(await shapes()).toBe('(1, 784) · (784, 10) + (1, 10) → (1, 10)')
    await next.click() // a1
    await next.click() // z2
    await expect.poll(shapes).toBe('(1, 10) · (10, 10) + (1, 10) → (1, 10)')
    await next.click() // p
    await next.click() // loss
    await expect.poll(formula).toMatch(/^L = −log p\[\d\]$/)
    expect(Number(await page.getByTestId('stage-loss').innerText())).toBeGreaterThan(0)
    await next.click() // dz2
    await expect.poll(formula).toBe('dz2 = p − y')

    await stageButton(page, 'dW1').click()
    await expect.poll(formula).toBe('dW1 = xᵀ · dz1')
    expect(await shapes()).toBe('(784, 1) · (1, 10) → (784, 10)')
    await expect
      .poll(() =>
        network(page)
          .getByRole('img', { name: /^dW1, unit \d$/ })
          .count()
      )
      .toBe(10)
    expect(
      await network(page)
        .getByRole('img', { name: /^W1, unit \d$/ })
        .count()
    ).toBe(10)
    await screenshots(page, 'explore-network', 'section[aria-labelledby="network-title"]')

    // Click a pixel in the middle of unit 2's weight tile: the gradient check answers beside it.
    const tile = network(page).getByRole('img', { name: 'W1, unit 2', exact: true })
    const box = (await tile.boundingBox())!
    await page.mouse.click(box.x + (box.width * 14.5) / 28, box.y + (box.height * 12.5) / 28)
    const check = network(page).getByRole('region', { name: 'Gradient check of one weight' })
    expect(await relativeErrorOf(check, 'unit 2, pixel (12, 14)')).toBeLessThan(0.05)

    await stageButton(page, 'dz1').click()
    await expect.poll(formula).toBe('dz1 = da1 ⊙ [z1 > 0]')
    await stageButton(page, 'W1′').click()
    await expect.poll(formula).toBe('W1 ← W1 − lr · dW1')
    expect(problems).toEqual([])
    await page.close()
  })

  it('steps through a digit drawn in the Classify view', async () => {
    const page = await openExplore()
    await expect
      .poll(() => network(page).getByRole('button', { name: 'Use my image' }).isDisabled())
      .toBe(true)
    await drawOne(page)
    await page
      .getByRole('img', { name: /^What the network sees: 28×28 version of Your drawing/ })
      .waitFor(PATIENTLY)

    await page.getByRole('tab', { name: 'Explore' }).click()
    await network(page).getByRole('button', { name: 'Use my image' }).click()
    await expect
      .poll(() => page.getByTestId('network-summary').innerText(), PATIENTLY)
      .toMatch(/^Your image \(/)
    await stageButton(page, 'x').click()
    await expect.poll(() => network(page).getByTestId('stage-shapes').innerText()).toBe('(1, 784)')
    expect(problems).toEqual([])
    await page.close()
  })

  it('checks a layer’s gradients, and a weight clicked in the Train view’s heatmaps', async () => {
    const page = await openExplore()
    const section = page.locator('section[aria-labelledby="gradcheck-title"]')
    await section.getByRole('textbox', { name: 'Weights to sample' }).fill('20')
    await section.getByRole('button', { name: 'Check layer' }).click()
    await expect
      .poll(() => page.getByTestId('worst-relative-error').count(), { timeout: 90_000 })
      .toBe(1)
    const worst = Number(
      (await page.getByTestId('worst-relative-error').innerText()).replace(/−/g, '-')
    )
    expect(worst).toBeLessThan(1e-2)
    expect(await section.getByRole('table').getByRole('row').count()).toBe(6) // header + the worst 5
    await section.evaluate((el) => el.scrollIntoView({ block: 'end' }))
    await page.screenshot({ path: join(SHOTS, 'explore-gradcheck-light-1280x800.png') })

    // The Train view: one batch, so the first layer's heatmaps appear; then click a pixel of unit 3.
    await page.getByRole('tab', { name: 'Train' }).click()
    await page.getByRole('button', { name: 'Step', exact: true }).click()
    const tile = page.getByRole('img', { name: 'Unit 3 incoming weights' })
    await tile.waitFor(PATIENTLY)
    await tile.scrollIntoViewIfNeeded() // the time-travel bar under the charts: tiles may be below the fold
    const box = (await tile.boundingBox())!
    await page.mouse.click(box.x + (box.width * 14.5) / 28, box.y + (box.height * 14.5) / 28)
    const check = page.getByRole('region', { name: 'Gradient check of one weight' })
    expect(
      await relativeErrorOf(check, 'dense1.weight[2758] · unit 3, pixel (14, 14)')
    ).toBeLessThan(0.05)
    expect(
      Number((await check.getByTestId('check-analytic').innerText()).replace(/−/g, '-'))
    ).not.toBeNaN()
    await check.evaluate((el) => el.scrollIntoView({ block: 'end' }))
    await page.screenshot({ path: join(SHOTS, 'explore-train-heatmap-check-light-1280x800.png') })
    await check.getByRole('button', { name: 'Close the gradient check' }).click()
    await expect.poll(() => check.count()).toBe(0)
    expect(problems).toEqual([])
    await page.close()
  })
})
