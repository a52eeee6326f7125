// The Train view showing a recorded run (Runs' "Open in Train"), found by role and label: the banner
// with its way back, read-only settings, the time-travel cursor ready at the run's end, the network
// at that end, no Resume; "Back to a new run" gives the learner the form back. chart.js is stubbed.
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { NetworkAtStep, RunPoint } from '@contract'
import TrainingView from '@/train/TrainingView.vue'
import { useRecordedRunStore } from '@/train/recorded-run-store'
import { makeRecord, makeRun } from '../runs/run-fixtures'
import { seed, studio } from './training-fakes'

vi.mock('@/shared/api', async () => (await import('./training-fakes')).fakeApiModule())

const RUN = makeRun('old-run', { name: 'Seed, slower', config: { ...seed, learningRate: 0.01 } })
/** The seed net's first layer (10 × 784), every weight the step: each step's told apart. */
const networkAt = ({ runId, step }: RunPoint): NetworkAtStep => ({
  runId,
  step,
  totalSteps: 100,
  weights: {
    layer: 'dense1.weight',
    step,
    rows: 10,
    cols: 784,
    rowsAre: 'units',
    data: new Float32Array(7840).fill(step / 1000)
  },
  probes: [],
  evaluation: {
    count: 1000,
    accuracy: 0.5,
    loss: 1,
    confusion: Array.from({ length: 10 }, () => new Array(10).fill(0)),
    classCounts: new Array(10).fill(100),
    perClassAccuracy: new Array(10).fill(0.5)
  } as unknown as NetworkAtStep['evaluation'],
  replayedSteps: 0
})

beforeEach(() => {
  setActivePinia(createPinia())
  vi.clearAllMocks()
  studio.getRun.mockImplementation(async () => makeRecord(RUN))
  studio.networkAtStep.mockImplementation(async (point: RunPoint) => networkAt(point))
  studio.getWeights.mockImplementation(async () => networkAt({ runId: '', step: 0 }).weights)
})

async function mountRecorded() {
  const view = mount(TrainingView, {
    global: { stubs: { MetricChart: true, ConfusionMatrix: true } },
    attachTo: document.body
  })
  await useRecordedRunStore().open(RUN)
  await flushPromises()
  return view
}

describe('the Train view showing a recorded run', () => {
  it('says so, locks its settings, and has the cursor ready at its end', async () => {
    const view = await mountRecorded()
    const banner = view.get('[role="note"][aria-label="Recorded run"]')
    expect(banner.text()).toMatch(/^Viewing recorded run “Seed, slower” · completed at step 100\./)
    const learningRate = view.get<HTMLInputElement>('#field-learningRate')
    expect(learningRate.element.value).toBe('0.01') // its settings
    const lock = view.get<HTMLFieldSetElement>('fieldset.config-lock')
    expect(lock.element.contains(learningRate.element)).toBe(true)
    expect(lock.element.disabled).toBe(true) // read-only: every field of the panel
    const travel = view.get('[aria-label="Time travel"]')
    expect(travel.text()).toContain('End of the run · step 100')
    const slider = travel.get<HTMLInputElement>('input[aria-label="Time travel: step"]')
    expect(slider.element.disabled).toBe(false)
    expect(slider.attributes('max')).toBe('100')
    expect(slider.attributes('aria-valuetext')).toBe('end, step 100')
    expect(view.find('[aria-label="Network at step 100"]').exists()).toBe(true)
    const labels = view.findAll('button').map((b) => b.text())
    expect(labels).not.toContain('Resume')
    expect(
      view
        .findAll('button')
        .find((b) => b.text() === 'Stop')
        ?.attributes('disabled')
    ).toBe('')

    await slider.setValue('7')
    await flushPromises()
    expect(studio.networkAtStep).toHaveBeenLastCalledWith({ runId: 'old-run', step: 7 })
    expect(travel.text()).toContain('At step 7 of 100')
    expect(view.find('[aria-label="Network at step 7"]').exists()).toBe(true)
    const backToEnd = travel.findAll('button').find((b) => b.text() === 'Back to the end')!
    await backToEnd.trigger('click')
    expect(travel.text()).toContain('End of the run · step 100')
    view.unmount()
  })

  it('"Back to a new run" leaves it: no banner, the form editable, nothing to scrub', async () => {
    const view = await mountRecorded()
    await view.get('[aria-label="Recorded run"] button').trigger('click')
    await flushPromises()
    expect(view.find('[aria-label="Recorded run"]').exists()).toBe(false)
    expect(view.get<HTMLFieldSetElement>('fieldset.config-lock').element.disabled).toBe(false)
    const travel = view.get('[aria-label="Time travel"]')
    expect(travel.text()).toContain('Live')
    expect(travel.get<HTMLInputElement>('input[type="range"]').element.disabled).toBe(true)
    view.unmount()
  })
})
