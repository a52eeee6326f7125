// How long a test waits for the training worker or the browser to answer: one generous bound, the
// same for every such wait, so that a loaded CI machine cannot fail a test that is right.

/**
 * NOTE: vitest's `expect.poll` gives up after 1 s by default, and CI once failed on a poll that
 * waited for the worker (it answers between training steps; with both cores busy an answer that
 * takes 50 ms on a quiet machine took seconds). vitest.config.mts makes the same number the default
 * of `expect.poll` in the node and e2e projects (patient-waits.test.ts in test/e2e and
 * test/electron check it), and openStudio (test/e2e/studio-page.ts) the default of every Playwright
 * wait and action.
 * A wait that will never succeed still fails, only later.
 */
export const PATIENT_WAIT_MS = 60_000

/** For a wait's options: `expect.poll(read, PATIENTLY)`, `locator.waitFor(PATIENTLY)`. */
export const PATIENTLY = { timeout: PATIENT_WAIT_MS } as const
