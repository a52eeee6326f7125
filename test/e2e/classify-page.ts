// The Classify view as the e2e tests drive and read it: dropping files the way a drag from the file
// manager does, drawing a digit on the pad, and the gallery's cards by file name, settled to a
// prediction or a problem.

import type { Locator, Page } from 'playwright-core'
import { expect } from 'vitest'
import { PATIENTLY } from '../helpers/waits'
import type { PageFile } from './classify-files'

/** Drops files on the window the way a drag from the file manager does: dragenter, dragover, drop. */
export async function dropFiles(
  page: Page,
  files: readonly PageFile[],
  { drop = true } = {}
): Promise<void> {
  await page.evaluate(
    ({ files, drop }) => {
      const transfer = new DataTransfer()
      for (const f of files) {
        const bytes = Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0))
        transfer.items.add(new File([bytes], f.name, { type: f.type }))
      }
      const target = document.querySelector('.app-view') ?? document.body
      const events = drop ? ['dragenter', 'dragover', 'drop'] : ['dragenter', 'dragover']
      for (const type of events)
        target.dispatchEvent(
          new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: transfer })
        )
    },
    { files, drop }
  )
}

/** A point of the draw pad at fractions (fx, fy) of its box, in page pixels. */
export type PadPoint = (fx: number, fy: number) => [number, number]

/**
 * Opens the Classify view and draws a "1" on its pad: one stroke down the middle, in 24 small steps
 * like a hand would. With `lift: false` the pen stays down (to read the live prediction; then
 * `page.mouse.up()`). Returns the pad's points, for more strokes.
 */
export async function drawOne(page: Page, { lift = true } = {}): Promise<PadPoint> {
  await page.getByRole('tab', { name: 'Classify' }).click()
  const box = (await page.getByTestId('draw-pad').boundingBox())!
  const at: PadPoint = (fx, fy) => [box.x + fx * box.width, box.y + fy * box.height]
  await page.mouse.move(...at(0.52, 0.14))
  await page.mouse.down()
  for (let i = 1; i <= 24; i++)
    await page.mouse.move(...at(0.52 - i * 0.002, 0.14 + (i * 0.72) / 24))
  if (lift) await page.mouse.up()
  return at
}

export const cards = (page: Page): Locator =>
  page.getByRole('list', { name: 'Classified images' }).getByRole('button')
export const card = (page: Page, name: string): Locator =>
  cards(page).filter({ has: page.getByText(name, { exact: true }) })
export const cardLabel = async (page: Page, name: string): Promise<string> =>
  (await card(page, name).getAttribute('aria-label')) ?? ''
/** Waits until the card has finished (a prediction or a problem) and returns its accessible name. */
export async function settledCard(page: Page, name: string): Promise<string> {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  await expect
    .poll(() => cardLabel(page, name), PATIENTLY)
    .toMatch(new RegExp(`^${escaped}: (?!reading|classifying)`))
  return cardLabel(page, name)
}
export const bigDigit = (page: Page): Locator => page.getByTestId('predicted-digit')
