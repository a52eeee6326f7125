// PyTorch, both ways, where a python with torch is available (BENCH_PYTHON or python3; skipped loudly
// otherwise): `npm run export -- --pytorch` writes a script that rebuilds our trained nets in PyTorch
// and reproduces their MNIST test accuracy; and nn.Sequential models exported by torch.onnx.export are
// imported into models that compute what PyTorch computes, or refused, naming the operator.

import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  denseForm,
  evaluate,
  fillBatchPixels,
  loadModel,
  Matrix,
  ModelFileError,
  type Dataset,
  type ModelFile
} from '../../core'
import { loadMnist, mnistDataDir } from '../../electron/files/datasets'
import { loadModelBytes } from '../../electron/files/model-bytes'
import { tempDir } from './support/temp-dir'
import { pythonWith } from '../helpers/python'
import { smallNetFile, type SmallNetName } from '../helpers/small-nets'

const ROOT = join(import.meta.dirname, '..', '..')
const python = pythonWith(['torch', 'numpy'], 'the PyTorch export and import tests')

function exportCli(args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'electron/cli/export.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, BACKPROP_DEBUG: '' },
    timeout: 120_000
  })
}

function runPython(args: string[]) {
  const run = spawnSync(python!, args, { encoding: 'utf8', timeout: 300_000, maxBuffer: 1 << 26 })
  // NOTE: torch.onnx.export warns (on stderr) that its TorchScript exporter is deprecated.
  expect(run.status, run.stderr).toBe(0)
  return run.stdout
}

/**
 * For each [layers, path] of the JSON in argv[1]: builds a seeded nn.Sequential from `layers` (Python
 * expressions), exports it to `path` with torch.onnx.export (opset 17, the TorchScript exporter: it
 * needs no onnxscript), and prints its logits on the first `count` MNIST test images; one JSON list.
 * NOTE: one python for every model, since importing torch takes seconds.
 */
const TORCH_EXPORT = `
import json, sys
import numpy as np, torch
from torch import nn
models, images, count = json.loads(sys.argv[1]), sys.argv[2], int(sys.argv[3])
data = open(images, 'rb').read()
x = torch.from_numpy(np.frombuffer(data, np.uint8, offset=16)[:count * 784].astype(np.float32) / 255)
x = x.reshape(count, 1, 28, 28)
logits = []
for layers, path in models:
    torch.manual_seed(0)
    model = nn.Sequential(*eval(layers)).eval()
    torch.onnx.export(model, (x,), path, input_names=['input'], output_names=['logits'],
                      dynamic_axes={'input': {0: 'N'}}, opset_version=17, dynamo=False)
    with torch.no_grad():
        logits.append(model(x).flatten().tolist())
print(json.dumps(logits))
`

/** Test images PyTorch and the imported models are compared on. */
const COUNT = 200

/** nn.Sequential layers to export with torch.onnx.export, and what the import must make of them. */
const SEQUENTIALS: [string, string, (file: ModelFile) => void][] = [
  [
    'Conv2d, ReLU, MaxPool2d, strided Conv2d, Tanh, Flatten, Linear, Sigmoid, Dropout, Linear',
    '[nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(4, 6, 5, stride=2), ' +
      'nn.Tanh(), nn.Flatten(), nn.Linear(150, 16), nn.Sigmoid(), nn.Dropout(0.3), nn.Linear(16, 10)]',
    (file) =>
      expect(file.architecture.layers.map((l) => l.kind)).toEqual([
        'conv',
        'maxpool',
        'conv',
        'flatten',
        'dense'
      ])
  ],
  [
    'Flatten, Linear, ReLU, Linear: a plain dense net',
    '[nn.Flatten(), nn.Linear(784, 32), nn.ReLU(), nn.Linear(32, 10)]',
    (file) => expect(denseForm(file.architecture)?.hiddenSizes).toEqual([32])
  ]
]
const UNSUPPORTED = '[nn.Flatten(), nn.Linear(784, 16), nn.ELU(), nn.Linear(16, 10)]'

