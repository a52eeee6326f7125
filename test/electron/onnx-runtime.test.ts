// Our ONNX files run in a real runtime: ONNX Runtime (onnxruntime-web, its WebAssembly build, in Node)
// gives our predictions and probabilities on MNIST test images for a trained dense and conv net; the
// ONNX checker accepts the files; a file read back predicts exactly as the model it came from; and a
// graph written the way other exporters write it (MatMul + Add, Reshape, Gemm without transB) is
// imported to compute what ONNX Runtime computes from it; and the CLI exports and evaluates .onnx files.

import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as ort from 'onnxruntime-web'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  argmax,
  createRng,
  fillBatchPixels,
  loadModel,
  Matrix,
  modelFromFile,
  ModelFileError,
  Sequential,
  softmaxRow,
  type Dataset
} from '../../core'
import { loadMnist } from '../../electron/files/datasets'
import { encodeOnnx } from '../../electron/files/onnx/onnx-codec'
import { exportModelOnnx, readOnnxModel } from '../../electron/files/onnx/onnx-file'
import { denseNet } from '../helpers/architectures'
import { chainModel, floatConstant, int, int64Constant, ints, values } from '../helpers/onnx-graphs'
import { pythonWith } from '../helpers/python'
import { SMALL_NETS, smallNetFile, type SmallNetName } from '../helpers/small-nets'

/** Test images compared per net. */
const IMAGES = 500
/**
 * Float32 tolerance, absolute: both sides compute in float32 but sum in different orders (and ONNX
 * Runtime fuses Conv + activation), so logits of size ~10 agree to a few ulps (~1e-6), probabilities
 * in [0, 1] closer still. Measured here: max |Δlogit| 2.9e-6, max |Δp| 6e-7.
 */
const LOGIT_TOLERANCE = 5e-5
const PROBABILITY_TOLERANCE = 1e-5

const nets: [string, SmallNetName][] = [
  ['dense 784 → 32 ReLU → 10', 'dense'],
  ['conv: same and valid padding, stride 2, pooling, tanh, sigmoid, dropout', 'conv']
]

const python = pythonWith(['onnx'], 'the ONNX checker (onnx.checker.check_model) on our files')
const CHECK = `
import sys, onnx
model = onnx.load(sys.argv[1])
onnx.checker.check_model(model, full_check=True)
print(model.ir_version, model.opset_import[0].version)
`

/** The first `count` test images as float32 [count, 784], pixels / 255. */
function testImages(test: Dataset, count: number): Matrix {
  const x = new Matrix(count, test.inputSize)
  fillBatchPixels(test.pixels.subarray(0, count * test.inputSize), x)
  return x
}

async function runOnnx(bytes: Uint8Array, x: Matrix, dims: number[]) {
  ort.env.wasm.numThreads = 1
  const session = await ort.InferenceSession.create(bytes)
  const outputs = await session.run({ input: new ort.Tensor('float32', x.data, [x.rows, ...dims]) })
  return outputs
}

/** `npm run NAME -- ARGS` as a user runs it: a real process. */
function cli(name: string, args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', `electron/cli/${name}.ts`, ...args], {
    cwd: join(import.meta.dirname, '..', '..'),
    encoding: 'utf8',
    env: { ...process.env, BACKPROP_DEBUG: '' },
    timeout: 120_000
  })
}

/** Largest |a − b| over two arrays of one length. */
function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length)
  let max = 0
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]))
  return max
}

function softmaxRows(logits: Matrix): Float32Array {
  const out = new Float32Array(logits.data.length)
  for (let r = 0; r < logits.rows; r++) softmaxRow(logits.data, out, r * logits.cols, logits.cols)
  return out
}

function predictions(scores: ArrayLike<number>, classes: number): number[] {
  const rows = scores.length / classes
  return Array.from({ length: rows }, (_, r) =>
    argmax(Float32Array.from(Array.prototype.slice.call(scores, r * classes, (r + 1) * classes)))
  )
}

