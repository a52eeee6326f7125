// The headless CLI, run as a user runs it: a real process, real MNIST, real files.

import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = join(import.meta.dirname, '..', '..')

function cli(command: 'train' | 'evaluate', args: string[]) {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', `electron/cli/${command}.ts`, ...args],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, BACKPROP_DEBUG: '' }
    }
  )
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}

const jsonLines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>)

const dir = mkdtempSync(join(tmpdir(), 'backprop-cli-'))

describe('npm run train', () => {
  it('trains the seed preset by default and reports JSON progress, then done', () => {
    const modelPath = join(dir, 'seed.json')
    const { status, stdout } = cli('train', ['--json', '--save', modelPath])
    expect(status).toBe(0)
    const events = jsonLines(stdout)
    expect(events[0]).toMatchObject({
      event: 'start',
      totalSteps: 100,
      config: { learningRate: 0.03, batchSize: 32, batchCount: 100 }
    })
    expect(events.some((e) => e.event === 'progress')).toBe(true)
    const done = events.at(-1)!
    expect(done).toMatchObject({ event: 'done', steps: 100, saved: modelPath })
    expect(done.testAccuracy).toBeGreaterThanOrEqual(0.45)
    expect(done.testAccuracy).toBeLessThanOrEqual(0.85)
    expect(done.testLoss).toBeGreaterThan(0)
    expect(done.samplesPerSec).toBeGreaterThan(0)

    // The saved model evaluates to the same accuracy.
    const evaluated = cli('evaluate', ['--model', modelPath, '--json'])
    expect(evaluated.status).toBe(0)
    const result = jsonLines(evaluated.stdout)[0]
    expect(result.testAccuracy).toBe(done.testAccuracy)
    expect((result.confusion as number[][]).flat().reduce((a, b) => a + b, 0)).toBe(10000)
    const human = cli('evaluate', ['--model', modelPath])
    expect(human.stdout).toMatch(/784 → 10 ReLU → 10 on MNIST test set \(10000 images\)/)
    expect(human.stdout).toMatch(/true\\pred\s+0\s+1\s+2/)
  })

  it('lets flags override the preset, and is reproducible with the same seed', () => {
    const args = [
      '--preset',
      'softmax',
      '--batches',
      '30',
      '--epochs',
      '1',
      '--lr',
      '0.2',
      '--seed',
      '7',
      '--json'
    ]
    const first = jsonLines(cli('train', args).stdout)
    expect(first[0]).toMatchObject({
      event: 'start',
      totalSteps: 30,
      config: { learningRate: 0.2, seed: 7, architecture: { layers: [] } }
    })
    const second = jsonLines(cli('train', args).stdout)
    expect(second.at(-1)!.testAccuracy).toBe(first.at(-1)!.testAccuracy)
    expect(second.at(-1)!.testLoss).toBe(first.at(-1)!.testLoss)
  })

  it('ends with a human summary: accuracy, time, rate, and the threads with the CPU they used', () => {
    const { status, stdout } = cli('train', ['--batches', '5'])
    expect(status).toBe(0)
    expect(stdout).toMatch(
      /Test accuracy \d+\.\d\d% \(loss \d+\.\d+\) after 5 steps; trained in \S+ at \S+ samples\/s \(1 thread using \d+ % CPU\)\n/
    )
  })

  it('accepts every config field as a flag', () => {
    const { status, stdout } = cli('train', [
      '--hidden',
      '16,8',
      '--activation',
      'tanh',
      '--init',
      'xavier',
      '--optimizer',
      'adam',
      '--beta1',
      '0.8',
      '--beta2',
      '0.99',
      '--epsilon',
      '1e-7',
      '--weight-decay',
      '0.0001',
      '--batch-size',
      '16',
      '--batches',
      '20',
      '--evaluate-every',
      '10',
      '--lr',
      '0.01',
      '--json'
    ])
    expect(status).toBe(0)
    const events = jsonLines(stdout)
    expect(events[0].config).toMatchObject({
      architecture: {
        layers: [
          { kind: 'dense', units: 16, activation: 'tanh' },
          { kind: 'dense', units: 8, activation: 'tanh' }
        ]
      },
      init: 'xavier',
      optimizer: { kind: 'adam', beta1: 0.8, beta2: 0.99, epsilon: 1e-7 },
      weightDecay: 0.0001,
      batchSize: 16,
      batchCount: 20,
      evaluateEvery: 10
    })
    expect(events.filter((e) => e.event === 'evaluation').map((e) => e.step)).toEqual([10, 20])
  })

  it('trains a conv net from --layers, with --augment, on the reference engine, and saves it', () => {
    const modelPath = join(dir, 'cnn.json')
    const { status, stdout } = cli('train', [
      '--layers',
      'conv5x5x4s2,pool2',
      '--augment',
      'shift=1,rotate=5',
      '--optimizer',
      'sgd',
      '--momentum',
      '0.9',
      '--batches',
      '60',
      '--lr',
      '0.05',
      '--engine',
      'reference',
      '--save',
      modelPath,
      '--json'
    ])
    expect(status).toBe(0)
    const events = jsonLines(stdout)
    expect(events[0].config).toMatchObject({
      architecture: {
        inputShape: [1, 28, 28],
        layers: [
          { kind: 'conv', filters: 4, kernel: 5, stride: 2, padding: 'same', activation: 'relu' },
          { kind: 'maxpool', size: 2 },
          { kind: 'flatten' }
        ]
      },
      augmentation: { shiftPixels: 1, rotationDegrees: 5, scale: 0 }
    })
    // Asked for by name, the reference engine trains without a note (the note is for a fallback).
    expect(events.some((event) => event.event === 'note')).toBe(false)
    expect(events.at(-1)).toMatchObject({ event: 'done', steps: 60, saved: modelPath })
    expect(events.at(-1)!.testAccuracy).toBeGreaterThan(0.5)
    const human = cli('evaluate', ['--model', modelPath])
    expect(human.stdout).toMatch(
      /1×28×28 → conv 5×5×4 \/2 ReLU → pool 2 → flatten → 10 on MNIST test set \(10000 images\)/
    )
  })

  it('trains a conv net on --threads 2 to exactly the run of --threads 1 (the same weights)', () => {
    const runs = [1, 2].map((threads) => {
      const modelPath = join(dir, `conv-${threads}-threads.json`)
      const { status, stdout } = cli('train', [
        ...['--layers', 'conv5x5x4,pool2,conv3x3x8s2valid', '--augment', 'shift=1'],
        ...['--batches', '40', '--threads', String(threads), '--save', modelPath, '--json']
      ])
      expect(status).toBe(0)
      const events = jsonLines(stdout)
      expect(events[0]).toMatchObject({ event: 'start', threads })
      // 40 steps: the helper's warm-up alternates modes, so it took part in some (none on 1 thread).
      const shared = events.at(-1)!.sharedFraction as number
      if (threads === 1) expect(shared).toBe(0)
      else expect(shared).toBeGreaterThan(0)
      expect(events.at(-1)!.trainCpuSeconds).toBeGreaterThan(0)
      // The file but for when it was made and how long training took.
      const { createdAt, metrics, ...model } = JSON.parse(readFileSync(modelPath, 'utf8'))
      expect([createdAt, metrics.trainSeconds]).not.toContain(undefined)
      return { done: events.at(-1)!, model, steps: metrics.steps }
    })
    expect(runs[1].model).toEqual(runs[0].model)
    expect(runs[1].steps).toBe(40)
    expect(runs[1].done.testAccuracy).toBe(runs[0].done.testAccuracy)
    expect(runs[1].done.testLoss).toBe(runs[0].done.testLoss)
  })

  const badInputs: [string, string[], RegExp][] = [
    [
      'a negative learning rate',
      ['--lr', '-1'],
      /^error: --lr: must be a number > 0 and ≤ 10, got -1$/
    ],
    [
      'a learning rate that is not a number',
      ['--lr', 'abc'],
      /^error: --lr: "abc" is not a number$/
    ],
    [
      'batch size 0',
      ['--batch-size', '0'],
      /^error: --batch-size: must be a whole number from 1 to 60000, got 0$/
    ],
    [
      'an unknown preset',
      ['--preset', 'huge'],
      /^error: --preset: unknown preset "huge" \(known: seed, softmax, mlp, lenet, cnn\)$/
    ],
    ['an unknown flag', ['--learning-rate', '0.1'], /^error: unknown flag --learning-rate/],
    ['a typo in a flag', ['--epoch', '2'], /did you mean --epochs\?/],
    [
      'more batches than the data has',
      ['--batches', '5000'],
      /^error: --batches: 5000 batches of 32 need 160000 images/
    ],
    [
      'a bad hidden layer list',
      ['--hidden', '12,x'],
      /^error: --hidden: "12,x" is not a list of layer widths/
    ],
    [
      'a layer list it cannot read',
      ['--layers', 'conv5x5,pool2'],
      /^error: --layers: layer 1 "conv5x5" is not a layer: write e\.g\. conv5x5x6/
    ],
    [
      'a layer list whose shapes do not work out',
      ['--layers', 'pool4,pool4,conv5x5x8valid'],
      /^error: --layers: conv1 \(conv 5×5×8 valid ReLU\): a 5×5 filter does not fit its 1×1 input$/
    ],
    [
      'a layer width out of range',
      ['--hidden', '64,0'],
      /^error: --hidden: layer 2 units: must be a whole number from 1 to 4096, got 0$/
    ],
    [
      'two layer flags at once',
      ['--hidden', '64', '--layers', '64'],
      /^error: --hidden and --layers both describe the layers: give one$/
    ],
    [
      'layers as JSON that are not JSON',
      ['--layers-json', '[{"kind": "dense"'],
      /^error: --layers-json: the text is not valid JSON/
    ],
    [
      'an augmentation it cannot read',
      ['--augment', 'shift=2,spin=3'],
      /^error: --augment: "spin=3" is not a setting \(write e\.g\. shift=2,rotate=10,scale=0\.1, or off\)$/
    ],
    [
      'an augmentation out of range',
      ['--augment', 'rotate=90'],
      /^error: --augment: must be a number ≥ 0 and ≤ 30, got 90$/
    ],
    [
      'a thread count of 0',
      ['--threads', '0'],
      /^error: --threads: 0 is not a whole number from 1 to 16$/
    ],
    [
      'a save folder that does not exist',
      ['--save', '/nonexistent/dir/m.json'],
      /^error: --save: the folder \/nonexistent\/dir does not exist$/
    ]
  ]
  for (const [name, args, message] of badInputs) {
    it(`rejects ${name} with one clear line and a non-zero exit`, () => {
      const { status, stderr } = cli('train', args)
      expect(status).not.toBe(0)
      const lines = stderr.trim().split('\n')
      expect(lines).toHaveLength(1)
      expect(lines[0]).toMatch(message)
      expect(stderr).not.toMatch(/\n\s+at /) // no stack trace
    })
  }
})

