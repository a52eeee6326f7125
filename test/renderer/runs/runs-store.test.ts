// The runs store against a stubbed StudioApi: listing, comparing up to five, records read once and
// re-read when a run moves on, rename / delete / CSV, refresh when a run ends, and failures.
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { RunSummary, StudioApi } from '@contract'
import { PRESETS } from '@core/train/presets'
import { MAX_COMPARED_RUNS } from '@/runs/run-curves'
import { useRunsStore } from '@/runs/runs-store'
import { useTrainingStore } from '@/train/training-store'
import { makeRecord, makeRun } from './run-fixtures'

const studio = vi.hoisted(() => ({
  listRuns: vi.fn(),
  getRun: vi.fn(),
  renameRun: vi.fn(async () => {}),
  deleteRun: vi.fn(async () => {}),
  exportRunCsv: vi.fn(),
  startTraining: vi.fn(async () => {}),
  getTimeTravelUsage: vi.fn(async () => ({
    bytes: 88_080_384,
    files: 3,
    budgetBytes: 512 * 2 ** 20
  })),
  clearTimeTravel: vi.fn(async () => {}),
  listTimeTravelRuns: vi.fn(async (): Promise<string[]> => []),
  updateSettings: vi.fn(async () => ({}))
}))
vi.mock('@/shared/api', () => ({ useStudio: (): StudioApi => studio as unknown as StudioApi }))

let runs: RunSummary[]
beforeEach(() => {
  setActivePinia(createPinia())
  vi.clearAllMocks()
  runs = ['a', 'b', 'c', 'd', 'e', 'f'].map((id, i) =>
    makeRun(id, { startedAt: `2025-03-0${i + 1}T10:00:00Z` })
  )
  studio.listRuns.mockImplementation(async () => runs.slice()) // a fresh array per call, as over the wire
  studio.getRun.mockImplementation(async (id: string) => makeRecord(runs.find((r) => r.id === id)!))
})
afterEach(() => vi.restoreAllMocks())

