// The Runs view wired to its store, against a stubbed StudioApi (chart.js stubbed: happy-dom has no
// canvas): list, compare two (overlay + diff), rename, pin, delete only after confirming.
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { RunSummary, StudioApi } from '@contract'
import { PRESETS } from '@core/train/presets'
import RunsView from '@/runs/RunsView.vue'
import { makeRecord, makeRun } from './run-fixtures'

const studio = vi.hoisted(() => ({
  listRuns: vi.fn(),
  getRun: vi.fn(),
  renameRun: vi.fn(async () => {}),
  deleteRun: vi.fn(async () => {}),
  pinRun: vi.fn(async () => {}),
  getTimeTravelUsage: vi.fn(async () => ({
    bytes: 3 * 2 ** 20,
    files: 1,
    budgetBytes: 512 * 2 ** 20,
    pinnedBytes: 0,
    pinnedFiles: 0
  })),
  clearTimeTravel: vi.fn(async () => {}),
  updateSettings: vi.fn(async () => ({}))
}))
vi.mock('@/shared/api', () => ({ useStudio: (): StudioApi => studio as unknown as StudioApi }))

let runs: RunSummary[]
let pinia: ReturnType<typeof createPinia>
beforeEach(() => {
  pinia = createPinia()
  setActivePinia(pinia)
  vi.clearAllMocks()
  runs = [
    makeRun('a', { name: 'Baseline', startedAt: '2025-03-01T10:00:00Z' }),
    makeRun('b', {
      name: 'Faster',
      startedAt: '2025-03-02T10:00:00Z',
      config: { ...PRESETS.seed.config, learningRate: 0.1 }
    })
  ]
  studio.listRuns.mockImplementation(async () => runs.slice())
  studio.getRun.mockImplementation(async (id: string) => makeRecord(runs.find((r) => r.id === id)!))
})

const mountView = async () => {
  const view = mount(RunsView, {
    global: { plugins: [pinia], stubs: { MetricChart: true } },
    attachTo: document.body
  })
  await flushPromises()
  return view
}
const button = (view: Awaited<ReturnType<typeof mountView>>, name: string) =>
  view.get(`button[aria-label="${name}"]`)

