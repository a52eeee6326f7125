// The Evaluate view in a real Chromium through browser mode, as a learner would use it: train briefly,
// evaluate on the test set, open a confusion cell and see its images ranked by confidence, open one's
// saliency map and explain another class, filter the mistakes; save the model, load it back and get the
// same accuracy, load a corrupted file and read why, export .npz, export ONNX from the Model menu and
// load that back with the same accuracy; switch and keep the theme.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { expect, it } from 'vitest'
import { PATIENTLY } from '../helpers/waits'
import { percentOf, screenshots, trainBriefly } from './studio-page'
import { describeStudio } from './studio-session'

describeStudio('evaluate view', ({ openStudio, problems }) => {
  const files = mkdtempSync(join(tmpdir(), 'backprop-studio-evaluate-'))

  const testAccuracy = (page: Page) => page.getByTestId('test-accuracy')
  const modelBar = (page: Page) => page.getByRole('region', { name: 'Model', exact: true })

  async function evaluate(page: Page): Promise<number> {
    await page.getByRole('tab', { name: 'Evaluate' }).click()
    const button = page.getByRole('button', { name: /^(Evaluate on the test set|Evaluate again)$/ })
    await expect.poll(() => button.isEnabled(), PATIENTLY).toBe(true)
    // NOTE: the click sets 'Evaluating…' before Playwright can look again, so 'Evaluate again' means done.
    await button.click()
    await expect.poll(() => button.innerText(), { timeout: 120_000 }).toBe('Evaluate again')
    await expect
      .poll(() => page.getByText('The model has changed since this evaluation').count())
      .toBe(0)
    return percentOf(await testAccuracy(page).innerText())
  }

  /** The off-diagonal cell with the most images, read from the cells' accessible names. */
  async function worstCell(
    page: Page
  ): Promise<{ name: string; trueClass: number; predicted: number; count: number }> {
    const names = await page
      .getByRole('button', { name: /^true \d, predicted \d: \d+ images?$/ })
      .evaluateAll((cells) => cells.map((cell) => cell.getAttribute('aria-label') ?? ''))
    expect(names).toHaveLength(100)
    const cells = names.map((name) => {
      const [, t, p, n] = /^true (\d), predicted (\d): (\d+)/.exec(name)!
      return { name, trueClass: Number(t), predicted: Number(p), count: Number(n) }
    })
    return cells.filter((c) => c.trueClass !== c.predicted).sort((a, b) => b.count - a.count)[0]
  }

  const thumbnails = (page: Page, region: string) =>
    page.getByRole('region', { name: region }).getByRole('button', {
      name: /^Test image \d+: true \d, predicted \d with probability [<>]?[\d.]+%$/
    })

  it('evaluates, shows a confusion cell’s images by confidence, and explains one with a saliency map', async () => {
    const page = await openStudio()
    await trainBriefly(page, { batches: 1500 }) // most of an epoch: a model with a few telling confusions
    const accuracy = await evaluate(page)
    expect(accuracy).toBeGreaterThan(0.6)

    // Per-class accuracy: one bar per digit, named.
    await expect(
      page.getByRole('listitem', { name: /^digit \d: [\d.]+% correct \(\d+ of \d+\)$/ }).count()
    ).resolves.toBe(10)

    const cell = await worstCell(page)
    expect(cell.count).toBeGreaterThan(0)
    await page.getByRole('button', { name: cell.name, exact: true }).click()
    const region = `True ${cell.trueClass} read as ${cell.predicted}`
    await expect
      .poll(() => thumbnails(page, region).count(), PATIENTLY)
      .toBe(Math.min(cell.count, 36))
    const names = await thumbnails(page, region).evaluateAll((buttons) =>
      buttons.map((b) => b.getAttribute('aria-label') ?? '')
    )
    for (const name of names)
      expect(name).toContain(`true ${cell.trueClass}, predicted ${cell.predicted}`)
    const confidences = names.map(percentOf)
    expect(confidences).toEqual([...confidences].sort((a, b) => b - a)) // most confident first

    // Saliency of the first image: the prediction by default, then the true class.
    const first = thumbnails(page, region).first()
    const index = /Test image (\d+)/.exec(names[0])![1]
    await first.click()
    const map = page.getByRole('img', {
      name: `Saliency of class ${cell.predicted} for Test image ${index}`
    })
    await map.waitFor(PATIENTLY)
    await expect(
      page
        .getByRole('radio', { name: new RegExp(`^Class ${cell.predicted}, probability`) })
        .isChecked()
    ).resolves.toBe(true)
    await expect(page.getByRole('group', { name: 'Colour scale' }).innerText()).resolves.toMatch(
      /\+\d/
    )
    const colours = await map.evaluate((canvas: HTMLCanvasElement) => {
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height)
      let red = 0
      let blue = 0
      for (let i = 0; i < data.length; i += 4) {
        if (data[i] > data[i + 2] + 40) red++
        else if (data[i + 2] > data[i] + 40) blue++
      }
      return { red, blue }
    })
    expect(colours.red).toBeGreaterThan(10) // pixels pushing the class up…
    expect(colours.blue).toBeGreaterThan(10) // …and down
    await page
      .getByRole('radio', { name: new RegExp(`^Class ${cell.trueClass}, probability`) })
      .check()
    await page
      .getByRole('img', { name: `Saliency of class ${cell.trueClass} for Test image ${index}` })
      .waitFor(PATIENTLY)

    // The mistakes, filtered by true class.
    await page.getByRole('combobox', { name: 'True' }).selectOption(String(cell.trueClass))
    await expect
      .poll(async () => {
        const all = await thumbnails(page, 'Misclassified images').evaluateAll((b) =>
          b.map((x) => x.getAttribute('aria-label') ?? '')
        )
        return (
          all.length > 0 &&
          all.every(
            (name) =>
              name.includes(`true ${cell.trueClass}, predicted`) &&
              !name.includes(`predicted ${cell.trueClass},`)
          )
        )
      }, PATIENTLY)
      .toBe(true)

    await page
      .getByRole('region', { name: 'Test-set evaluation' })
      .evaluate((panel) => panel.parentElement!.scrollTo(0, 0))
    await screenshots(page, 'evaluate')
    expect(problems).toEqual([])
    await page.close()
  })

  it('saves the model, loads it back with the same accuracy, explains a corrupted file, exports .npz', async () => {
    const page = await openStudio()
    await trainBriefly(page, { batches: 200 })
    const trained = await evaluate(page)

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Save model' }).click()
    ])
    const saved = join(files, download.suggestedFilename())
    await download.saveAs(saved)
    const text = readFileSync(saved, 'utf8')
    expect(JSON.parse(text)).toMatchObject({ format: 'backprop-studio-model' })

    // Another model (fresh weights), then the saved one back through the file input.
    await page.getByRole('tab', { name: 'Train' }).click()
    await page.getByRole('button', { name: 'Reset', exact: true }).click()
    await page.getByRole('tab', { name: 'Evaluate' }).click()
    await expect.poll(() => modelBar(page).getByText('Fresh weights').count(), PATIENTLY).toBe(1)
    await page.getByTestId('model-file-input').setInputFiles(saved)
    await expect
      .poll(
        () => modelBar(page).getByText(`Loaded from ${download.suggestedFilename()}`).count(),
        PATIENTLY
      )
      .toBe(1)
    expect(await evaluate(page)).toBe(trained)

    // A truncated file is refused with the host's explanation; the loaded model stays.
    const broken = join(files, 'broken-model.json')
    writeFileSync(broken, text.slice(0, Math.floor(text.length / 2)))
    await page.getByTestId('model-file-input').setInputFiles(broken)
    const alert = page.getByRole('alert')
    await alert.waitFor(PATIENTLY)
    await expect(alert.innerText()).resolves.toMatch(
      /^broken-model\.json: .*(JSON|truncated|damaged)/s
    )
    await expect(
      modelBar(page).getByText(`Loaded from ${download.suggestedFilename()}`).count()
    ).resolves.toBe(1)
    await page.getByRole('button', { name: 'Dismiss message' }).click()

    // Weights for numpy.
    const [npz] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export .npz' }).click()
    ])
    expect(npz.suggestedFilename()).toMatch(/\.npz$/)
    const npzPath = join(files, npz.suggestedFilename())
    await npz.saveAs(npzPath)
    expect(readFileSync(npzPath).subarray(0, 2).toString('latin1')).toBe('PK') // a zip archive, as np.load expects

    // ONNX from the header's Model menu, loaded back through the file input: the same weights.
    await page.getByRole('button', { name: 'Model', exact: true }).click()
    const [onnx] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('menuitem', { name: 'Export as ONNX…' }).click()
    ])
    expect(onnx.suggestedFilename()).toMatch(/\.onnx$/)
    const onnxPath = join(files, onnx.suggestedFilename())
    await onnx.saveAs(onnxPath)
    expect(readFileSync(onnxPath)[0]).toBe(0x08) // protobuf: ModelProto's ir_version first
    await page.getByTestId('model-file-input').setInputFiles(onnxPath)
    await expect
      .poll(
        () => modelBar(page).getByText(`Loaded from ${onnx.suggestedFilename()}`).count(),
        PATIENTLY
      )
      .toBe(1)
    expect(await evaluate(page)).toBe(trained)

    expect(problems).toEqual([])
    await page.close()
  })

  it('switches the theme and keeps it after a reload', async () => {
    const page = await openStudio()
    const theme = () => page.evaluate(() => document.documentElement.dataset.theme ?? 'system')
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor)
    const light = await background()
    await page.getByRole('radio', { name: 'Dark' }).check()
    await expect.poll(theme).toBe('dark')
    expect(await background()).not.toBe(light)
    await page.reload()
    await page.getByRole('button', { name: 'Start' }).waitFor(PATIENTLY)
    await expect.poll(theme, PATIENTLY).toBe('dark')
    await expect(page.getByRole('radio', { name: 'Dark' }).isChecked()).resolves.toBe(true)
    await page.getByRole('radio', { name: 'System' }).check()
    await expect.poll(theme).toBe('system')
    expect(await background()).toBe(light) // the page emulates a light system theme
    expect(problems).toEqual([])
    await page.close()
  })
})