describe.skipIf(!python)('PyTorch', () => {
  let test: Dataset
  let torchDir: string
  /** PyTorch's logits for SEQUENTIALS, in order. */
  let torchLogits: number[][]
  beforeAll(async () => {
    ;({ test } = await loadMnist())
    torchDir = tempDir('torch-onnx-')
    const models = [...SEQUENTIALS.map(([, layers]) => layers), UNSUPPORTED].map((layers, i) => [
      layers,
      join(torchDir, `${i}.onnx`)
    ])
    const images = join(mnistDataDir(), 't10k-images-idx3-ubyte')
    torchLogits = JSON.parse(
      runPython(['-c', TORCH_EXPORT, JSON.stringify(models), images, String(COUNT)])
    ) as number[][]
  }, 300_000)

  const nets: SmallNetName[] = ['dense', 'conv']
  for (const net of nets) {
    it(`npm run export -- --pytorch: python reproduces our test accuracy and predictions (${net})`, async () => {
      const modelPath = await smallNetFile(net)
      const { model } = loadModel(readFileSync(modelPath, 'utf8'))
      const ours = evaluate(model, test)
      const dir = tempDir('pytorch-')
      const script = join(dir, `${net}.py`)
      const exported = exportCli(['--model', modelPath, '--pytorch', script])
      expect(exported.stderr).toBe('')
      expect(exported.status).toBe(0)
      expect(exported.stdout).toContain(`Wrote `)
      expect(exported.stdout).toContain(join(dir, `${net}.state_dict.npz`))

      const predictionsPath = join(dir, 'predictions.txt')
      const printed = runPython([script, '--predictions', predictionsPath])
      const match = /test accuracy: ([\d.]+)% \((\d+) of 10000 MNIST test images\)/.exec(printed)
      expect(match, printed).not.toBeNull()
      const oursCorrect = Math.round(ours.accuracy * test.count)
      // float32 sums in another order can flip a near-tie: at most one image of 10 000 (0.01 %).
      expect(Math.abs(Number(match![2]) - oursCorrect)).toBeLessThanOrEqual(1)
      expect(Number(match![1])).toBeCloseTo(ours.accuracy * 100, 1)
      const theirs = readFileSync(predictionsPath, 'utf8').trim().split('\n').map(Number)
      expect(theirs).toHaveLength(test.count)
      const agree = theirs.filter((p, i) => p === ours.predictions[i]).length
      expect(agree).toBeGreaterThanOrEqual(test.count - 2)

      // The default --mnist is this repository's copy, named in the script.
      expect(readFileSync(script, 'utf8')).toContain(JSON.stringify(mnistDataDir()))
    })
  }

  SEQUENTIALS.forEach(([name, , check], index) => {
    it(`imports torch.onnx.export of nn.Sequential(${name}) to compute what PyTorch computes`, () => {
      const theirs = torchLogits[index]
      const loaded = loadModelBytes(readFileSync(join(torchDir, `${index}.onnx`)))
      check(loaded.file)
      const x = new Matrix(COUNT, 784)
      fillBatchPixels(test.pixels.subarray(0, COUNT * 784), x)
      const ours = loaded.model.forward(x).data
      expect(ours).toHaveLength(theirs.length)
      // float32 on both sides, summed in different orders: logits agree to ~1e-6.
      const worst = Math.max(...Array.from(ours, (v, i) => Math.abs(v - theirs[i])))
      expect(worst).toBeLessThan(1e-4)
    })
  })

  it('refuses a PyTorch model with an operator the studio does not have, naming it', () => {
    const path = join(torchDir, `${SEQUENTIALS.length}.onnx`)
    const load = () => loadModelBytes(readFileSync(path))
    expect(load).toThrow(ModelFileError)
    expect(load).toThrow(
      /^node 3 \(Elu "\/2\/Elu"\): operator Elu is not supported \(supported: Gemm, MatMul/
    )
  })
})
