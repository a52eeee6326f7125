// Every view with a trained conv net (LeNet-5, a few batches), in a real Chromium through browser mode:
// Train shows its filters and the feature maps of a probe digit; Classify, Evaluate, Runs and the Model
// menu work with it and read well. Saves screenshots (1280×800 and 900×600) to look at.

import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { expect, it } from 'vitest'
import { PATIENTLY } from '../helpers/waits'
import { drawOne } from './classify-page'
import { SHOTS, trainingStatus } from './studio-page'
import { describeStudio } from './studio-session'

describeStudio('a conv net in every view', ({ openStudio, problems }) => {
  let page: Page
  const files = mkdtempSync(join(tmpdir(), 'backprop-studio-conv-'))

  /** The page at 1280×800 and 900×600 (it must fit), `anchor` scrolled to the top first. */
  async function shots(name: string, anchor?: string): Promise<void> {
    for (const viewport of [
      { width: 1280, height: 800 },
      { width: 900, height: 600 }
    ]) {
      await page.setViewportSize(viewport)
      await page.mouse.move(viewport.width - 5, viewport.height - 5)
      if (anchor) await page.locator(anchor).evaluate((el) => el.scrollIntoView({ block: 'start' }))
      await page.evaluate(
        () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))
      )
      await page.screenshot({
        path: join(SHOTS, `conv-${name}-${viewport.width}x${viewport.height}.png`)
      })
    }
    await page.setViewportSize({ width: 1280, height: 800 })
  }

  it('trains LeNet-5 for a few batches', async () => {
    page = await openStudio()
    await page.getByRole('combobox', { name: 'Preset' }).selectOption({ label: 'LeNet-5' })
    await page.getByRole('textbox', { name: 'Batches per epoch' }).fill('40')
    await page.getByRole('textbox', { name: 'Epochs' }).fill('1')
    await page.getByRole('textbox', { name: 'Seed' }).fill('1')
    await page.getByRole('button', { name: 'Start' }).click()
    await expect
      .poll(() => trainingStatus(page).innerText(), { timeout: 120_000 })
      .toMatch(/Finished/)
  }, 180_000)

  const featureMaps = () => page.getByRole('region', { name: 'Feature maps' })
  const layerTitles = (region: ReturnType<Page['getByRole']>) =>
    region.getByRole('heading', { level: 3 }).allInnerTexts()
  const LENET_MAPS = [
    'conv1 · (6, 28, 28) conv 5×5×6 ReLU',
    'pool1 · (6, 14, 14) pool 2: each window’s maximum',
    'conv2 · (16, 10, 10) conv 5×5×16 valid ReLU',
    'pool2 · (16, 5, 5) pool 2: each window’s maximum'
  ]

  it('Train: the filters, and below them every conv and pool layer’s maps of a test digit', async () => {
    await expect.poll(() => layerTitles(featureMaps())).toEqual(LENET_MAPS)
    await expect
      .poll(() =>
        featureMaps()
          .getByText(/^Test image 0 · true 7 · predicted \d \(/)
          .count()
      )
      .toBe(1)
    expect(
      await featureMaps()
        .getByRole('img', { name: /^conv2 map \d+$/ })
        .count()
    ).toBe(16)
    // Hover reads a value: the pixel under the pointer, in the layer's map.
    const map = featureMaps().getByRole('img', { name: 'conv1 map 2' })
    const box = (await map.boundingBox())!
    await map.hover({ position: { x: box.width * 0.5, y: box.height * 0.5 } })
    await expect
      .poll(() =>
        featureMaps()
          .getByText(/^conv1 · map 2 · row 1[34], col 1[34] · -?[\d.e+-]+$/)
          .count()
      )
      .toBe(1)
    // The keyboard reaches the maps as it does the weight tiles: Tab into a layer, arrows and Page Down
    // move a pixel cursor and the readout reads its value; the next Tab is the next layer's maps.
    const focused = () =>
      page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? '')
    await featureMaps().getByRole('spinbutton', { name: 'Test image' }).focus()
    for (let i = 0; i < 10 && !(await focused()).startsWith('conv1 map'); i++)
      await page.keyboard.press('Tab')
    expect(await focused()).toBe('conv1 map 0')
    const readout = () =>
      featureMaps()
        .getByText(/^conv1 · map \d+ · row \d+, col \d+ · /)
        .innerText()
    const [, row, col] = /row (\d+), col (\d+)/.exec(await readout())!.map(Number)
    // One pixel up (down from the top row), then the next map at that pixel.
    await page.keyboard.press(row > 0 ? 'ArrowUp' : 'ArrowDown')
    await page.keyboard.press('PageDown')
    expect(await focused()).toBe('conv1 map 1')
    const moved = row > 0 ? row - 1 : row + 1
    expect(await readout()).toMatch(new RegExp(`^conv1 · map 1 · row ${moved}, col ${col} · \\S+$`))
    await page.keyboard.press('Tab')
    expect(await focused()).toBe('pool1 map 0')
    await expect
      .poll(() =>
        featureMaps()
          .getByText(/^pool1 · map 0 · row/)
          .count()
      )
      .toBe(1)
    // Another test digit: the maps follow.
    await featureMaps().getByRole('spinbutton', { name: 'Test image' }).fill('2')
    await featureMaps().getByRole('spinbutton', { name: 'Test image' }).press('Enter')
    await expect
      .poll(
        () =>
          featureMaps()
            .getByText(/^Test image 2 · true 1 · predicted/)
            .count(),
        PATIENTLY
      ) // the worker answers between training steps: under load, seconds
      .toBe(1)
    // A filter pixel still checks its gradient.
    const filter = page.getByRole('img', { name: 'Filter 0 incoming weights' })
    const fbox = (await filter.boundingBox())!
    await filter.click({ position: { x: fbox.width * 0.5, y: fbox.height * 0.5 } })
    await expect.poll(() => page.getByText(/conv1\.weight\[/).count(), PATIENTLY).toBeGreaterThan(0)
    await shots('train', '.feature-maps')
    expect(problems).toEqual([])
  })

  it('Classify: a drawn digit’s prediction, and what each layer makes of it; Train then probes it', async () => {
    await drawOne(page)
    await expect
      .poll(() => page.getByTestId('predicted-digit').innerText(), PATIENTLY)
      .toMatch(/^\d$/)
    const inside = page.getByRole('region', { name: 'Inside the network' })
    await expect.poll(() => layerTitles(inside), PATIENTLY).toEqual(LENET_MAPS)
    await shots('classify')
    // The Train view's probe is now the drawing; a test digit is a click away again.
    await page.getByRole('tab', { name: 'Train' }).click()
    await expect
      .poll(() =>
        featureMaps()
          .getByText(/^Your drawing · predicted \d \(/)
          .count()
      )
      .toBe(1)
    expect(problems).toEqual([])
  })

  const modelBar = () => page.getByRole('region', { name: 'Model', exact: true })
  async function evaluate(): Promise<string> {
    await page.getByRole('tab', { name: 'Evaluate' }).click()
    const button = page.getByRole('button', { name: /^(Evaluate on the test set|Evaluate again)$/ })
    await expect.poll(() => button.isEnabled(), PATIENTLY).toBe(true)
    await button.click()
    await expect.poll(() => button.innerText(), { timeout: 120_000 }).toBe('Evaluate again')
    return page.getByTestId('test-accuracy').innerText()
  }

  it('Evaluate: the confusion matrix, a cell’s images, and saliency through the conv layers', async () => {
    const accuracy = await evaluate()
    expect(accuracy).toMatch(/^\d+\.\d+%$/)
    await expect(modelBar().innerText()).resolves.toContain(
      '1×28×28 → conv 5×5×6 ReLU → pool 2 → conv 5×5×16 valid ReLU'
    )
    const cells = page.getByRole('button', { name: /^true 7, predicted \d: \d+ images?$/ })
    expect(await cells.count()).toBe(10)
    await page.getByRole('button', { name: /^true 7, predicted 7: \d+ images$/ }).click()
    const thumbs = page.getByRole('button', {
      name: /^Test image \d+: true 7, predicted 7 with probability/
    })
    await expect.poll(() => thumbs.count(), PATIENTLY).toBeGreaterThan(0)
    const name = (await thumbs.first().getAttribute('aria-label'))!
    const index = /Test image (\d+)/.exec(name)![1]
    await thumbs.first().click()
    await page
      .getByRole('img', { name: `Saliency of class 7 for Test image ${index}` })
      .waitFor(PATIENTLY)
    await shots('evaluate')
    expect(problems).toEqual([])
  })

  it('Model menu: saves, loads back (same accuracy), exports .npz and ONNX, loads the ONNX back', async () => {
    const accuracy = await page.getByTestId('test-accuracy').innerText()
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Save model' }).click()
    ])
    expect(download.suggestedFilename()).toMatch(
      /^mnist-conv5x5x6-pool2-conv5x5x16valid-pool2-flatten-120-84-10-step40\.json$/
    )
    const saved = join(files, download.suggestedFilename())
    await download.saveAs(saved)
    await page.getByRole('tab', { name: 'Train' }).click()
    await page.getByRole('button', { name: 'Reset', exact: true }).click()
    await page.getByRole('tab', { name: 'Evaluate' }).click()
    await expect.poll(() => modelBar().getByText('Fresh weights').count(), PATIENTLY).toBe(1)
    await page.getByTestId('model-file-input').setInputFiles(saved)
    await expect
      .poll(
        () => modelBar().getByText(`Loaded from ${download.suggestedFilename()}`).count(),
        PATIENTLY
      )
      .toBe(1)
    expect(await evaluate()).toBe(accuracy)
    // The Train view draws the loaded model's filters and maps.
    await page.getByRole('tab', { name: 'Train' }).click()
    await expect.poll(() => layerTitles(featureMaps())).toEqual(LENET_MAPS)
    await page.getByRole('tab', { name: 'Evaluate' }).click()

    const [npz] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export .npz' }).click()
    ])
    const npzPath = join(files, npz.suggestedFilename())
    await npz.saveAs(npzPath)
    expect(readFileSync(npzPath).subarray(0, 2).toString('latin1')).toBe('PK')

    await page.getByRole('button', { name: 'Model', exact: true }).click()
    const [onnx] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('menuitem', { name: 'Export as ONNX…' }).click()
    ])
    const onnxPath = join(files, onnx.suggestedFilename())
    await onnx.saveAs(onnxPath)
    await page.getByTestId('model-file-input').setInputFiles(onnxPath)
    await expect
      .poll(
        () => modelBar().getByText(`Loaded from ${onnx.suggestedFilename()}`).count(),
        PATIENTLY
      )
      .toBe(1)
    expect(await evaluate()).toBe(accuracy)
    expect(problems).toEqual([])
  })

  it('Runs: the architecture in the table and in the config diff, short enough to read', async () => {
    // A second, shorter LeNet run to compare with the first.
    await page.getByRole('tab', { name: 'Train' }).click()
    await page.getByRole('textbox', { name: 'Batches per epoch' }).fill('10')
    await page.getByRole('button', { name: 'Start' }).click()
    await expect
      .poll(() => trainingStatus(page).innerText(), { timeout: 120_000 })
      .toMatch(/Finished/)
    await page.getByRole('tab', { name: 'Runs' }).click()
    const checkboxes = page.getByRole('checkbox', { name: /^Compare / })
    await expect.poll(() => checkboxes.count(), PATIENTLY).toBe(2)
    const table = page.getByRole('table', { name: /Recorded runs/ })
    await expect(table.innerText()).resolves.toContain(
      'conv5x5x6 · pool2 · conv5x5x16valid · pool2 · 120 · 84 · 10'
    )
    for (const box of await checkboxes.all()) await box.check()
    const diff = page.getByRole('region', { name: 'Compare configs' })
    await expect
      .poll(() => diff.getByRole('row', { name: /^Architecture/ }).innerText())
      .toContain('conv5x5x6 · pool2 · conv5x5x16valid · pool2 · 120 · 84 · 10')
    await shots('runs')
    await shots('runs-diff', '.runs-diff')
    expect(problems).toEqual([])
  })
})
