// The runs table: sorting by every column (stable, missing values last), aria-sort, and the table
// component's headers, selection limit and inline rename.
import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import { nextTick } from 'vue'
import type { RunSummary } from '@contract'
import { PRESETS } from '@core/train/presets'
import RunsTable from '@/runs/RunsTable.vue'
import {
  ariaSort,
  columnOf,
  nextSort,
  RUN_COLUMNS,
  sortRuns,
  type RunColumnKey
} from '@/runs/runs-table'
import { makeRun } from './run-fixtures'
import { denseNet } from '../../helpers/architectures'

const seed = PRESETS.seed.config
const RUNS: RunSummary[] = [
  makeRun('a', {
    name: 'Beta',
    startedAt: '2025-03-02T10:00:00Z',
    durationSeconds: 30,
    steps: 50,
    finalTestAccuracy: 0.91
  }),
  makeRun('b', {
    name: 'alpha',
    status: 'running',
    startedAt: '2025-03-03T10:00:00Z',
    durationSeconds: 5,
    finalTestAccuracy: null
  }),
  makeRun('c', {
    name: 'Gamma',
    status: 'failed',
    startedAt: '2025-03-01T10:00:00Z',
    durationSeconds: 60,
    steps: 400,
    finalTestAccuracy: 0.85,
    config: {
      ...seed,
      learningRate: 0.1,
      batchSize: 64,
      architecture: denseNet([128]),
      optimizer: { kind: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }
    }
  })
]
const ids = (runs: readonly RunSummary[]) => runs.map((r) => r.id).join('')

describe('sortRuns', () => {
  // a: Beta, 03-02, 30 s, 50 steps, 91%; b: alpha, running, 03-03, 5 s, 100 steps, no accuracy yet;
  // c: Gamma, failed, 03-01, 60 s, 400 steps, 85%, lr 0.1, batch 64, 784-128-10, Adam.
  const expected: Record<RunColumnKey, [ascending: string, descending: string]> = {
    name: ['bac', 'cab'], // case-insensitive: alpha, Beta, Gamma
    status: ['acb', 'bca'], // Completed, Failed, Running
    startedAt: ['cab', 'bac'],
    duration: ['bac', 'cab'],
    steps: ['abc', 'cba'],
    testAccuracy: ['cab', 'acb'], // the running run has none yet: last both ways
    learningRate: ['abc', 'cab'], // a and b tie and keep their order
    batchSize: ['abc', 'cab'],
    architecture: ['abc', 'cab'], // by size
    optimizer: ['cab', 'abc'] // Adam before SGD
  }

  for (const column of RUN_COLUMNS) {
    it(`sorts by ${column.label} both ways`, () => {
      expect(ids(sortRuns(RUNS, { key: column.key, direction: 'ascending' }))).toBe(
        expected[column.key][0]
      )
      expect(ids(sortRuns(RUNS, { key: column.key, direction: 'descending' }))).toBe(
        expected[column.key][1]
      )
    })
  }

  it('keeps the original order among equal values and does not touch its input', () => {
    const same = [makeRun('x'), makeRun('y'), makeRun('z')]
    expect(ids(sortRuns(same, { key: 'learningRate', direction: 'descending' }))).toBe('xyz')
    expect(ids(sortRuns(same, { key: 'learningRate', direction: 'ascending' }))).toBe('xyz')
    const copy = RUNS.slice()
    sortRuns(RUNS, { key: 'name', direction: 'ascending' })
    expect(RUNS).toEqual(copy)
  })

  it('reads columns the way the table shows them', () => {
    expect(columnOf('optimizer').text(RUNS[2])).toBe('Adam')
    expect(
      columnOf('optimizer').text(
        makeRun('m', { config: { ...seed, optimizer: { kind: 'sgd', momentum: 0.9 } } })
      )
    ).toBe('SGD, momentum 0.9')
    expect(columnOf('architecture').text(RUNS[2])).toBe('784 → 128 ReLU → 10')
    expect(columnOf('testAccuracy').text(RUNS[1])).toBe('—')
    expect(columnOf('steps').text(RUNS[0])).toBe('50 / 100')
    expect(columnOf('steps').text(makeRun('long', { steps: 9375, totalSteps: 9375 }))).toBe(
      '9\u202f375 / 9\u202f375'
    ) // as the Train view writes it
  })

  it('shows a live learning-rate or momentum change as every value the run trained with', () => {
    const changed = makeRun('live', {
      config: { ...seed, optimizer: { kind: 'sgd', momentum: 0 } },
      changes: [
        { setting: 'learningRate', step: 40, from: 0.03, to: 0.5 },
        { setting: 'momentum', step: 60, from: 0, to: 0.9 }
      ]
    })
    expect(columnOf('learningRate').text(changed)).toBe('0.03 → 0.5')
    expect(columnOf('optimizer').text(changed)).toBe('SGD, momentum 0 → 0.9')
    expect(columnOf('learningRate').text(RUNS[0])).toBe('0.03')
  })
})

