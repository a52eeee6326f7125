// The Classify view as the classify e2e test (classify.test.ts) drives and reads it: dropping files the way a
// drag from the file manager does, and the gallery's cards by file name, settled to a prediction or a problem.

import type { Locator, Page } from 'playwright-core'
import { expect } from 'vitest'
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
    .poll(() => cardLabel(page, name), { timeout: 60_000 })
    .toMatch(new RegExp(`^${escaped}: (?!reading|classifying)`))
  return cardLabel(page, name)
}
export const bigDigit = (page: Page): Locator => page.getByTestId('predicted-digit')
