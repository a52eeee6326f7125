// The CLI given files that are not what they should be, or a model that is broken: each answered at
// once with one line and a non-zero exit, never a hang, a stack trace, or "NaN %" with exit 0.

import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadModel, serializeModel } from '../../core'
import { mnistDataDir } from '../../electron/files/datasets'
import { quickModelFile } from '../helpers/quick-model'
import { makeFifo } from './support/special-files'
import { tempDir } from './support/temp-dir'

const ROOT = join(import.meta.dirname, '..', '..')
const MNIST = mnistDataDir()
const TRAIN_PAIR = [
  '--train-images',
  join(MNIST, 'train-images-idx3-ubyte'),
  '--train-labels',
  join(MNIST, 'train-labels-idx1-ubyte')
]
const TEST_LABELS = join(MNIST, 't10k-labels-idx1-ubyte')
const TEST_IMAGES = join(MNIST, 't10k-images-idx3-ubyte')

function cli(command: 'train' | 'evaluate' | 'predict', args: string[]) {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', `electron/cli/${command}.ts`, ...args],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, BACKPROP_DEBUG: '' },
      timeout: 60_000 // a hang fails the test instead of stalling the suite
    }
  )
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}

/** The command failed with exactly one line on stderr matching `message`, and no stack trace. */
function expectOneLine(
  result: ReturnType<typeof cli>,
  message: RegExp,
  status: number | null = null
): void {
  if (status === null) expect(result.status).not.toBe(0)
  else expect(result.status).toBe(status)
  const lines = result.stderr.trim().split('\n')
  expect(lines, result.stderr).toHaveLength(1)
  expect(lines[0]).toMatch(message)
  expect(result.stderr).not.toMatch(/\n\s+at /)
}

const dir = tempDir('backprop-cli-files-')
const fifo = makeFifo(dir)
const aFile = join(dir, 'plain.txt')
writeFileSync(aFile, 'not a folder')

/** IDX files with a valid header and no items: 0 images of 28×28, 0 labels. */
const emptyImages = join(dir, 'empty-images.idx')
const emptyLabels = join(dir, 'empty-labels.idx')
writeFileSync(emptyImages, Uint8Array.of(0, 0, 8, 3, 0, 0, 0, 0, 0, 0, 0, 28, 0, 0, 0, 28))
writeFileSync(emptyLabels, Uint8Array.of(0, 0, 8, 1, 0, 0, 0, 0))

let model: string
let overflowing: string
let withBom: string

beforeAll(async () => {
  model = await quickModelFile()
  const text = readFileSync(model, 'utf8')
  withBom = join(dir, 'bom.json')
  writeFileSync(withBom, '\uFEFF' + text)
  // Every weight finite (the file is valid), but a forward pass overflows float32 to ±∞ and NaN.
  const loaded = loadModel(text)
  for (const parameter of loaded.model.parameters()) parameter.data.fill(3e38)
  overflowing = join(dir, 'overflowing.json')
  writeFileSync(overflowing, serializeModel(loaded.model))
}, 120_000)

describe('files that are not regular files', () => {
  it('refuses a FIFO, /dev/zero or a folder as a model at once, naming its kind', () => {
    expectOneLine(
      cli('evaluate', ['--model', fifo]),
      /^error: --model: .*pipe is a FIFO \(named pipe\), not a model file$/,
      2
    )
    expectOneLine(
      cli('predict', ['--model', '/dev/zero', aFile]),
      /^error: --model: \/dev\/zero is a character device, not a model file$/,
      2
    )
    expectOneLine(
      cli('evaluate', ['--model', dir]),
      /^error: --model: .* is a folder, not a model file$/,
      2
    )
  })

  it('names the flag and the file when an IDX path is a folder, a device or a FIFO', () => {
    expectOneLine(
      cli('evaluate', ['--model', model, '--test-images', dir, '--test-labels', TEST_LABELS]),
      /^error: --test-images: .*backprop-cli-files-\w+ is a folder, not an IDX file$/
    )
    expectOneLine(
      cli('train', [...TRAIN_PAIR, '--test-images', TEST_IMAGES, '--test-labels', fifo]),
      /^error: --test-labels: .*pipe is a FIFO \(named pipe\), not an IDX file$/
    )
    expectOneLine(
      cli('train', [...TRAIN_PAIR, '--test-images', '/dev/zero', '--test-labels', TEST_LABELS]),
      /^error: --test-images: \/dev\/zero is a character device, not an IDX file$/
    )
  })

  it('classifies the good images and gives each bad path its own line: a FIFO, /dev/zero, a folder', () => {
    const seven = join(ROOT, 'test/fixtures/bad-images/animated.gif')
    const { status, stdout, stderr } = cli('predict', [
      '--model',
      model,
      '--json',
      fifo,
      '/dev/zero',
      dir,
      seven
    ])
    expect(status).toBe(1)
    expect(stderr).toBe('')
    const lines = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { file: string; error?: string; prediction?: number })
    expect(lines.map((line) => line.error)).toEqual([
      'this is a FIFO (named pipe), not an image file',
      'this is a character device, not an image file',
      'this is a folder, not an image file',
      undefined
    ])
    expect(lines[3].prediction).toBe(7)
  })
})

describe('small truths', () => {
  it('reports a model whose outputs overflow as such, with a non-zero exit', () => {
    expectOneLine(
      cli('evaluate', ['--model', overflowing]),
      /^error: .*overflowing\.json: the model's outputs are not finite numbers \(its loss on MNIST test set is NaN\)/,
      1
    )
    const predicted = cli('predict', [
      '--model',
      overflowing,
      join(ROOT, 'test/fixtures/bad-images/animated.gif')
    ])
    expect(predicted.status).toBe(1)
    expect(predicted.stdout).toMatch(/error: the model's outputs are not finite numbers/)
    expect(predicted.stdout).not.toMatch(/%/) // no made-up confidence
  })

  it('accepts a model file that starts with a UTF-8 byte-order mark', () => {
    const { status, stdout } = cli('evaluate', ['--model', withBom, '--json'])
    expect(status).toBe(0)
    expect(JSON.parse(stdout).testAccuracy).toBeGreaterThan(0.9)
  })

  it('refuses an empty test set instead of dividing by zero', () => {
    expectOneLine(
      cli('evaluate', [
        '--model',
        model,
        '--test-images',
        emptyImages,
        '--test-labels',
        emptyLabels
      ]),
      /^error: --test-images: .*empty-images\.idx holds no images; a test set needs at least one$/,
      2
    )
  })

  it('checks --save before training: a folder, a device, a folder that is a file, a folder it cannot write in', () => {
    mkdirSync(join(dir, 'models'), { recursive: true })
    const cases: [string, RegExp][] = [
      [
        join(dir, 'models'),
        /^error: --save: .*models is a folder; name a file in it, e\.g\. .*models\/model\.json$/
      ],
      ['/dev/null', /^error: --save: \/dev\/null is not a regular file$/],
      [join(aFile, 'm.json'), /^error: --save: .*plain\.txt is not a folder$/],
      ['/proc/m.json', /^error: --save: cannot write in \/proc \(\w+\)$/]
    ]
    for (const [path, message] of cases) expectOneLine(cli('train', ['--save', path]), message, 2)
  })
})
