// A training worker that hangs once: the real built worker, which on its first run after the test
// created STUDIO_TEST_HANG_MARKER (and only then) is stuck in a busy loop a moment after the start, as a
// worker stuck in a kernel would be. The marker is removed first, so the fresh worker the host starts
// next behaves.

import { existsSync, rmSync } from 'node:fs'
import { parentPort } from 'node:worker_threads'

await import(new URL('../../../out/main/train-worker.js', import.meta.url).href)

const marker = process.env.STUDIO_TEST_HANG_MARKER
parentPort.on('message', (command) => {
  if (command.verb !== 'startTraining' || !marker || !existsSync(marker)) return
  rmSync(marker)
  setTimeout(() => {
    for (;;); // the hang under test
  }, 300)
})
