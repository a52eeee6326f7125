// A training thread for tests of what ends it (test/electron/parallel/threaded-trainer.test.ts): trains
// the small conv net on 2 threads with the faulty helper (FAULT=hang: stuck in a step), says 'stepping',
// and steps until it is terminated, as the host's watchdog ends a training worker that fell silent.

import { createRequire } from 'node:module'
import { join } from 'node:path'
import { parentPort } from 'node:worker_threads'

// The sources are TypeScript: loaded through tsx, as CommonJS (as the helper thread loads them).
const require = createRequire(import.meta.url)
require('tsx/cjs')
const { PRESETS, takeFirst } = require('../../../core')
const { loadMnist } = require('../../../electron/files/datasets')
const { ParallelTrainer } = require('../../../electron/parallel/parallel-trainer')
const { SMALL_CONV_NET } = require('../../helpers/architectures')

const { train } = await loadMnist()
const config = {
  ...PRESETS.seed.config,
  architecture: SMALL_CONV_NET,
  batchSize: 32,
  batchCount: 'all'
}
const trainer = await ParallelTrainer.create(config, takeFirst(train, 2000), {
  threads: 2,
  sharing: { mode: 'shared' },
  helperScript: join(import.meta.dirname, 'faulty-helper.mjs')
})
parentPort.postMessage('stepping')
for (;;) trainer.step()