describe('npm run evaluate', () => {
  const bad = join(dir, 'bad.json')
  const truncated = join(dir, 'truncated.json')
  writeFileSync(bad, 'garbage')

  it('rejects a missing model file', () => {
    const { status, stderr } = cli('evaluate', ['--model', join(dir, 'nope.json')])
    expect(status).not.toBe(0)
    expect(stderr.trim()).toMatch(/^error: --model: cannot read .*nope.json: no such file$/)
  })

  it('rejects a corrupt and a truncated model file, naming the file', () => {
    const corrupt = cli('evaluate', ['--model', bad])
    expect(corrupt.status).toBe(1)
    expect(corrupt.stderr.trim()).toMatch(
      /^error: .*bad.json: this is not a model file \(it is not JSON\)$/
    )
    const modelPath = join(dir, 'seed.json')
    writeFileSync(truncated, readFileSync(modelPath, 'utf8').slice(0, 5000))
    const cut = cli('evaluate', ['--model', truncated])
    expect(cut.status).toBe(1)
    expect(cut.stderr.trim()).toMatch(
      /truncated.json: the model file is not valid JSON: it is probably truncated or damaged$/
    )
  })

  it('requires --model', () => {
    const { status, stderr } = cli('evaluate', [])
    expect(status).toBe(2)
    expect(stderr.trim()).toMatch(/^error: --model FILE is required/)
  })
})
