// The Health panel's logic: the heat strip's cells and rectangles on hand-made samples, the rule-of-thumb
// verdict, and the health store: events, catching up, the auto-pause setting and the step-through; the
// panel at the time-travel cursor's step (the sample at or before it).
import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { AutoPause, CurrentRun, RunRecord, StudioApi, TrainingEvent } from '@contract'
import type { HealthSample, LayerHealth } from '@core/train/health'
import { receiveTrainingEvent } from '@/app/host-events'
import { useNavigationStore } from '@/shared/navigation-store'
import { useStepThroughStore } from '@/explore/step-through/step-through-store'
import { useHealthStore } from '@/train/health/health-store'
import {
  columnCentre,
  healthStrip,
  ratioVerdict,
  sampleIndexAtOrBefore,
  stripRects
} from '@/train/health/health-strip'
import HealthAlert from '@/train/health/HealthAlert.vue'
import HealthPanel from '@/train/health/HealthPanel.vue'
import { seed, started } from '../training-fakes'
import { useTrainingStore } from '@/train/training-store'

const studio = vi.hoisted(() => ({
  getModel: vi.fn(async () => null),
  getCurrentRun: vi.fn(),
  getRun: vi.fn(),
  getSettings: vi.fn(),
  updateSettings: vi.fn(),
  explainStep: vi.fn(() => new Promise(() => {})),
  startTraining: vi.fn(() => new Promise(() => {})) // a start whose 'started' has not come yet
}))
vi.mock('@/shared/api', () => ({ useStudio: (): StudioApi => studio as unknown as StudioApi }))

beforeEach(() => {
  setActivePinia(createPinia())
  vi.clearAllMocks()
})

const histogram = (min: number, max: number, counts: number[]) => ({ min, max, counts })
function layer(name: string, weights = histogram(-1, 1, [1, 3])): LayerHealth {
  return {
    layer: name,
    kind: 'dense',
    weights,
    gradients: histogram(0, 0, [0, 0]),
    activations: histogram(0, 2, [2, 2]),
    weightNorm: 1,
    gradientNorm: 0.5,
    updateRatio: 1e-3,
    deadFraction: 0.25,
    finite: true
  }
}
const sample = (step: number, ...layers: LayerHealth[]): HealthSample => ({ step, layers })

describe('healthStrip', () => {
  it('spans the whole run’s range, one column per sample, each bin its share of the values', () => {
    const strip = healthStrip(
      [sample(1, layer('dense1')), sample(5, layer('dense1', histogram(0, 4, [0, 2])))],
      'dense1',
      'weights'
    )
    expect([strip.min, strip.max]).toEqual([-1, 4])
    // Sample 1: [−1, 0] holds 1 of 4 values, [0, 1] holds 3; sample 5: [0, 2] none, [2, 4] all.
    expect(strip.columns).toEqual([
      [
        { low: -1, high: 0, share: 0.25 },
        { low: 0, high: 1, share: 0.75 }
      ],
      [
        { low: 0, high: 2, share: 0 },
        { low: 2, high: 4, share: 1 }
      ]
    ])
  })

  it('leaves a column empty where the layer is missing or has no finite value', () => {
    const strip = healthStrip([sample(1, layer('dense2')), sample(2)], 'dense2', 'gradients')
    expect(strip).toEqual({ min: 0, max: 0, columns: [[], []] })
  })

  it('draws each bin at its value (max at the top), shaded by √share', () => {
    const strip = healthStrip([sample(1, layer('dense1'))], 'dense1', 'weights')
    // 100 × 40 canvas over [−1, 1]: [0, 1] is the top half, [−1, 0] the bottom one.
    expect(stripRects(strip, 100, 40)).toEqual([
      { x: 0, y: 20, w: 100, h: 20, shade: 0.5 },
      { x: 0, y: 0, w: 100, h: 20, shade: Math.sqrt(0.75) }
    ])
  })
})

