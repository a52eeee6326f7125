// Run history on the real worker: every run recorded in <dataDir>/runs (completed, stopped, diverged,
// interrupted), live changes logged, renamed, deleted, exported as CSV; damaged files skipped and explained.

import { existsSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { PRESETS, type TrainConfig } from '../../core'
import type { RunSummary, StartOptions } from '../../electron/contract'
import { RUN_CSV_HEADER } from '../../electron/host/run-csv'
import { StudioHost } from '../../electron/host/studio-host'
import { EventLog } from './support/event-log'
import { requireBuiltWorker } from './support/paths'
import { tempDir } from './support/temp-dir'
import { LONG_RUN, LONG_RUN_PACE } from './support/long-run'
import { denseNet } from '../helpers/architectures'

const SEED: TrainConfig = { ...PRESETS.seed.config, evaluateEvery: 50 }
const DIVERGING: TrainConfig = {
  ...PRESETS.seed.config,
  init: 'uniform',
  learningRate: 10,
  architecture: denseNet([64, 64, 64])
}

function createHost(dataDir: string): StudioHost {
  return new StudioHost({
    workerPath: requireBuiltWorker(),
    mode: 'browser',
    version: 'test',
    dataDir
  })
}

describe('run history', () => {
  const dataDir = tempDir()
  let host: StudioHost
  let log: EventLog
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)

  /** Runs `config` to its end and returns the run's summary from listRuns. */
  async function runToEnd(
    config: TrainConfig,
    whileRunning?: () => Promise<void>,
    options?: StartOptions
  ): Promise<RunSummary> {
    const since = log.mark()
    await host.startTraining(config, options)
    const { runId } = await log.waitFor('started', { since })
    await whileRunning?.()
    await log.waitForEnd(since)
    const run = (await host.listRuns()).find((r) => r.id === runId)
    expect(run).toBeDefined()
    return run!
  }

  beforeAll(async () => {
    host = createHost(dataDir)
    log = new EventLog((listener) => host.onTrainingEvent(listener))
    await host.getInfo()
  })

  afterAll(async () => {
    log.dispose()
    await host.close()
    warn.mockRestore()
  })

  it('records a completed run: config, name, steps, evaluations and the final test accuracy', async () => {
    const run = await runToEnd(SEED)
    const evaluations = log.ofType('evaluation')
    expect(run).toMatchObject({
      name: '784 → 10 ReLU → 10 · SGD 0.03',
      status: 'completed',
      steps: 100,
      totalSteps: 100,
      config: SEED,
      finalTestAccuracy: evaluations.at(-1)!.evaluation.accuracy,
      finalTestLoss: evaluations.at(-1)!.evaluation.loss
    })
    expect(run.durationSeconds).toBeGreaterThan(0)
    expect(Date.parse(run.startedAt)).toBeLessThanOrEqual(Date.now())
    const record = await host.getRun(run.id)
    expect(record.metrics.map((m) => m.step)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1))
    expect(record.metrics).toEqual(log.metrics())
    expect(record.evaluations.map((e) => [e.step, e.epoch])).toEqual([
      [50, 1],
      [100, 1]
    ])
    expect(record.failure).toBeNull()
    const onDisk = JSON.parse(await readFile(join(dataDir, 'runs', `${run.id}.json`), 'utf8'))
    expect(onDisk).toMatchObject({
      format: 'backprop-studio-run',
      version: 4,
      id: run.id,
      status: 'completed'
    })
  })

  it("records a stopped run as 'stopped', and shows a run in progress as 'running' (renamed and pinned while it trains)", async () => {
    const run = await runToEnd(
      LONG_RUN,
      async () => {
        await log.waitFor('progress', { since: log.mark() })
        const listed = await host.listRuns()
        expect(listed[0]).toMatchObject({ status: 'running', totalSteps: 1875 * 20 })
        const id = listed[0].id
        const onDisk = JSON.parse(await readFile(join(dataDir, 'runs', `${id}.json`), 'utf8'))
        expect(onDisk.status).toBe('running') // saved at the start, so a crash leaves a trace
        await expect(host.deleteRun(id)).rejects.toThrow(
          /still training: stop it before deleting it/
        )
        await host.renameRun(id, 'renamed while training')
        await host.pinRun(id, true) // the recorder owns the live record: it carries the pin
        expect((await host.listRuns())[0]).toMatchObject({ id, pinned: true })
        await host.controlTraining('stop')
      },
      LONG_RUN_PACE
    )
    expect(run).toMatchObject({
      status: 'stopped',
      name: 'renamed while training',
      pinned: true,
      finalTestAccuracy: expect.any(Number)
    })
    expect(run.steps).toBeGreaterThan(0)
    expect(run.steps).toBeLessThan(run.totalSteps)
  })

  it("records a diverged run as 'diverged', where and how, also after it paused itself there", async () => {
    // Auto-pause is on (the default): the run pauses at the culprit first, and ends at the next command.
    const run = await runToEnd(DIVERGING, async () => {
      const started = log.events.lastIndexOf(log.ofType('started').at(-1)!)
      await log.waitFor('autoPaused', { since: started })
      await host.controlTraining('resume')
    })
    expect(run).toMatchObject({ status: 'diverged', finalTestAccuracy: null, finalTestLoss: null })
    const divergence = log.ofType('diverged').at(-1)!.divergence
    expect(run.divergence).toEqual(divergence)
    expect((await host.getRun(run.id)).failure).toBeNull()
  })

  it('records a live learning-rate change at the step it applies from, in the name and the CSV', async () => {
    const since = log.mark()
    await host.startTraining(SEED, { paused: true })
    const { runId } = await log.waitFor('started', { since })
    for (let i = 0; i < 3; i++) await host.controlTraining('step')
    await log.waitFor('progress', { since, accept: (e) => e.metrics.at(-1)!.step === 3 })
    await host.updateTraining({ learningRate: 0.5 })
    await log.waitFor('updated', { since })
    await host.controlTraining('step')
    await log.waitFor('progress', { since, accept: (e) => e.metrics.at(-1)!.step === 4 })
    await host.controlTraining('stop')
    await log.waitForEnd(since)
    const record = await host.getRun(runId)
    expect(record).toMatchObject({
      name: '784 → 10 ReLU → 10 · SGD 0.03 → 0.5',
      status: 'stopped',
      config: SEED,
      changes: [{ setting: 'learningRate', step: 4, from: 0.03, to: 0.5 }]
    })
    const rows = (await host.exportRunCsv(runId)).text.trimEnd().split('\n').slice(1)
    expect(rows.map((row) => row.split(',')[6])).toEqual(['0.03', '0.03', '0.03', '0.5'])
    await host.deleteRun(runId) // the tests below count the runs
  })

  it('lists runs newest first', async () => {
    const runs = await host.listRuns()
    expect(runs.map((r) => r.status)).toEqual(['diverged', 'stopped', 'completed'])
    expect(runs[0]).not.toHaveProperty('metrics')
  })

  it('renames and deletes runs, validating ids and names', async () => {
    const [failed] = await host.listRuns()
    await host.renameRun(failed.id, '  too high a learning rate  ')
    expect((await host.getRun(failed.id)).name).toBe('too high a learning rate')
    await expect(host.renameRun(failed.id, '')).rejects.toThrow(
      /^name: must be 1 to 200 characters/
    )
    await expect(host.renameRun('../settings', 'x')).rejects.toThrow(/^id: must be a run id/)
    await expect(host.getRun('no-such-run')).rejects.toThrow(
      'run no-such-run: there is no such run'
    )

    await host.deleteRun(failed.id)
    expect((await host.listRuns()).map((r) => r.id)).not.toContain(failed.id)
    expect(existsSync(join(dataDir, 'runs', `${failed.id}.json`))).toBe(false)
    await expect(host.deleteRun(failed.id)).rejects.toThrow(/there is no such run/)
  })

  it('exports a run as CSV: one row per step, test results on the evaluated steps', async () => {
    const completed = (await host.listRuns()).find((r) => r.status === 'completed')!
    const record = await host.getRun(completed.id)
    const csv = await host.exportRunCsv(completed.id)
    expect(csv.fileName).toBe('784-10-ReLU-10-SGD-0.03.csv')
    const lines = csv.text.trimEnd().split('\n')
    expect(lines[0]).toBe(RUN_CSV_HEADER)
    expect(lines).toHaveLength(1 + 100)
    const first = record.metrics[0]
    expect(lines[1]).toBe(`1,1,1,${first.loss},${first.accuracy},32,0.03,0,,`)
    const evaluated = record.evaluations[0]
    expect(lines[50]).toMatch(new RegExp(`^50,1,50,.*,${evaluated.accuracy},${evaluated.loss}$`))
  })

  it('skips a damaged run file in the list with a warning, and getRun explains it', async () => {
    const runs = join(dataDir, 'runs')
    await mkdir(runs, { recursive: true })
    await writeFile(
      join(runs, 'broken.json'),
      '{"format":"backprop-studio-run","version":1,"id":"bro'
    )
    const valid = JSON.parse(
      await readFile(join(runs, `${(await host.listRuns())[0].id}.json`), 'utf8')
    )
    await writeFile(
      join(runs, 'tampered.json'),
      JSON.stringify({ ...valid, id: 'tampered', steps: -4 })
    )
    await writeFile(join(runs, 'not-a-run.txt'), 'ignored')
    warn.mockClear()
    const listed = await host.listRuns()
    expect(listed.map((r) => r.id)).not.toContain('broken')
    expect(listed.map((r) => r.id)).not.toContain('tampered')
    expect(listed).toHaveLength(2)
    expect(warn.mock.calls.map((call) => String(call[0])).join('\n')).toMatch(
      /skipped the run file .*broken\.json/
    )
    await expect(host.getRun('broken')).rejects.toThrow(
      'run broken: the file is not valid JSON (it is truncated or damaged)'
    )
    await expect(host.getRun('tampered')).rejects.toThrow(/^run tampered: steps: /)
  })

  it("marks a run left 'running' by a previous session as 'interrupted' at start", async () => {
    const otherDir = tempDir()
    const [completed] = (await host.listRuns()).filter((r) => r.status === 'completed')
    const record = JSON.parse(await readFile(join(dataDir, 'runs', `${completed.id}.json`), 'utf8'))
    await mkdir(join(otherDir, 'runs'))
    await writeFile(
      join(otherDir, 'runs', 'left-running.json'),
      JSON.stringify({ ...record, id: 'left-running', status: 'running' })
    )
    const next = createHost(otherDir)
    try {
      expect((await next.listRuns()).map((r) => [r.id, r.status])).toEqual([
        ['left-running', 'interrupted']
      ])
      expect((await next.getRun('left-running')).metrics).toHaveLength(100)
    } finally {
      await next.close()
    }
  })

  it("saves a run still in progress as 'interrupted' when the host closes", async () => {
    const otherDir = tempDir()
    const other = createHost(otherDir)
    const otherLog = new EventLog((listener) => other.onTrainingEvent(listener))
    await other.startTraining(LONG_RUN, LONG_RUN_PACE)
    const { runId } = await otherLog.waitFor('started')
    await otherLog.waitFor('progress')
    otherLog.dispose()
    await other.close()
    const saved = JSON.parse(await readFile(join(otherDir, 'runs', `${runId}.json`), 'utf8'))
    expect(saved.status).toBe('interrupted')
    expect(saved.steps).toBeGreaterThan(0)
  })
})
