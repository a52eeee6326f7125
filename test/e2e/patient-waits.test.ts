// vitest.config.mts gives this project's `expect.poll` a patient default (test/helpers/waits.ts),
// so that a poll on the worker or the browser without its own timeout survives a loaded CI machine.

import { expect, it } from 'vitest'

it('a poll without its own timeout keeps trying past vitest’s 1 s default', async () => {
  const started = performance.now()
  await expect.poll(() => performance.now() - started, { interval: 100 }).toBeGreaterThan(1_500)
})