describe('runs store', () => {
  it('lists runs newest first and sorts by any column', async () => {
    const store = useRunsStore()
    await store.refresh()
    expect(store.status).toBe('ready')
    expect(store.sorted.map((r) => r.id)).toEqual(['f', 'e', 'd', 'c', 'b', 'a'])
    store.sortBy('name')
    expect(store.sort).toEqual({ key: 'name', direction: 'ascending' })
    expect(store.sorted[0].id).toBe('a')
  })

  it(`compares up to ${MAX_COMPARED_RUNS} runs, reading each record once`, async () => {
    const store = useRunsStore()
    await store.refresh()
    for (const id of ['a', 'b', 'c', 'd', 'e', 'f']) await store.toggleSelected(id)
    expect(store.selected).toEqual(['a', 'b', 'c', 'd', 'e'])
    expect(store.canSelectMore).toBe(false)
    expect(store.compared.map((e) => [e.record.id, e.tone])).toEqual([
      ['a', 'run-1'],
      ['b', 'run-2'],
      ['c', 'run-3'],
      ['d', 'run-4'],
      ['e', 'run-5']
    ])
    expect(studio.getRun).toHaveBeenCalledTimes(5)
    await store.toggleSelected('b')
    await store.toggleSelected('f')
    expect(store.tones.get('f')).toBe('run-2')
    await store.refresh()
    expect(studio.getRun).toHaveBeenCalledTimes(6) // nothing changed: no re-read
  })

  it('re-reads a compared run whose summary moved on (a running run that finished)', async () => {
    runs[0] = { ...runs[0], status: 'running', steps: 40, finalTestAccuracy: null }
    const store = useRunsStore()
    await store.refresh()
    await store.toggleSelected('a')
    expect(store.compared[0].record.steps).toBe(40)
    runs[0] = { ...runs[0], status: 'completed', steps: 100, finalTestAccuracy: 0.9 }
    await store.refresh()
    expect(store.compared[0].record.steps).toBe(100)
  })

  it('diffs the first two compared runs unless others are chosen', async () => {
    const store = useRunsStore()
    await store.refresh()
    expect(store.diffPair?.map((r) => r.id)).toEqual(['f', 'e']) // nothing ticked: the newest two
    await store.toggleSelected('b')
    await store.toggleSelected('d')
    expect(store.diffPair?.map((r) => r.id)).toEqual(['b', 'd'])
    store.chooseDiff(1, 'a')
    expect(store.diffPair?.map((r) => r.id)).toEqual(['b', 'a'])
  })

  it('renames (trimmed) and deletes, then lists again; a deleted run leaves the comparison', async () => {
    const store = useRunsStore()
    await store.refresh()
    await store.toggleSelected('c')
    expect(await store.rename('c', '  Baseline  ')).toBe(true)
    expect(studio.renameRun).toHaveBeenCalledWith('c', 'Baseline')
    expect(await store.rename('c', '   ')).toBe(true)
    expect(studio.renameRun).toHaveBeenCalledTimes(1) // an empty name is no rename
    runs = runs.filter((r) => r.id !== 'c')
    expect(await store.remove('c')).toBe(true)
    expect(studio.deleteRun).toHaveBeenCalledWith('c')
    expect(store.selected).toEqual([])
    expect(store.sorted.map((r) => r.id)).not.toContain('c')
  })

  it('shows the host’s reason when a rename or delete is refused', async () => {
    studio.deleteRun.mockRejectedValueOnce(new Error('run c is still running: stop it first'))
    const store = useRunsStore()
    await store.refresh()
    expect(await store.remove('c')).toBe(false)
    expect(store.error).toBe('run c is still running: stop it first')
  })

  it('exports a run’s metrics as a CSV download', async () => {
    studio.exportRunCsv.mockResolvedValue({ fileName: 'run-c.csv', text: 'step,loss\n1,2.3\n' })
    const createObjectURL = vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:csv')
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {})
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement
    ) {
      expect(this.download).toBe('run-c.csv')
      expect(this.href).toBe('blob:csv')
    })
    const store = useRunsStore()
    expect(await store.exportCsv('c')).toBe(true)
    expect(click).toHaveBeenCalledTimes(1)
    const blob = createObjectURL.mock.calls[0][0] as Blob
    expect(blob.type).toBe('text/csv;charset=utf-8')
    expect(await blob.text()).toBe('step,loss\n1,2.3\n')
  })

  it('lists again when a run starts and when it ends', async () => {
    const store = useRunsStore()
    const training = useTrainingStore()
    await training.start(PRESETS.seed.config)
    training.receive({
      type: 'started',
      runId: 'g',
      parent: null,
      config: PRESETS.seed.config,
      preset: null,
      totalSteps: 100,
      stepsPerEpoch: 100,
      state: 'running'
    })
    await vi.waitFor(() => expect(studio.listRuns).toHaveBeenCalledTimes(1))
    training.receive({ type: 'finished', reason: 'completed', step: 100, elapsedSeconds: 3 })
    await vi.waitFor(() => expect(studio.listRuns).toHaveBeenCalledTimes(2))
    expect(store.status).toBe('ready')
  })

  it('explains a run history that cannot be read', async () => {
    studio.listRuns.mockRejectedValue(new Error('runs folder is not readable'))
    const store = useRunsStore()
    await store.refresh()
    expect(store.status).toBe('failed')
    expect(store.error).toBe('Could not read the run history: runs folder is not readable')
  })

  it('reads what the time-travel data takes, and clears it (the runs stay)', async () => {
    const store = useRunsStore()
    await store.refresh()
    await vi.waitFor(() =>
      expect(store.timeTravel).toEqual({ bytes: 88_080_384, files: 3, budgetBytes: 512 * 2 ** 20 })
    )
    studio.getTimeTravelUsage.mockResolvedValueOnce({
      bytes: 0,
      files: 0,
      budgetBytes: 512 * 2 ** 20
    })
    await store.clearTimeTravel()
    expect(studio.clearTimeTravel).toHaveBeenCalledTimes(1)
    expect(store.timeTravel).toEqual({ bytes: 0, files: 0, budgetBytes: 512 * 2 ** 20 })
    expect(store.runs).toHaveLength(6)
  })

  it("changes the disk budget, refusing one out of range with the settings' sentence", async () => {
    const store = useRunsStore()
    await store.refresh()
    await store.setTimeTravelBudget(10)
    expect(store.budgetError).toBe(
      'Disk budget must be a whole number of MB from 64 to 1,000,000, got 10'
    )
    expect(studio.updateSettings).not.toHaveBeenCalled()

    studio.getTimeTravelUsage.mockResolvedValue({ bytes: 0, files: 0, budgetBytes: 64 * 2 ** 20 })
    await store.setTimeTravelBudget(64)
    expect(studio.updateSettings).toHaveBeenCalledWith({ timeTravelBudgetMB: 64 })
    expect(store.budgetError).toBeNull()
    // The host deleted the oldest runs' checkpoints to fit: the list and the usage are read again.
    await vi.waitFor(() => expect(store.timeTravel?.budgetBytes).toBe(64 * 2 ** 20))
    expect(studio.listRuns).toHaveBeenCalledTimes(2)

    studio.updateSettings.mockRejectedValueOnce(new Error('disk full'))
    await store.setTimeTravelBudget(128)
    expect(store.budgetError).toBe('Could not change the disk budget: disk full')
  })

  it('says which runs cannot open in Train and why: data deleted by the budget, cleared or never kept', async () => {
    runs[1] = { ...runs[1], timeTravelDropped: true }
    studio.listTimeTravelRuns.mockResolvedValueOnce(['a', 'c']).mockResolvedValueOnce([])
    const store = useRunsStore()
    await store.refresh()
    await vi.waitFor(() => expect([...store.openProblems.keys()]).toEqual(['b', 'd', 'e', 'f']))
    expect(store.openProblems.get('b')).toMatch(/deleted to keep within the disk budget/)
    expect(store.openProblems.get('d')).toMatch(/no time-travel data \(cleared, or never written/)
    await store.clearTimeTravel() // every run's data goes: none opens any more
    expect(store.openProblems.size).toBe(6)
  })

  it('lets every run try to open when the list of runs with time-travel data cannot be read', async () => {
    studio.listTimeTravelRuns.mockRejectedValueOnce(new Error('EACCES'))
    const store = useRunsStore()
    await store.refresh()
    await vi.waitFor(() => expect(studio.listTimeTravelRuns).toHaveBeenCalled())
    expect(store.openProblems.size).toBe(0)
  })

  it('lists the runs even when the time-travel usage cannot be read', async () => {
    studio.getTimeTravelUsage.mockRejectedValueOnce(new Error('EACCES'))
    const store = useRunsStore()
    await store.refresh()
    expect(store.status).toBe('ready')
    await vi.waitFor(() => expect(store.timeTravel).toBeNull())
  })
})
