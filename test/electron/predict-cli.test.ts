// `npm run predict`, run as a user runs it: a real process, a real model, real image files.

import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { quickModelFile } from '../helpers/quick-model'

const ROOT = join(import.meta.dirname, '..', '..')
const BAD = join('test', 'fixtures', 'bad-images')
const DIGITS = join('test', 'fixtures', 'digits')

function predict(args: string[]) {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'electron/cli/predict.ts', ...args],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, BACKPROP_DEBUG: '' },
      timeout: 120_000
    }
  )
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}

let model: string

beforeAll(async () => {
  model = await quickModelFile()
}, 120_000)

describe('npm run predict', () => {
  it('prints one JSON line per file: a prediction with 10 probabilities, or an error; exit 1 if any failed', () => {
    const expected = JSON.parse(readFileSync(join(ROOT, BAD, 'expected.json'), 'utf8'))
      .files as Record<string, { error?: string; label?: number }>
    const files = Object.keys(expected).map((name) => join(BAD, name))
    const { status, stdout, stderr } = predict(['--model', model, '--json', ...files])
    expect(status).toBe(1)
    expect(stderr).toBe('')
    const lines = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>)
    expect(lines.map((l) => l.file)).toEqual(files)
    for (const line of lines) {
      const expectation = expected[String(line.file).split('/').pop()!]
      if (expectation.label !== undefined) {
        expect(Object.keys(line).sort()).toEqual(['file', 'prediction', 'probabilities'])
        expect(line.prediction, String(line.file)).toBe(expectation.label)
        const p = line.probabilities as number[]
        expect(p).toHaveLength(10)
        expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4)
      } else {
        expect(Object.keys(line).sort()).toEqual(['error', 'file'])
        expect(line.error, String(line.file)).toContain(expectation.error)
      }
    }
  })

  it('classifies held-out digits with exit status 0 and prints a table', () => {
    const labels = JSON.parse(readFileSync(join(ROOT, DIGITS, 'labels.json'), 'utf8')).images.slice(
      0,
      10
    ) as { file: string; label: number }[]
    const { status, stdout } = predict([
      '--model',
      model,
      ...labels.map((l) => join(DIGITS, l.file))
    ])
    expect(status).toBe(0)
    expect(stdout).toMatch(/^FILE\s+DIGIT\s+CONFIDENCE\n/)
    expect(stdout).toContain('10 of 10 images classified')
    const rows = stdout.split('\n').filter((line) => line.startsWith(DIGITS))
    const correct = rows.filter((row, i) => row.split(/\s+/)[1] === String(labels[i].label)).length
    expect(correct).toBeGreaterThanOrEqual(8)
  })

  it('fails with one clear line and no stack trace for usage and model errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'backprop-predict-'))
    const notModel = join(dir, 'model.json')
    writeFileSync(notModel, '{"hello": 1}')
    const cases: [string[], number, RegExp][] = [
      [[join(BAD, 'blank.png')], 2, /--model FILE is required/],
      [['--model', model], 2, /name at least one image/],
      [['--model', join(dir, 'missing.json'), join(BAD, 'blank.png')], 2, /no such file/],
      [['--model', notModel, join(BAD, 'blank.png')], 1, /not a Backprop Studio model file/],
      [['--modle', model], 2, /did you mean --model/]
    ]
    for (const [args, status, message] of cases) {
      const result = predict(args)
      expect(result.status, args.join(' ')).toBe(status)
      expect(result.stderr).toMatch(message)
      expect(result.stderr.trim().split('\n')).toHaveLength(1)
      expect(result.stderr).not.toMatch(/\bat .+:\d+:\d+/)
    }
  })
})