describe('nextSort and aria-sort', () => {
  it('flips the sorted column, and starts numbers largest-first and text A→Z', () => {
    expect(nextSort({ key: 'name', direction: 'ascending' }, 'name')).toEqual({
      key: 'name',
      direction: 'descending'
    })
    expect(nextSort({ key: 'name', direction: 'descending' }, 'name')).toEqual({
      key: 'name',
      direction: 'ascending'
    })
    expect(nextSort({ key: 'name', direction: 'ascending' }, 'testAccuracy')).toEqual({
      key: 'testAccuracy',
      direction: 'descending'
    })
    expect(nextSort({ key: 'testAccuracy', direction: 'ascending' }, 'optimizer')).toEqual({
      key: 'optimizer',
      direction: 'ascending'
    })
  })

  it('says the direction on the sorted column only', () => {
    expect(ariaSort({ key: 'steps', direction: 'descending' }, 'steps')).toBe('descending')
    expect(ariaSort({ key: 'steps', direction: 'descending' }, 'name')).toBe('none')
  })
})

describe('RunsTable', () => {
  const mountTable = (
    selected: string[] = [],
    canSelectMore = true,
    openProblems: ReadonlyMap<string, string> = new Map()
  ) =>
    mount(RunsTable, {
      props: {
        runs: RUNS,
        sort: { key: 'name', direction: 'ascending' },
        selected,
        tones: new Map([['a', 'run-1' as const]]),
        canSelectMore,
        openProblems,
        opening: null
      },
      attachTo: document.body
    })

  it('opens a run in Train from its row; one without time-travel data says why and opens nothing', async () => {
    const why = 'It has no time-travel data (cleared, …): only its charts remain.'
    const view = mountTable([], true, new Map([['c', why]]))
    const open = view.get('button[aria-label="Open in Train: Beta"]')
    expect(open.attributes('aria-disabled')).toBe('false')
    await open.trigger('click')
    expect(view.emitted('open')).toEqual([[RUNS[0]]])
    const blocked = view.get('button[aria-label="Open in Train: Gamma"]')
    expect(blocked.attributes('aria-disabled')).toBe('true')
    expect(blocked.attributes('title')).toBe(why)
    // The reason is the button's description, for a screen reader as for the tooltip.
    expect(view.get(`#${blocked.attributes('aria-describedby')}`).text()).toBe(why)
    await blocked.trigger('click')
    expect(view.emitted('open')).toHaveLength(1)
    view.unmount()
  })

  it('has a sortable header per column with aria-sort, and emits the column clicked', async () => {
    const view = mountTable()
    const headers = view.findAll('th[aria-sort]')
    expect(headers.map((th) => th.text().replace(/[▲▼]/g, '').trim())).toEqual(
      RUN_COLUMNS.map((c) => c.label)
    )
    expect(headers.map((th) => th.attributes('aria-sort'))).toEqual(
      RUN_COLUMNS.map((c) => (c.key === 'name' ? 'ascending' : 'none'))
    )
    await headers[5].get('button').trigger('click')
    expect(view.emitted('sort')).toEqual([['testAccuracy']])
    view.unmount()
  })

  it('names every control by its run, and disables more ticks at the limit', () => {
    const view = mountTable(['a'], false)
    const boxes = view.findAll('input[type="checkbox"]')
    expect(boxes.map((b) => b.attributes('aria-label'))).toEqual([
      'Compare Beta',
      'Compare alpha',
      'Compare Gamma'
    ])
    expect(boxes[0].attributes('disabled')).toBeUndefined()
    expect(boxes[1].attributes('disabled')).toBeDefined()
    for (const name of ['Rename Beta', 'Export Beta metrics as CSV', 'Delete Beta']) {
      expect(view.find(`button[aria-label="${name}"]`).exists(), name).toBe(true)
    }
    view.unmount()
  })

  it('renames inline: Enter saves, Escape cancels', async () => {
    const view = mountTable()
    await view.get('button[aria-label="Rename Beta"]').trigger('click')
    const input = view.get('input[aria-label="Run name"]')
    expect(document.activeElement).toBe(input.element)
    await input.setValue('Baseline')
    const enter = new KeyboardEvent('keydown', { key: 'Enter', cancelable: true, bubbles: true })
    input.element.dispatchEvent(enter)
    await nextTick()
    expect(view.emitted('rename')).toEqual([['a', 'Baseline']])
    // Regression: focus returns to the Rename button at once, and an unprevented Enter pressed it again.
    expect(enter.defaultPrevented).toBe(true)
    expect(view.find('input[aria-label="Run name"]').exists()).toBe(false)

    await view.get('button[aria-label="Rename Gamma"]').trigger('click')
    await view.get('input[aria-label="Run name"]').setValue('nope')
    await view.get('input[aria-label="Run name"]').trigger('keydown', { key: 'Escape' })
    expect(view.emitted('rename')).toHaveLength(1)
    view.unmount()
  })
})
