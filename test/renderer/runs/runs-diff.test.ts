// Comparing runs: the config diff marks exactly the differing fields; compared runs keep their
// colours; the overlay curves are smoothed, thinned and in percent where they should be.
import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import { PRESETS } from '@core/train/presets'
import RunsDiff from '@/runs/RunsDiff.vue'
import { configDifferences, runDiff } from '@/runs/run-diff'
import {
  assignTones,
  compareAccuracyLines,
  compareLossLines,
  compareXMax,
  smoothedCurves
} from '@/runs/run-curves'
import { makeRecord, makeRun } from './run-fixtures'
import { denseNet } from '../../helpers/architectures'

const seed = PRESETS.seed.config
const a = makeRun('a', { name: 'SGD 0.03' })
const b = makeRun('b', {
  name: 'Adam, wider',
  finalTestAccuracy: 0.95,
  config: {
    ...seed,
    learningRate: 0.001,
    architecture: denseNet([128]),
    optimizer: { kind: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }
  }
})

describe('runDiff with live changes', () => {
  it('says when the learning rate changed, so two runs that started alike are told apart', () => {
    const live = makeRun('live', {
      changes: [{ setting: 'learningRate', step: 412, from: 0.03, to: 0.5 }]
    })
    const rows = runDiff(makeRun('plain'), live)
    const rate = rows.find((r) => r.label === 'Learning rate')!
    expect(rate).toMatchObject({ a: '0.03', b: '0.03 → 0.5 at step 412', differs: true })
    expect(configDifferences(rows)).toBe(1)
  })
})

describe('runDiff', () => {
  const rows = runDiff(a, b)
  const row = (label: string) => rows.find((r) => r.label === label)!

  it('lists every field of both runs, config first, then results', () => {
    expect(rows.map((r) => r.label)).toEqual([
      'Architecture',
      'Layer changes',
      'Parameters',
      'Initialiser',
      'Optimizer',
      'Momentum',
      'β1',
      'β2',
      'ε',
      'Learning rate',
      'Weight decay',
      'Batch size',
      'Batches per epoch',
      'Epochs',
      'Seed',
      'Evaluate every',
      'Augmentation',
      'Status',
      'Steps',
      'Duration',
      'Final test accuracy',
      'Final test loss'
    ])
    expect(rows.findIndex((r) => r.section === 'result')).toBe(17)
  })

  it('marks exactly the fields that differ, in the words the form uses', () => {
    expect(rows.filter((r) => r.differs).map((r) => r.label)).toEqual([
      'Architecture',
      'Layer changes',
      'Parameters',
      'Optimizer',
      'Momentum',
      'β1',
      'β2',
      'ε',
      'Learning rate',
      'Final test accuracy'
    ])
    expect(row('Architecture')).toMatchObject({ a: '784 → 10 ReLU → 10', b: '784 → 128 ReLU → 10' })
    // The layer edits in words, not counted as a setting of their own.
    expect(row('Layer changes')).toMatchObject({ a: '—', b: 'dense1 10 → 128 units' })
    expect(row('Momentum')).toMatchObject({ a: '0', b: '—' }) // not used by Adam
    expect(row('Initialiser')).toMatchObject({ a: 'He (normal)', differs: false })
    expect(configDifferences(rows)).toBe(8)
    expect(configDifferences(runDiff(a, makeRun('c')))).toBe(0)
  })
})

describe('RunsDiff', () => {
  it('highlights differing rows (not by colour alone) and lets either run be chosen', async () => {
    const view = mount(RunsDiff, { props: { runs: [a, b], pair: [a, b] } })
    const differing = view.findAll('tr.differs')
    expect(differing).toHaveLength(10) // the 8 settings, "Layer changes" and the accuracy
    expect(differing[0].text()).toContain('(differs)')
    expect(view.text()).toContain('8 settings differ')
    await view.get('input[type="checkbox"]').setValue(true) // "Only differences"
    expect(view.findAll('tbody tr')).toHaveLength(10)
    await view.get('#diff-run-1').setValue('a')
    expect(view.emitted('choose')).toEqual([[1, 'a']])
  })
})

describe('compared runs', () => {
  it('keeps a run’s colour while others come and go, and reuses freed colours', () => {
    const first = assignTones(['a', 'b', 'c'], new Map())
    expect([...first.values()]).toEqual(['run-1', 'run-2', 'run-3'])
    const second = assignTones(['a', 'c'], first)
    expect(second.get('c')).toBe('run-3')
    const third = assignTones(['a', 'c', 'd'], second)
    expect(third.get('d')).toBe('run-2')
  })

  it('draws one smoothed loss line per run and batch + test accuracy in percent, in the run’s colour', () => {
    const entries = [
      { record: makeRecord(makeRun('a', { steps: 50, totalSteps: 50 })), tone: 'run-1' as const },
      { record: makeRecord(makeRun('b', { steps: 80, totalSteps: 80 })), tone: 'run-2' as const }
    ]
    const loss = compareLossLines(entries)
    expect(loss.map((l) => [l.label, l.tone, l.style])).toEqual([
      ['run a', 'run-1', 'smooth'],
      ['run b', 'run-2', 'smooth']
    ])
    expect(loss[0].points).toHaveLength(50)
    expect(loss[0].points[0].y).toBeCloseTo(2.3) // debiased EMA starts at the first value
    const accuracy = compareAccuracyLines(entries)
    expect(accuracy.map((l) => l.style)).toEqual(['smooth', 'points', 'smooth', 'points'])
    expect(accuracy[1].points).toEqual([{ x: 50, y: 90 }])
    expect(compareXMax(entries)).toBe(80)
    expect(compareXMax([])).toBeUndefined()
  })

  it('lines up runs of different lengths and batch sizes by epochs or samples', () => {
    const long = makeRun('long', {
      steps: 300,
      totalSteps: 300,
      config: { ...seed, batchCount: 100, epochs: 3, batchSize: 32 }
    })
    const short = makeRun('short', {
      steps: 50,
      totalSteps: 50,
      config: { ...seed, batchCount: 50, epochs: 1, batchSize: 64 }
    })
    const entries = [
      { record: makeRecord(long), tone: 'run-1' as const },
      { record: makeRecord(short), tone: 'run-2' as const }
    ]
    const byEpoch = compareLossLines(entries, 'epoch')
    expect(byEpoch[0].points.at(-1)?.x).toBeCloseTo(3)
    expect(byEpoch[1].points.at(-1)?.x).toBeCloseTo(1) // one whole epoch, not a sixth of the axis
    expect(compareXMax(entries, 'epoch')).toBeCloseTo(3)
    const bySample = compareAccuracyLines(entries, 'sample')
    expect(bySample[3].points).toEqual([{ x: 50 * 64, y: 90 }]) // test dots move with their run
    expect(compareXMax(entries, 'sample')).toBe(300 * 32)
  })

  it('thins a long run to at most about a thousand points, keeping the last step', () => {
    const long = makeRecord(makeRun('l', { steps: 20_000, totalSteps: 20_000 }))
    const { loss } = smoothedCurves(long)
    expect(loss.length).toBeLessThanOrEqual(1_001)
    expect(loss.at(-1)?.x).toBe(20_000)
  })
})
