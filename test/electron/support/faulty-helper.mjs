// A training helper thread whose engine fails in every chunk it runs (forward or gradient): the real
// helper (electron/parallel/helper-thread.ts, through tsx) with its engine's passes replaced first.
// FAULT=hang (in the environment) makes them spin forever instead: a helper stuck in a step.

import { createRequire } from 'node:module'

// NOTE: loaded as CommonJS through tsx, as parallel-trainer.ts loads the real helper, so that the
// engine patched here is the very module the helper thread imports.
const require = createRequire(import.meta.url)
require('tsx/cjs')
const core = require('../../../core')

function fault() {
  if (process.env.FAULT === 'hang') for (;;);
  throw new Error('injected helper fault')
}
for (const Engine of [core.ConvNetwork, core.FastNetwork]) {
  Engine.prototype.forward = fault
  Engine.prototype.gradientPart = fault
}
require('../../../electron/parallel/helper-thread.ts')
