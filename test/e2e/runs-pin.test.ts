// The Runs view's time-travel budget notes in a real Chromium: a run the disk budget thinned says how
// long a scrub may replay, a run is pinned by keyboard with the toggle in its row (the pin kept by the
// host), and pinned runs over the budget are said. Screenshots at 1280×800 and 900×600.

import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { expect, it } from 'vitest'
import { PRESETS } from '../../core'
import type { RunRecord } from '../../electron/contract'
import { serializeRun } from '../../electron/host/run-file'
import { PATIENTLY } from '../helpers/waits'
import { SHOTS, trainBriefly } from './studio-page'
import { describeStudio } from './studio-session'

/** An mlp-preset run of 9 375 steps recorded yesterday, its checkpoints thinned by the budget. */
const thinned: RunRecord = {
  id: 'thinned-mlp',
  name: 'MLP, thinned by the budget',
  status: 'completed',
  startedAt: new Date(Date.now() - 86_400_000).toISOString(),
  durationSeconds: 44,
  steps: 9375,
  totalSteps: 9375,
  finalTestAccuracy: 0.9776,
  finalTestLoss: 0.075,
  config: PRESETS.mlp.config,
  changes: [],
  divergence: null,
  parent: null,
  timeTravelDropped: false,
  timeTravelThinned: { longestReplay: 1183 },
  pinned: false,
  metrics: [],
  evaluations: [],
  failure: null,
  health: []
}

describeStudio('runs: pins and the disk budget', (session) => {
  const { openStudio, problems } = session
  const pinOf = (page: Page, name: string) => page.getByRole('button', { name: `Pin ${name}` })

  it('shows a thinned run’s note, and pins a run by keyboard, kept by the host', async () => {
    const runs = join(session.studio.dataDir, 'runs')
    mkdirSync(runs, { recursive: true })
    writeFileSync(join(runs, `${thinned.id}.json`), serializeRun(thinned))
    // A pinned run whose checkpoints alone exceed the smallest budget (their content does not matter
    // to the budget, which never reads a pinned run's file).
    const big = { ...thinned, id: 'pinned-big', name: 'Pinned, 70 MB', timeTravelThinned: null }
    writeFileSync(join(runs, `${big.id}.json`), serializeRun({ ...big, pinned: true }))
    writeFileSync(join(runs, `${big.id}.checkpoints`), new Uint8Array(70 * 2 ** 20))
    const page = await openStudio()
    await trainBriefly(page, { batches: 100 })
    await page.getByRole('tab', { name: 'Runs' }).click()
    const rows = page.getByRole('row').filter({ has: page.getByRole('button', { name: /^Pin / }) })
    await expect.poll(() => rows.count(), PATIENTLY).toBe(3)
    await expect(rows.filter({ hasText: thinned.name }).innerText()).resolves.toContain(
      'time travel thinned: replays up to 1,183 steps'
    )

    const newName = (await rows.first().locator('td.col-name').innerText()).split('\n')[0].trim()
    const pin = pinOf(page, newName)
    await expect(pin.getAttribute('aria-pressed')).resolves.toBe('false')
    await expect(pin.getAttribute('title')).resolves.toBe(
      "Keep this run's time-travel data: the disk budget never thins or deletes it"
    )
    await pin.focus()
    await page.keyboard.press('Space')
    await expect.poll(() => pin.getAttribute('aria-pressed'), PATIENTLY).toBe('true')
    await page.getByRole('button', { name: 'Refresh' }).click()
    await expect.poll(() => pinOf(page, newName).getAttribute('aria-pressed')).toBe('true')
    await expect(pinOf(page, thinned.name).getAttribute('aria-pressed')).resolves.toBe('false')
    await expect(pinOf(page, big.name).getAttribute('aria-pressed')).resolves.toBe('true')

    // The smallest budget: the pinned runs' data alone exceeds it, and Runs says so.
    const budget = page.getByRole('spinbutton', { name: 'Time travel disk budget (MB)' })
    await budget.fill('64')
    await budget.press('Enter')
    await expect
      .poll(
        () => page.getByRole('status').filter({ hasText: 'Pinned runs' }).innerText(),
        PATIENTLY
      )
      .toMatch(/^Pinned runs' time-travel data alone takes 7\d MB, more than the 64 MB budget/)
    await expect(page.locator('.time-travel-usage').innerText()).resolves.toMatch(/7\d MB pinned/)

    mkdirSync(SHOTS, { recursive: true })
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
    for (const viewport of [
      { width: 1280, height: 800 },
      { width: 900, height: 600 }
    ]) {
      await page.setViewportSize(viewport)
      await page.mouse.move(viewport.width - 10, viewport.height - 10) // no tooltip in the picture
      await page.screenshot({
        path: join(SHOTS, `runs-pin-${viewport.width}x${viewport.height}.png`)
      })
    }
    expect(problems).toEqual([])
    await page.close()
  })
})
