// An exported .npz read back by python3 + numpy (an independent program, test/fixtures/numpy/
// npz_forward.py) must give our predictions: dense nets as the original project ran them, and conv nets.

import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { evaluate, PRESETS, Trainer, type TrainConfig } from '../../core'
import { mnistDataDir } from '../../electron/files/datasets'
import { exportModelNpz } from '../../electron/files/npz'
import { denseNet } from '../helpers/architectures'
import { useMnist } from '../helpers/mnist'

const numpyAvailable =
  spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0
if (!numpyAvailable) {
  console.warn(
    '\n!!! python3 with numpy is not available: SKIPPING the .npz cross-check against numpy !!!\n'
  )
}

const FORWARD = join(import.meta.dirname, '..', 'fixtures', 'numpy', 'npz_forward.py')
const seed = PRESETS.seed.config

const convNet: TrainConfig = {
  ...seed,
  architecture: {
    inputShape: [1, 28, 28],
    layers: [
      { kind: 'conv', filters: 4, kernel: 3, stride: 1, padding: 'same', activation: 'relu' },
      { kind: 'maxpool', size: 2 },
      { kind: 'conv', filters: 6, kernel: 3, stride: 2, padding: 'valid', activation: 'tanh' },
      { kind: 'flatten' },
      { kind: 'dense', units: 16, activation: 'relu' },
      { kind: 'dropout', rate: 0.2 }
    ],
    outputSize: 10
  },
  optimizer: { kind: 'sgd', momentum: 0.9 },
  batchCount: 200
}

const nets: [string, TrainConfig, string[]][] = [
  ['relu', { ...seed, architecture: denseNet([32]), batchCount: 300 }, ['<U4', 'float32']],
  // 'relu' and 'tanh' are both 4 characters
  [
    'two tanh layers',
    { ...seed, architecture: denseNet([24, 12], 'tanh'), batchCount: 300 },
    ['<U4', 'float32']
  ],
  [
    'a conv net: same and valid padding, stride 2, pooling, dropout',
    convNet,
    // floats, and one string: the architecture as JSON text
    [`<U${JSON.stringify(convNet.architecture).length}`, 'float32']
  ]
]

describe.skipIf(!numpyAvailable)('.npz export read by numpy', () => {
  const mnist = useMnist()

  for (const [name, config, dtypes] of nets) {
    it(`reproduces our predictions on the MNIST test set (${name})`, () => {
      const trainer = new Trainer(config, mnist.train)
      while (!trainer.done) trainer.step()
      const ours = evaluate(trainer.model, mnist.test)
      expect(ours.accuracy).toBeGreaterThan(0.8) // trained: the comparison means something
      const path = join(mkdtempSync(join(tmpdir(), 'npz-')), 'model.npz')
      writeFileSync(path, exportModelNpz(trainer.model))
      const run = spawnSync(
        'python3',
        [FORWARD, path, join(mnistDataDir(), 't10k-images-idx3-ubyte')],
        { encoding: 'utf8', maxBuffer: 1 << 24 }
      )
      expect(run.stderr).toBe('')
      const result = JSON.parse(run.stdout) as { predictions: number[]; dtypes: string[] }
      expect(result.dtypes).toEqual(dtypes)
      const same = result.predictions.filter((p, i) => p === ours.predictions[i]).length
      // float32 sums in a different order can flip a near-tie; allow a handful out of 10 000.
      expect(same).toBeGreaterThanOrEqual(9995)
      const numpyAccuracy =
        result.predictions.filter((p, i) => p === mnist.test.labels[i]).length / mnist.test.count
      expect(Math.abs(numpyAccuracy - ours.accuracy)).toBeLessThanOrEqual(0.0005)
    })
  }
})
