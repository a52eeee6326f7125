// Two small trained MNIST models for the export tests (ONNX Runtime, PyTorch): a dense net and a conv
// net with every layer kind, trained briefly (~90% on the test set) and cached on disk like
// quick-model.ts, so the test files that share them train each once.

import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { crc32, loadModel, PRESETS, serializeModel, Trainer, type TrainConfig } from '../../core'
import { loadMnist } from '../../electron/files/datasets'
import { denseNet, SMALL_CONV_NET } from './architectures'
import { QUICK_MODEL_PATH } from './quick-model'

const seed = PRESETS.seed.config

export const SMALL_NETS = {
  dense: { ...seed, architecture: denseNet([32]), batchCount: 300 },
  conv: {
    ...seed,
    architecture: SMALL_CONV_NET,
    optimizer: { kind: 'sgd', momentum: 0.9 },
    batchCount: 200
  }
} as const satisfies Record<string, TrainConfig>

export type SmallNetName = keyof typeof SMALL_NETS

/** The cached model file of a small net, training and writing it first if missing or unreadable. */
export async function smallNetFile(name: SmallNetName): Promise<string> {
  const config: TrainConfig = SMALL_NETS[name]
  const key = crc32(new TextEncoder().encode(JSON.stringify(config))).toString(16)
  const path = join(QUICK_MODEL_PATH, '..', `small-${name}-${key}.json`)
  try {
    loadModel(readFileSync(path, 'utf8'))
    return path
  } catch {
    const { train } = await loadMnist()
    const trainer = new Trainer(config, train)
    while (!trainer.done) trainer.step()
    mkdirSync(join(path, '..'), { recursive: true })
    // Written to a temporary name and renamed, so a test file running in parallel never reads half a file.
    const temporary = `${path}.${process.pid}.tmp`
    writeFileSync(temporary, serializeModel(trainer.model, { trainingConfig: config }))
    renameSync(temporary, path)
    return path
  }
}