describe('RunsView', () => {
  it('overlays the runs ticked, in their colours, and diffs their configs', async () => {
    const view = await mountView()
    expect(view.text()).toContain('2 runs')
    for (const name of ['Compare Baseline', 'Compare Faster'])
      await view.get(`input[aria-label="${name}"]`).setValue(true)
    await flushPromises()
    expect(view.findAll('metric-chart-stub')).toHaveLength(2)
    expect(view.findAll('.runs-legend').at(0)!.text()).toContain('Baseline')
    const diff = view.get('[aria-labelledby="runs-diff-title"]')
    expect(diff.text()).toContain('1 setting differs')
    expect(diff.get('tr.differs').text()).toContain('Learning rate')
    view.unmount()
  })

  it('shows the time-travel data against its disk budget, and changes the budget', async () => {
    const view = await mountView()
    const usage = view.get('.time-travel-usage')
    expect(usage.text()).toMatch(/^Time travel data: 3 MB\s+of\s+MB/) // the budget is the field's value
    const budget = view.get<HTMLInputElement>('input[aria-label="Time travel disk budget (MB)"]')
    expect(budget.element.value).toBe('512')

    await budget.setValue('20')
    await flushPromises()
    expect(view.get('[role="alert"]').text()).toBe(
      'Disk budget must be a whole number of MB from 64 to 1,000,000, got 20'
    )
    expect(budget.attributes('aria-invalid')).toBe('true')
    expect(studio.updateSettings).not.toHaveBeenCalled()

    await budget.setValue('1024')
    await flushPromises()
    expect(studio.updateSettings).toHaveBeenCalledWith({ timeTravelBudgetMB: 1024 })
    expect(view.find('[role="alert"]').exists()).toBe(false)
    view.unmount()
  })

  it("says where a run's time-travel data was deleted to keep within the disk budget", async () => {
    runs[0] = { ...runs[0], timeTravelDropped: true }
    const view = await mountView()
    const rows = view.findAll('tbody tr')
    const baseline = rows.find((row) => row.text().includes('Baseline'))!
    const faster = rows.find((row) => row.text().includes('Faster'))!
    expect(baseline.get('td.col-name').text()).toContain('time travel data deleted (disk budget)')
    expect(faster.text()).not.toContain('time travel data deleted')
    view.unmount()
  })

  it('says where the disk budget thinned a run’s time-travel data, and how long a scrub may replay', async () => {
    runs[1] = { ...runs[1], timeTravelThinned: { longestReplay: 1183 } }
    const view = await mountView()
    const [faster, baseline] = view.findAll('tbody tr') // newest first
    expect(faster.get('td.col-name').text()).toContain(
      'time travel thinned: replays up to 1,183 steps'
    )
    expect(baseline.text()).not.toContain('thinned')
    view.unmount()
  })

  it('pins and unpins a run with a toggle in its row, a button the keyboard reaches', async () => {
    const view = await mountView()
    const pin = () => button(view, 'Pin Baseline')
    expect(pin().element.tagName).toBe('BUTTON')
    expect(pin().attributes('aria-pressed')).toBe('false')
    expect(pin().attributes('title')).toBe(
      "Keep this run's time-travel data: the disk budget never thins or deletes it"
    )
    runs[0] = { ...runs[0], pinned: true }
    await pin().trigger('click')
    await flushPromises()
    expect(studio.pinRun).toHaveBeenCalledWith('a', true)
    expect(studio.listRuns).toHaveBeenCalledTimes(2) // read again: the host may have thinned others
    expect(pin().attributes('aria-pressed')).toBe('true')
    expect(button(view, 'Pin Faster').attributes('aria-pressed')).toBe('false')
    await pin().trigger('click')
    expect(studio.pinRun).toHaveBeenLastCalledWith('a', false)
    view.unmount()
  })

  it('says when pinned runs alone exceed the disk budget, and that Clear leaves them', async () => {
    const MB = 2 ** 20
    const usage = { bytes: 700 * MB, files: 3, budgetBytes: 512 * MB }
    studio.getTimeTravelUsage.mockResolvedValueOnce({
      ...usage,
      pinnedBytes: 600 * MB,
      pinnedFiles: 2
    })
    const view = await mountView()
    expect(view.get('.pinned-over-budget').text()).toBe(
      "Pinned runs' time-travel data alone takes 600 MB, more than the 512 MB budget: it is all " +
        'kept, over the budget. Unpin a run or raise the budget.'
    )
    expect(view.get('.time-travel-usage').text()).toContain('· 600 MB pinned')
    const clear = view.findAll('button').find((b) => b.text() === 'Clear')!
    expect(clear.attributes('title')).toBe(
      "Delete every run's checkpoints but the 2 pinned runs' (the runs stay, without scrubbing or forking)"
    )
    view.unmount()

    // Within the budget: no note. Every file pinned: nothing for Clear to clear.
    studio.getTimeTravelUsage.mockResolvedValueOnce({
      ...usage,
      pinnedBytes: 700 * MB,
      pinnedFiles: 3,
      budgetBytes: 1024 * MB
    })
    const calm = await mountView()
    expect(calm.find('.pinned-over-budget').exists()).toBe(false)
    expect(calm.findAll('button').some((b) => b.text() === 'Clear')).toBe(false)
    calm.unmount()
  })

  it('renames a run inline', async () => {
    const view = await mountView()
    await button(view, 'Rename Baseline').trigger('click')
    await view.get('input[aria-label="Run name"]').setValue('SGD 0.03')
    await view.get('input[aria-label="Run name"]').trigger('keydown', { key: 'Enter' })
    await flushPromises()
    expect(studio.renameRun).toHaveBeenCalledWith('a', 'SGD 0.03')
    view.unmount()
  })

  it('deletes only after the confirmation, and Cancel keeps the run', async () => {
    const view = await mountView()
    await button(view, 'Delete Baseline').trigger('click')
    const dialog = view.get('[role="alertdialog"]')
    expect(dialog.text()).toContain('Delete “Baseline”?')
    expect(document.activeElement?.textContent?.trim()).toBe('Cancel')
    await dialog
      .findAll('button')
      .find((b) => b.text() === 'Cancel')!
      .trigger('click')
    expect(studio.deleteRun).not.toHaveBeenCalled()

    await button(view, 'Delete Baseline').trigger('click')
    runs = runs.filter((r) => r.id !== 'a')
    await view
      .get('[role="alertdialog"]')
      .findAll('button')
      .find((b) => b.text() === 'Delete run')!
      .trigger('click')
    await flushPromises()
    expect(studio.deleteRun).toHaveBeenCalledWith('a')
    expect(view.text()).toContain('1 run ')
    view.unmount()
  })
})