describe('ONNX export run by ONNX Runtime', () => {
  let test: Dataset
  beforeAll(async () => {
    ;({ test } = await loadMnist())
  })

  for (const [name, net] of nets) {
    it(`gives our predictions and probabilities on ${IMAGES} MNIST test images (${name})`, async () => {
      const { model } = loadModel(readFileSync(await smallNetFile(net), 'utf8'))
      const x = testImages(test, IMAGES)
      const logits = model.forward(x)
      const ours = predictions(logits.data, 10)
      const correct = ours.filter((p, i) => p === test.labels[i]).length
      expect(correct / IMAGES).toBeGreaterThan(0.8) // trained: the comparison means something

      const bytes = exportModelOnnx(model, { producerVersion: 'test' })
      const outputs = await runOnnx(bytes, x, [1, 28, 28])
      const theirLogits = outputs.logits.data as Float32Array
      const theirProbabilities = outputs.probabilities.data as Float32Array
      expect(outputs.logits.dims).toEqual([IMAGES, 10])
      expect(maxDifference(theirLogits, logits.data)).toBeLessThan(LOGIT_TOLERANCE)
      expect(maxDifference(theirProbabilities, softmaxRows(logits))).toBeLessThan(
        PROBABILITY_TOLERANCE
      )
      expect(predictions(theirProbabilities, 10)).toEqual(ours)

      // Read back: the same architecture, the same parameters bit for bit, the same logits.
      const file = readOnnxModel(bytes)
      expect(file.architecture).toEqual(SMALL_NETS[net].architecture)
      expect(modelFromFile(file).forward(x).data).toEqual(logits.data)

      if (python) {
        const path = join(mkdtempSync(join(tmpdir(), 'onnx-')), 'model.onnx')
        writeFileSync(path, bytes)
        const check = spawnSync(python, ['-c', CHECK, path], { encoding: 'utf8' })
        expect(check.stderr).toBe('')
        expect(check.stdout.trim()).toBe('8 17')
      }
    })
  }

  it('imports a graph written with MatMul + Add, Reshape, Gemm without transB and Conv → MaxPool → Relu as ONNX Runtime runs it', async () => {
    const onnx = chainModel(
      [1, 28, 28],
      [
        {
          op: 'Conv',
          attribute: [ints('pads', [2, 2, 2, 2]), ints('strides', [2, 2])],
          constants: [
            floatConstant('conv.w', [3, 1, 5, 5], values(75, 2)),
            floatConstant('conv.b', [3], [0.1, -0.2, 0.05])
          ]
        },
        { op: 'MaxPool', attribute: [ints('kernel_shape', [2, 2]), ints('strides', [2, 2])] },
        { op: 'Relu' },
        { op: 'Reshape', constants: [int64Constant('shape', [0, -1])] },
        { op: 'MatMul', constants: [floatConstant('fc.w', [147, 12], values(147 * 12, 3))] },
        { op: 'Add', constants: [floatConstant('fc.b', [12], values(12, 4))] },
        { op: 'Sigmoid' },
        {
          op: 'Gemm',
          attribute: [int('transB', 0), { name: 'beta', type: 1, f: 0.5 }],
          constants: [
            floatConstant('out.w', [12, 10], values(120, 5)),
            floatConstant('out.b', [10], values(10, 6))
          ]
        },
        { op: 'Softmax', attribute: [int('axis', -1)] }
      ]
    )
    const bytes = encodeOnnx(onnx)
    const x = testImages(test, 50)
    const theirs = (await runOnnx(bytes, x, [1, 28, 28])).t9.data as Float32Array
    const model = modelFromFile(readOnnxModel(bytes))
    expect(model.architecture.layers.map((l) => l.kind)).toEqual([
      'conv',
      'maxpool',
      'flatten',
      'dense'
    ])
    expect(maxDifference(softmaxRows(model.forward(x)), theirs)).toBeLessThan(PROBABILITY_TOLERANCE)
  })

  it('npm run export -- --onnx, then npm run evaluate -- --model on the .onnx: the same test results', async () => {
    const modelPath = await smallNetFile('dense')
    const onnxPath = join(mkdtempSync(join(tmpdir(), 'onnx-cli-')), 'dense.onnx')
    const exported = cli('export', ['--model', modelPath, '--onnx', onnxPath])
    expect(exported.stderr).toBe('')
    expect(exported.stdout).toBe(`Wrote 784 → 32 ReLU → 10 to ${onnxPath}\n`)
    const results = [modelPath, onnxPath].map((path) => {
      const run = cli('evaluate', ['--model', path, '--json'])
      expect(run.stderr).toBe('')
      const { testAccuracy, testLoss, confusion } = JSON.parse(run.stdout) as Record<
        string,
        unknown
      >
      return { testAccuracy, testLoss, confusion }
    })
    expect(results[1]).toEqual(results[0])
  })

  it('never writes a model with a value that is not finite', () => {
    const model = new Sequential(denseNet([8]), 'he', createRng(1))
    model.parameters()[0].data[0] = Number.POSITIVE_INFINITY
    expect(() => exportModelOnnx(model)).toThrow(
      new ModelFileError('cannot export: dense1.weight value 0 is Infinity, not a number')
    )
  })

  it('refuses bytes that are not an ONNX model', () => {
    expect(() => readOnnxModel(new TextEncoder().encode('{"format": "json"}'))).toThrow(
      ModelFileError
    )
    expect(() => readOnnxModel(new Uint8Array(0))).toThrow(/has no graph/)
  })
})
