// An exported .npz read back by python3 + numpy (an independent program) must give our predictions.

import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { evaluate, PRESETS, Trainer } from '../../core'
import { loadMnist, mnistDataDir } from '../../electron/files/datasets'
import { exportModelNpz } from '../../electron/files/npz'

const numpyAvailable =
  spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0
if (!numpyAvailable) {
  console.warn(
    '\n!!! python3 with numpy is not available: SKIPPING the .npz cross-check against numpy !!!\n'
  )
}

const READER = `
import sys, json, numpy as np
m = np.load(sys.argv[1], allow_pickle=False)
data = open(sys.argv[2], 'rb').read()
X = np.frombuffer(data, np.uint8, offset=16).reshape(-1, 784).astype(np.float32) / 255
act = {'relu': lambda z: np.maximum(z, 0), 'tanh': np.tanh, 'sigmoid': lambda z: 1 / (1 + np.exp(-z))}[str(m['activation'])]
a, k = X, 1
while f'W{k + 1}' in m.files:
    a = act(a @ m[f'W{k}'] + m[f'b{k}'])
    k += 1
logits = a @ m[f'W{k}'] + m[f'b{k}']
print(json.dumps({'predictions': logits.argmax(1).tolist(), 'dtypes': sorted({str(m[f].dtype) for f in m.files})}))
`

describe.skipIf(!numpyAvailable)('.npz export read by numpy', () => {
  for (const [name, hidden, activation] of [
    ['relu', [32], 'relu'],
    ['two tanh layers', [24, 12], 'tanh']
  ] as const) {
    it(`reproduces our predictions on the MNIST test set (${name})`, async () => {
      const { train, test } = await loadMnist()
      const config = {
        ...PRESETS.seed.config,
        architecture: { ...PRESETS.seed.config.architecture, hiddenSizes: [...hidden], activation },
        batchCount: 300
      }
      const trainer = new Trainer(config, train)
      while (!trainer.done) trainer.step()
      const ours = evaluate(trainer.model, test)
      const path = join(mkdtempSync(join(tmpdir(), 'npz-')), 'model.npz')
      writeFileSync(path, exportModelNpz(trainer.model))
      const run = spawnSync(
        'python3',
        ['-c', READER, path, join(mnistDataDir(), 't10k-images-idx3-ubyte')],
        { encoding: 'utf8', maxBuffer: 1 << 24 }
      )
      expect(run.stderr).toBe('')
      const result = JSON.parse(run.stdout) as { predictions: number[]; dtypes: string[] }
      expect(result.dtypes).toEqual(['<U4', 'float32']) // 'relu' and 'tanh' are both 4 characters
      const same = result.predictions.filter((p, i) => p === ours.predictions[i]).length
      // float32 sums in a different order can flip a near-tie; allow a handful out of 10 000.
      expect(same).toBeGreaterThanOrEqual(9995)
      const numpyAccuracy =
        result.predictions.filter((p, i) => p === test.labels[i]).length / test.count
      expect(Math.abs(numpyAccuracy - ours.accuracy)).toBeLessThanOrEqual(0.0005)
    })
  }
})
