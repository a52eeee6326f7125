// The CLI's checkpoints: --checkpoint-every writes a run's checkpoint file, and --resume-from RUN:STEP
// forks from it; with unchanged settings the fork reproduces the original run's later metrics exactly.

import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { decodeCheckpoints } from '../../core'

const ROOT = join(import.meta.dirname, '..', '..')
const dir = mkdtempSync(join(tmpdir(), 'backprop-checkpoints-'))

function train(args: string[]) {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'electron/cli/train.ts', '--json', '--checkpoint-dir', dir, ...args],
    { cwd: ROOT, encoding: 'utf8', env: { ...process.env, BACKPROP_DEBUG: '' } }
  )
  expect(result.stderr).toBe('')
  expect(result.status).toBe(0)
  const events = result.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>)
  const note = events.find((e) => /^checkpoints: /.test(String(e.message)))
  const id = note ? /--resume-from (\S+):STEP/.exec(String(note.message))![1] : null
  return { events, id, evaluations: events.filter((e) => e.event === 'evaluation') }
}

const checkpointsOf = (id: string) =>
  decodeCheckpoints(new Uint8Array(readFileSync(join(dir, `${id}.checkpoints`))))

/** Momentum, so the fork needs the velocity as well as the weights to go on exactly. */
const RUN = ['--batches', '20', '--epochs', '2', '--momentum', '0.9', '--evaluate-every', '5']

describe('npm run train -- --checkpoint-every / --resume-from', () => {
  let original: ReturnType<typeof train>
  beforeAll(() => {
    original = train([...RUN, '--checkpoint-every', '5'])
  }, 60_000)

  it('writes the run’s checkpoints beside the others, every N steps', () => {
    expect(original.id).toMatch(/^cli-\d{8}-\d{6}-[0-9a-f]{6}$/)
    expect(readdirSync(dir)).toContain(`${original.id}.checkpoints`)
    const { config, states } = checkpointsOf(original.id!)
    expect(config).toMatchObject({ batchCount: 20, epochs: 2, optimizer: { momentum: 0.9 } })
    expect(states.map((s) => s.step)).toEqual([0, 5, 10, 15, 20, 25, 30, 35, 40])
  })

  for (const step of [10, 12]) {
    it(`a fork from step ${step} with unchanged settings reproduces the later metrics exactly`, () => {
      const fork = train(['--resume-from', `${original.id}:${step}`, '--checkpoint-every', '5'])
      expect(fork.events.find((e) => e.event === 'start')!.config).toEqual(
        original.events.find((e) => e.event === 'start')!.config
      )
      expect(fork.evaluations).toEqual(original.evaluations.filter((e) => Number(e.step) > step))
      const done = (events: Record<string, unknown>[]) => {
        const { testAccuracy, testLoss, steps } = events.at(-1)!
        return { testAccuracy, testLoss, steps }
      }
      expect(done(fork.events)).toEqual(done(original.events))
      const last = (id: string) => checkpointsOf(id).states.at(-1)!
      expect(last(fork.id!).step).toBe(40)
      expect(last(fork.id!).parameters).toEqual(last(original.id!).parameters)
      expect(last(fork.id!).slots).toEqual(last(original.id!).slots)
    })
  }

  it('forks with a changed learning rate, which changes the steps after the fork', () => {
    const fork = train(['--resume-from', `${original.id}:20`, '--lr', '0.003'])
    expect(fork.events.find((e) => e.event === 'start')!.config).toMatchObject({
      learningRate: 0.003
    })
    const later = original.evaluations.filter((e) => Number(e.step) > 20)
    expect(fork.evaluations.map((e) => e.step)).toEqual(later.map((e) => e.step))
    expect(fork.evaluations[0].testLoss).not.toBe(later[0].testLoss)
  })

  it('forks to another optimizer (SGD with momentum → Adam): it trains on from the step, finite', () => {
    const fork = train([
      '--resume-from',
      `${original.id}:20`,
      '--optimizer',
      'adam',
      '--lr',
      '0.001',
      '--checkpoint-every',
      '5'
    ])
    expect(fork.events.find((e) => e.event === 'start')!.config).toMatchObject({
      optimizer: { kind: 'adam' },
      learningRate: 0.001
    })
    const later = original.evaluations.filter((e) => Number(e.step) > 20)
    expect(fork.evaluations.map((e) => e.step)).toEqual(later.map((e) => e.step))
    expect(fork.evaluations.every((e) => Number.isFinite(e.testLoss))).toBe(true)
    const states = checkpointsOf(fork.id!).states
    expect(states[0]).toMatchObject({ step: 20, optimizerKind: 'adam', optimizerSteps: 0 })
    expect(states.at(-1)).toMatchObject({ step: 40, optimizerKind: 'adam', optimizerSteps: 20 })
  })

  it('refuses a step past the run, a missing run and a malformed RUN:STEP, saying why', () => {
    const fail = (value: string) =>
      spawnSync(
        process.execPath,
        [
          '--import',
          'tsx',
          'electron/cli/train.ts',
          '--checkpoint-dir',
          dir,
          '--resume-from',
          value
        ],
        { cwd: ROOT, encoding: 'utf8' }
      )
    expect(fail(`${original.id}:99`).stderr).toMatch(/step 99 is past this run's 40 steps/)
    expect(fail('no-such-run:3').stderr).toMatch(/--resume-from: .*no-such-run\.checkpoints/)
    expect(fail('just-a-name').stderr).toMatch(/RUN:STEP/)
  })
})