describe('the health at a step (time travel)', () => {
  const samples = [sample(1), sample(40), sample(90)]

  it('finds the last sample at or before the step, or none before the first', () => {
    expect(sampleIndexAtOrBefore(samples, 40)).toBe(1)
    expect(sampleIndexAtOrBefore(samples, 89)).toBe(1)
    expect(sampleIndexAtOrBefore(samples, 500)).toBe(2)
    expect(sampleIndexAtOrBefore(samples, 0)).toBe(-1)
    expect(sampleIndexAtOrBefore([], 10)).toBe(-1)
  })

  it('marks a column at its middle', () => {
    expect(columnCentre(0, 4, 240)).toBe(30)
    expect(columnCentre(3, 4, 240)).toBe(210)
  })

  it('shows the numbers of the sample at or before the cursor, live the latest ones', async () => {
    const early = { ...layer('dense1'), gradientNorm: 2.5, deadFraction: 0.5 }
    const late = { ...layer('dense1'), gradientNorm: 0.125, deadFraction: 0 }
    receiveTrainingEvent({ type: 'health', sample: sample(1, early) })
    receiveTrainingEvent({ type: 'health', sample: sample(50, late) })
    const view = mount(HealthPanel, { props: { at: null } })
    const cells = () => view.findAll('tbody td.number').map((td) => td.text())
    expect(view.get('.panel-subtitle').text()).toBe('step 50')
    expect(cells()).toEqual(['0.1250', '0.001', '0%'])
    await view.setProps({ at: 49 })
    expect(view.get('.panel-subtitle').text()).toBe(
      "step 1: the last sample at or before the cursor's step 49"
    )
    expect(cells()).toEqual(['2.500', '0.001', '50%'])
    expect(view.get('canvas').attributes('aria-label')).toMatch(
      /sample 1 marked \(the time-travel cursor's\)$/
    )
    await view.setProps({ at: 0 })
    expect(view.get('.panel-subtitle').text()).toBe("no sample at or before the cursor's step 0")
    expect(cells()).toEqual(['—', '—', '—'])
    view.unmount()
  })
})

describe('ratioVerdict', () => {
  it('reads ‖ΔW‖/‖W‖ as healthy from the ~1e-3 rule of thumb up to what a small net needs', () => {
    expect(ratioVerdict(1e-3)).toBe('good')
    // The seed preset at lr 0.03 (~0.01) and softmax regression at lr 0.1 (~0.014) learn fine.
    expect(ratioVerdict(0.0088)).toBe('good')
    expect(ratioVerdict(0.014)).toBe('good')
    expect(ratioVerdict(0.03)).toBe('good')
    // lr 0.3 on the seed preset (~0.15): 40 % of dense1 dead in 100 steps.
    expect(ratioVerdict(0.15)).toBe('high')
    expect(ratioVerdict(0.06)).toBe('high')
    expect(ratioVerdict(2e-5)).toBe('low')
    expect(ratioVerdict(null)).toBeNull()
  })
})

describe('health store', () => {
  const pause: AutoPause = {
    alarm: {
      kind: 'dead-layer',
      layer: 'dense1',
      layerKind: 'dense',
      step: 340,
      value: 0.97,
      divergence: null
    },
    image: { pixels: new Uint8Array(784).fill(255), label: 7 }
  }

  it('keeps the samples and the pause its events bring, until resumed or a new run', () => {
    const health = useHealthStore()
    receiveTrainingEvent({ type: 'health', sample: sample(1, layer('dense1')) })
    receiveTrainingEvent({ type: 'health', sample: sample(2, layer('dense1')) })
    expect(health.samples.map((s) => s.step)).toEqual([1, 2])
    expect(health.latest?.step).toBe(2)
    receiveTrainingEvent({ type: 'autoPaused', pause })
    expect(health.pauseMessage).toBe(
      'dense1 went dead at step 340: 97 % of its units output 0 for every image of the batch.'
    )
    expect(health.canStepThrough).toBe(true)
    receiveTrainingEvent({ type: 'state', state: 'running' })
    expect(health.pause).toBeNull()
    receiveTrainingEvent({ type: 'autoPaused', pause })
    receiveTrainingEvent({ type: 'reset', config: {} as never })
    expect([health.samples, health.pause]).toEqual([[], null])
  })

  it('forgets the last run’s pause and samples as soon as the next run is starting', async () => {
    const health = useHealthStore()
    receiveTrainingEvent(started())
    receiveTrainingEvent({ type: 'health', sample: sample(340, layer('dense1')) })
    receiveTrainingEvent({ type: 'autoPaused', pause })
    receiveTrainingEvent({ type: 'state', state: 'paused' })
    const alert = mount(HealthAlert, { props: { status: 'paused' } })
    expect(alert.find('[role="alert"]').exists()).toBe(true)
    void useTrainingStore().start(seed) // its 'started' event has not arrived
    expect(useTrainingStore().status).toBe('starting')
    expect([health.samples, health.pause]).toEqual([[], null])
    await alert.setProps({ status: 'starting' })
    expect(alert.find('[role="alert"]').exists()).toBe(false)
    alert.unmount()
  })

  it('offers the step-through for a conv net too, and only with the batch’s image', () => {
    const health = useHealthStore()
    const conv1: LayerHealth = { ...layer('conv1'), kind: 'conv' }
    receiveTrainingEvent({ type: 'health', sample: sample(12, conv1, layer('dense1')) })
    receiveTrainingEvent({ type: 'autoPaused', pause })
    expect(health.canStepThrough).toBe(true)
    receiveTrainingEvent({ type: 'autoPaused', pause: { ...pause, image: null } })
    expect(health.canStepThrough).toBe(false)
  })

  it('catches up with the run the host has, and reads the auto-pause setting', async () => {
    studio.getSettings.mockResolvedValueOnce({ autoPause: false })
    studio.getCurrentRun.mockResolvedValueOnce({
      health: [sample(3, layer('dense1'))],
      autoPause: pause
    } as unknown as CurrentRun)
    const health = useHealthStore()
    await health.catchUp()
    await Promise.resolve()
    expect(health.samples.map((s) => s.step)).toEqual([3])
    expect(health.pause).toEqual(pause)
    expect(health.autoPause).toBe(false)
    await health.setAutoPause(true)
    expect(studio.updateSettings).toHaveBeenCalledWith({ autoPause: true })
    expect(health.autoPause).toBe(true)
  })

  it('fills an empty panel from the record of a run that ended unheard, and only then', async () => {
    const finished: TrainingEvent = {
      type: 'finished',
      reason: 'completed',
      step: 100,
      elapsedSeconds: 3
    }
    studio.getRun.mockResolvedValue({
      id: 'run-1',
      health: [sample(50, layer('dense1')), sample(100, layer('dense1'))]
    } as unknown as RunRecord)
    const health = useHealthStore()
    // A run heard with its health: the record is not needed.
    receiveTrainingEvent(started())
    receiveTrainingEvent({ type: 'health', sample: sample(7, layer('dense1')) })
    receiveTrainingEvent(finished)
    await vi.waitFor(() => expect(health.samples.map((s) => s.step)).toEqual([7]))
    expect(studio.getRun).not.toHaveBeenCalled()
    // One that ended without a health sample reaching this window: its record's, for the panel.
    receiveTrainingEvent(started())
    receiveTrainingEvent(finished)
    await vi.waitFor(() => expect(health.samples.map((s) => s.step)).toEqual([50, 100]))
    expect(studio.getRun).toHaveBeenCalledWith('run-1')
    const panel = mount(HealthPanel, { props: { at: 60 } })
    expect(panel.get('.panel-subtitle').text()).toBe(
      "step 50: the last sample at or before the cursor's step 60"
    )
    panel.unmount()
  })

  it('opens Explore’s step-through on the batch’s first image, in [0, 1], with its true label', async () => {
    const health = useHealthStore()
    receiveTrainingEvent({ type: 'health', sample: sample(340, layer('dense1')) })
    receiveTrainingEvent({ type: 'autoPaused', pause })
    void health.openStepThrough()
    expect(useNavigationStore().view).toBe('explore')
    const image = useStepThroughStore().image
    expect(image).toMatchObject({ kind: 'pixels', label: 7 })
    expect(image?.kind === 'pixels' && image.input.every((v) => v === 1)).toBe(true)
    expect(studio.explainStep).toHaveBeenCalledWith(
      expect.objectContaining({ label: 7, source: expect.objectContaining({ kind: 'pixels' }) })
    )
  })
})

describe('HealthAlert', () => {
  const dead: AutoPause = {
    alarm: {
      kind: 'dead-layer',
      layer: 'conv2',
      layerKind: 'conv',
      step: 14,
      value: 0.94,
      divergence: null
    },
    image: null
  }

  it('says "Paused" only while the run is paused, and what happened once it is stopped', async () => {
    receiveTrainingEvent({ type: 'autoPaused', pause: dead })
    const view = mount(HealthAlert, { props: { status: 'paused' } })
    const said = () => (view.find('[role="alert"]').exists() ? view.text() : null)
    expect(said()).toMatch(/^Paused: conv2 went dead at step 14: 94 % of its filters output 0/)
    // Stopped there: what happened, not a pause that no longer is.
    await view.setProps({ status: 'stopped' })
    expect(said()).toMatch(/^conv2 went dead at step 14/)
    view.unmount()
  })

  it('offers the rest of a long message behind More (a short window shows two lines)', async () => {
    receiveTrainingEvent({ type: 'autoPaused', pause: dead })
    const view = mount(HealthAlert, { props: { status: 'paused' } })
    const more = view.get('button[aria-controls="health-alert-message"]')
    expect([more.text(), more.attributes('aria-expanded')]).toEqual(['More', 'false'])
    expect(view.get('#health-alert-message').classes()).toContain('clamped')
    await more.trigger('click')
    expect([more.text(), more.attributes('aria-expanded')]).toEqual(['Less', 'true'])
    expect(view.get('#health-alert-message').classes()).not.toContain('clamped')
    view.unmount()
  })
})
