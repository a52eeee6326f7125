// What the time-travel end-to-end tests read off the Train view: the weights drawn and the probe
// digits the network at a step predicts right (time-travel.test.ts, open-recorded-run.test.ts).

import type { Page } from 'playwright-core'

/** The first weight tile as drawn: a stand-in for "these are the weights on screen". */
export const firstTile = (page: Page): Promise<string> =>
  page
    .getByRole('region', { name: 'First-layer weights' })
    .locator('canvas')
    .first()
    .evaluate((canvas: HTMLCanvasElement) => canvas.toDataURL())

/** How many probe digits the network at `step` predicts right, once the worker has replayed it. */
export async function probesRight(page: Page, step: number): Promise<number> {
  const heading = page
    .getByRole('region', { name: `Network at step ${step}` })
    .getByText(/Probe digits: \d+ of 10 right/)
  await heading.waitFor({ timeout: 30_000 })
  return Number(/(\d+) of 10/.exec(await heading.innerText())![1])
}
