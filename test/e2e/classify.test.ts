// The Classify view in a real Chromium through browser mode, as a new user would use it: train briefly,
// then drop several files at once (a real MNIST digit as PNG and JPEG, and bad files: text named .png,
// zero bytes, SVG, a PNG header claiming 100000×100000, a blank image), paste an image, draw a digit
// with the mouse, drop a model file and too many files. Each file gets its prediction or its own error
// card; the window never freezes. Saves screenshots to look at.

import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, expect, it } from 'vitest'
import { PATIENTLY } from '../helpers/waits'
import {
  encodeJpeg,
  encodePng,
  hugeHeaderPng,
  mnistTest,
  pageFile,
  paperDigit,
  softmaxModelFile
} from './classify-files'
import { bigDigit, card, cards, drawOne, dropFiles, settledCard } from './classify-page'
import { REPO_ROOT } from './harness'
import { screenshots, SHOTS } from './studio-page'
import { describeStudio } from './studio-session'

const BAD_IMAGES = join(REPO_ROOT, 'test/fixtures/bad-images')

describeStudio('classify view', (session) => {
  const { openStudio, problems } = session

  let mnist: ReturnType<typeof mnistTest>
  let sevenPng: Uint8Array

  beforeAll(async () => {
    mnist = mnistTest()
    expect(mnist.labels[0]).toBe(7) // the first MNIST test image is a clear 7
    sevenPng = encodePng(paperDigit(mnist, 0))
    // Train briefly so that predictions mean something: the seed preset with more batches.
    const page = await openStudio()
    await page.getByRole('textbox', { name: 'Batches per epoch' }).fill('1500')
    await page.getByRole('button', { name: 'Start' }).click()
    await page
      .getByRole('status', { name: 'Training status' })
      .getByText('Finished')
      .waitFor({ timeout: 170_000 })
    await page.close()
  }, 240_000)

  it('classifies several dropped files at once, each with its prediction or its own error card', async () => {
    const page = await openStudio()
    const blank = encodePng({
      width: 120,
      height: 90,
      data: new Uint8Array(120 * 90 * 4).fill(250)
    })
    const two = paperDigit(mnist, 1)
    expect(mnist.labels[1]).toBe(2)
    const files = [
      pageFile('seven.png', sevenPng, 'image/png'),
      pageFile('two.jpg', encodeJpeg(two), 'image/jpeg'),
      pageFile('seven-really-a-png.jpg', sevenPng, 'image/jpeg'), // wrong extension: decoded by content
      pageFile('seven-large.jpg', encodeJpeg(paperDigit(mnist, 0, 72)), 'image/jpeg'), // 2106×2066: decoded scaled down
      pageFile('notes.png', new TextEncoder().encode('shopping list: milk, eggs\n'), 'image/png'),
      pageFile('empty.png', new Uint8Array(0), 'image/png'),
      pageFile(
        'drawing.svg',
        new TextEncoder().encode(
          '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script><text>7</text></svg>'
        ),
        'image/svg+xml'
      ),
      pageFile('huge.png', hugeHeaderPng(sevenPng), 'image/png'),
      pageFile('blank.png', blank, 'image/png')
    ]
    await dropFiles(page, files)
    // The drop switched to the Classify view, and every file got its own card.
    await expect
      .poll(() => page.getByRole('tab', { name: 'Classify' }).getAttribute('aria-selected'))
      .toBe('true')
    await expect.poll(() => cards(page).count()).toBe(files.length)

    expect(await settledCard(page, 'seven.png')).toMatch(
      /^seven\.png: predicted 7 \(probability \d+(\.\d)?%\)/
    )
    expect(await settledCard(page, 'seven-really-a-png.jpg')).toMatch(/predicted 7/)
    expect(await settledCard(page, 'two.jpg')).toMatch(/predicted 2/)
    expect(await settledCard(page, 'seven-large.jpg')).toMatch(/predicted 7/)
    expect(await settledCard(page, 'notes.png')).toMatch(/text file, not an image/)
    expect(await settledCard(page, 'empty.png')).toMatch(/empty \(0 bytes\)/)
    expect(await settledCard(page, 'drawing.svg')).toMatch(/SVG drawings are not supported/)
    expect(await settledCard(page, 'huge.png')).toMatch(
      /100000×100000 pixels, larger than the limit of 8192×8192/
    )
    expect(await settledCard(page, 'blank.png')).toMatch(/no digit found/i)
    // The error is written on the card itself, not only in its name.
    await expect(card(page, 'empty.png').innerText()).resolves.toMatch(/The file is empty/)

    // The first file is shown large: the digit, ten labelled bars, the 28×28 next to the original.
    await expect.poll(() => bigDigit(page).innerText()).toBe('7')
    const bars = page.getByRole('list', { name: 'Probabilities' }).getByRole('listitem')
    await expect(bars.count()).resolves.toBe(10)
    const sevenBar = (await bars.nth(7).getAttribute('aria-label')) ?? ''
    expect(sevenBar).toMatch(/^7: \d+%$/)
    expect(Number(sevenBar.slice(3, -1))).toBeGreaterThan(50)
    await expect(
      page
        .getByRole('img', { name: /^What the network sees: 28×28 version of seven\.png/ })
        .isVisible()
    ).resolves.toBe(true)
    await expect(
      page
        .getByRole('region', { name: 'Prediction' })
        .getByRole('img', { name: 'Original: seven.png' })
        .isVisible()
    ).resolves.toBe(true)

    // The 28×28 is MNIST-like: light digit on black, with ink near the centre and none in the corners.
    const frame = await page
      .getByRole('img', { name: /^What the network sees/ })
      .evaluate((canvas: HTMLCanvasElement) => {
        const { data } = canvas.getContext('2d')!.getImageData(0, 0, 28, 28)
        const at = (x: number, y: number): number => data[(y * 28 + x) * 4]
        let ink = 0
        for (let i = 0; i < data.length; i += 4) ink += data[i] > 128 ? 1 : 0
        return { ink, corner: at(0, 0) + at(27, 0) + at(0, 27) + at(27, 27) }
      })
    expect(frame.corner).toBe(0)
    expect(frame.ink).toBeGreaterThan(40)

    // Show steps: the crop box on the original, and the steps in words (this one was inverted).
    await page.getByRole('checkbox', { name: 'Show steps' }).check()
    await expect(page.getByTestId('crop-box').isVisible()).resolves.toBe(true)
    await expect(
      page.getByRole('definition').filter({ hasText: 'inverted' }).count()
    ).resolves.toBe(1)
    await screenshots(page, 'classify-steps')
    // A large photo is decoded scaled down (core/vision would average it down anyway).
    await card(page, 'seven-large.jpg').click()
    await expect
      .poll(() =>
        page
          .getByRole('definition')
          .filter({ hasText: '2106×2066 px JPEG, decoded at 1600×1570' })
          .count()
      )
      .toBe(1)
    await page.getByRole('checkbox', { name: 'Show steps' }).uncheck()

    // Clicking a card shows it large; an error card shows its problem there too.
    await card(page, 'two.jpg').click()
    await expect.poll(() => bigDigit(page).innerText()).toBe('2')
    await card(page, 'drawing.svg').click()
    await expect(
      page.getByRole('alert').filter({ hasText: 'SVG drawings are not supported' }).isVisible()
    ).resolves.toBe(true)
    await card(page, 'seven.png').click()
    await expect.poll(() => bigDigit(page).innerText()).toBe('7')
    await screenshots(page, 'classify-gallery')

    // The SVG never became a document: no frame, object or image points at it.
    const active = await page.evaluate(
      () => document.querySelectorAll('iframe, object, embed, img[src$=".svg"]').length
    )
    expect(active).toBe(0)
    expect(problems).toEqual([])
    await page.close()
  })

  it('shows a full-window drop target while files are dragged over the window', async () => {
    const page = await openStudio({ width: 1024, height: 700 })
    await dropFiles(page, [pageFile('seven.png', sevenPng, 'image/png')], { drop: false })
    await expect(page.getByTestId('drop-overlay').isVisible()).resolves.toBe(true)
    await expect(page.getByText('Drop to classify').isVisible()).resolves.toBe(true)
    await page.screenshot({ path: join(SHOTS, 'classify-drop-target-light-1024x700.png') })
    // No dragover for a moment (the drag left or ended outside): the target goes away by itself.
    await expect.poll(() => page.getByTestId('drop-overlay').count(), { timeout: 10_000 }).toBe(0)
    expect(problems).toEqual([])
    await page.close()
  })

  it('classifies a pasted image', async () => {
    const page = await openStudio()
    await page.locator('body').click({ position: { x: 640, y: 20 } })
    await page.evaluate((base64) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))
      const transfer = new DataTransfer()
      transfer.items.add(new File([bytes], 'image.png', { type: 'image/png' }))
      document.body.dispatchEvent(
        new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true })
      )
    }, Buffer.from(sevenPng).toString('base64'))
    await expect
      .poll(() => page.getByRole('tab', { name: 'Classify' }).getAttribute('aria-selected'))
      .toBe('true')
    expect(await settledCard(page, 'Pasted image')).toMatch(/^Pasted image: predicted 7/)
    await expect.poll(() => bigDigit(page).innerText()).toBe('7')

    // The real thing: an image on the system clipboard, and Ctrl+V with no text field focused.
    await page
      .context()
      .grantPermissions(['clipboard-read', 'clipboard-write'], { origin: session.studio.origin })
    await page.evaluate(async (base64) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))
      await navigator.clipboard.write([
        new ClipboardItem({ 'image/png': new Blob([bytes], { type: 'image/png' }) })
      ])
    }, Buffer.from(sevenPng).toString('base64'))
    await page.locator('body').click({ position: { x: 640, y: 20 } })
    await page.keyboard.press('Control+V')
    await expect.poll(() => cards(page).count()).toBe(2)
    await expect
      .poll(() => cards(page).first().getAttribute('aria-label'), PATIENTLY)
      .toMatch(/^Pasted image: predicted 7/)
    expect(problems).toEqual([])
    await page.close()
  })

  it('reads a digit drawn with the mouse, live, and undoes and clears strokes', async () => {
    const page = await openStudio()
    const at = await drawOne(page, { lift: false })
    await expect.poll(() => bigDigit(page).innerText(), PATIENTLY).toBe('1') // live, before the pen lifts
    await page.mouse.up()
    await expect.poll(() => bigDigit(page).innerText(), PATIENTLY).toBe('1')
    await expect(
      page
        .getByRole('img', { name: /^What the network sees: 28×28 version of Your drawing/ })
        .isVisible()
    ).resolves.toBe(true)

    // A stray second stroke, undone.
    await page.mouse.move(...at(0.15, 0.85))
    await page.mouse.down()
    await page.mouse.move(...at(0.3, 0.86), { steps: 6 })
    await page.mouse.up()
    await page.getByRole('button', { name: 'Undo' }).click()
    await expect.poll(() => bigDigit(page).innerText(), PATIENTLY).toBe('1')
    await page.getByRole('button', { name: 'Keep' }).click()
    expect(await settledCard(page, 'Drawing 1')).toMatch(/^Drawing 1: predicted 1/)
    await screenshots(page, 'classify-drawing')

    // Clear: the drawing is gone and the panel shows the kept card instead.
    await page.getByRole('button', { name: 'Clear', exact: true }).click()
    await expect(page.getByRole('button', { name: 'Undo' }).isDisabled()).resolves.toBe(true)
    await expect.poll(() => page.getByRole('img', { name: /Your drawing/ }).count()).toBe(0)
    expect(problems).toEqual([])
    await page.close()
  })

  it('drops a model file: it is loaded or refused with a notice, never shown as an image', async () => {
    const page = await openStudio()
    await dropFiles(page, [
      pageFile(
        'not-a-model.json',
        new TextEncoder().encode('{"format": "something else"}'),
        'application/json'
      )
    ])
    const notice = page.getByRole('alert').filter({ hasText: 'Could not load the model' })
    await expect.poll(() => notice.count(), PATIENTLY).toBe(1)
    // It stayed in the Train view (nothing to classify) and made no card.
    expect(await page.getByRole('tab', { name: 'Train' }).getAttribute('aria-selected')).toBe(
      'true'
    )
    await page.getByRole('button', { name: 'Dismiss notice' }).click()
    await expect(notice.count()).resolves.toBe(0)
    await page.close()
  })

  it('loads a dropped model file and re-classifies the gallery with it', async () => {
    const page = await openStudio()
    await dropFiles(page, [pageFile('seven.png', sevenPng, 'image/png')])
    expect(await settledCard(page, 'seven.png')).toMatch(/predicted 7/)
    const distribution = () =>
      page
        .getByRole('list', { name: 'Probabilities' })
        .getByRole('listitem')
        .evaluateAll((bars) => bars.map((b) => b.getAttribute('aria-label')).join(' '))
    const before = await distribution()
    await dropFiles(page, [
      pageFile('softmax.json', new TextEncoder().encode(softmaxModelFile()), 'application/json')
    ])
    await expect
      .poll(
        () =>
          page
            .getByRole('status')
            .filter({ hasText: /^Loaded model softmax\.json \(784 → 10\)/ })
            .count(),
        PATIENTLY
      )
      .toBe(1)
    await expect
      .poll(() => page.getByTestId('predictor').innerText())
      .toMatch(/Model file softmax\.json · 784 → 10/)
    await page.mouse.move(1270, 790)
    await page.screenshot({ path: join(SHOTS, 'classify-model-loaded-light-1280x800.png') })
    await expect.poll(distribution).not.toBe(before) // re-classified with the loaded weights
    expect(await settledCard(page, 'seven.png')).toMatch(/predicted 7/) // the linear model reads it too
    expect(await cards(page).count()).toBe(1) // the model file made no card
    // The Train view says whose weights it shows, and what Start would do to them.
    await page.getByRole('tab', { name: 'Train' }).click()
    await expect
      .poll(() =>
        page
          .getByRole('note')
          .filter({ hasText: /^Showing a loaded model: 784 → 10 · loaded from softmax\.json/ })
          .count()
      )
      .toBe(1)
    expect(await page.getByRole('status', { name: 'Training status' }).innerText()).toContain(
      'Ready'
    )
    expect(problems).toEqual([])
    await page.close()
  })

  it('opens at most 100 files from one drop, says so, and stays responsive', async () => {
    const page = await openStudio()
    const many = Array.from({ length: 103 }, (_, i) =>
      pageFile(
        `file-${i}.png`,
        i % 2 ? sevenPng : new TextEncoder().encode(`not an image ${i}`),
        'image/png'
      )
    )
    await dropFiles(page, many)
    await expect
      .poll(() =>
        page.getByRole('status').filter({ hasText: 'Opened the first 100 of 103 files' }).count()
      )
      .toBe(1)
    await expect.poll(() => cards(page).count()).toBe(100)
    // While the files are read, the window still answers: switching tabs works at once.
    await page.getByRole('tab', { name: 'Train' }).click()
    await expect
      .poll(() => page.getByRole('tab', { name: 'Train' }).getAttribute('aria-selected'))
      .toBe('true')
    await page.getByRole('tab', { name: 'Classify' }).click()
    await expect.poll(() => page.getByText(/reading \d+…/).count(), { timeout: 120_000 }).toBe(0)
    expect(await settledCard(page, 'file-99.png')).toMatch(/predicted 7/)
    expect(await settledCard(page, 'file-98.png')).toMatch(/text file/)
    expect(problems).toEqual([])
    await page.close()
  })

  it('gives every file of the bad-image set its own clear message', async () => {
    if (!existsSync(join(BAD_IMAGES, 'expected.json'))) return
    const expected = JSON.parse(readFileSync(join(BAD_IMAGES, 'expected.json'), 'utf8'))
      .files as Record<string, { error?: string; label?: number }>
    const names = readdirSync(BAD_IMAGES).filter((name) => name in expected)
    const page = await openStudio()
    await dropFiles(
      page,
      names.map((name) => pageFile(name, new Uint8Array(readFileSync(join(BAD_IMAGES, name)))))
    )
    await expect.poll(() => cards(page).count()).toBe(names.length)
    for (const name of names) {
      const label = await settledCard(page, name)
      const want = expected[name]
      if (want.error) expect(label.toLowerCase(), name).toContain(want.error.toLowerCase())
      else expect(label, name).toMatch(/predicted \d/)
    }
    await screenshots(page, 'classify-bad-files')
    expect(problems).toEqual([])
    await page.close()
  })
})
