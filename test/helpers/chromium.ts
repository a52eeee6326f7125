// Debian's Chromium as the end-to-end tests and `npm run bench:app` launch it (no vitest here, so
// bench/ can use it too).

import { chromium, type Browser } from 'playwright-core'

/** Debian's Chromium; CHROMIUM_PATH overrides it (another machine, or checking the skip path). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
/** Headless, and quiet: without the background-networking flags Chromium floods the closed network. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync'
]

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true })
}
