// A real MNIST model for tests that need one: the mlp preset trained for one epoch (~96% on the
// MNIST test set), cached on disk so the test files that share it train it once.

import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadModel, PRESETS, serializeModel, Trainer, type Sequential } from '../../core'
import { loadMnist } from '../../electron/files/datasets'

const CACHE_DIR = join(
  dirname(fileURLToPath(import.meta.url)),
  '../../node_modules/.cache/backprop-tests'
)
export const QUICK_MODEL_PATH = join(CACHE_DIR, 'mlp-1-epoch.json')

/** The cached model file's path, training and writing it first if it is missing or unreadable. */
export async function quickModelFile(): Promise<string> {
  try {
    loadModel(readFileSync(QUICK_MODEL_PATH, 'utf8'))
    return QUICK_MODEL_PATH
  } catch {
    const { train } = await loadMnist()
    const config = { ...PRESETS.mlp.config, epochs: 1 }
    const trainer = new Trainer(config, train)
    while (!trainer.done) trainer.step()
    mkdirSync(CACHE_DIR, { recursive: true })
    // Written to a temporary name and renamed, so a test file running in parallel never reads half a file.
    const temporary = `${QUICK_MODEL_PATH}.${process.pid}.tmp`
    writeFileSync(temporary, serializeModel(trainer.model, { trainingConfig: config }))
    renameSync(temporary, QUICK_MODEL_PATH)
    return QUICK_MODEL_PATH
  }
}

/** The quick model itself (see quickModelFile). */
export async function quickModel(): Promise<Sequential> {
  return loadModel(readFileSync(await quickModelFile(), 'utf8')).model
}
