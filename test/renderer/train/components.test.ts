// Components in happy-dom: accessible names, inline validation, control states. chart.js is stubbed
// (happy-dom has no 2D canvas); the real charts are exercised in Chromium by the e2e tests.
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { nextTick } from 'vue'
import type { StudioApi } from '@contract'
import TrainingControls from '@/train/TrainingControls.vue'
import TrainingProgress from '@/train/TrainingProgress.vue'
import TrainingView from '@/train/TrainingView.vue'
import { useConfigStore } from '@/train/config-store'

const studio = vi.hoisted(() => ({
  startTraining: vi.fn(async () => {}),
  controlTraining: vi.fn(async () => {}),
  updateTraining: vi.fn(async () => {}),
  resetTraining: vi.fn(async () => {})
}))
vi.mock('@/shared/api', () => ({ useStudio: () => studio as unknown as StudioApi }))

let pinia: ReturnType<typeof createPinia>
beforeEach(() => {
  pinia = createPinia()
  setActivePinia(pinia)
  vi.clearAllMocks()
})

const mountView = () =>
  mount(TrainingView, {
    global: { plugins: [pinia], stubs: { MetricChart: true } },
    attachTo: document.body
  })

describe('TrainingView', () => {
  it('labels every input and select, so each can be found by its name', () => {
    const view = mountView()
    const controls = view.findAll('input[type="text"], select')
    expect(controls.length).toBeGreaterThanOrEqual(13)
    for (const control of controls) {
      const id = control.attributes('id')
      expect(id, control.html()).toBeTruthy()
      expect(view.find(`label[for="${id}"]`).exists(), `label for ${id}`).toBe(true)
      expect(control.attributes('aria-describedby') ?? '').not.toBe(undefined)
    }
    const names = view.findAll('label').map((label) => label.text())
    for (const name of [
      'Preset',
      'Learning rate',
      'Batches per epoch',
      'Batch size',
      'Epochs',
      'Hidden layers',
      'Activation',
      'Initialiser',
      'Optimizer',
      'Momentum',
      'Weight decay',
      'Seed',
      'Evaluate every'
    ]) {
      expect(names).toContain(name)
    }
    view.unmount()
  })

  it('shows what is wrong with an invalid learning rate; Start says so and goes there', async () => {
    const view = mountView()
    const input = view.get('#field-learningRate')
    await input.setValue('-1')
    const error = view.get('#field-learningRate-error')
    expect(error.text()).toBe('Must be a number > 0 and ≤ 10, got -1.')
    expect(input.attributes('aria-invalid')).toBe('true')
    expect(input.attributes('aria-describedby')).toContain('field-learningRate-error')
    const start = view.findAll('button').find((b) => b.text() === 'Start')!
    // Greyed, but not disabled: it can still be reached and clicked, to say why and go to the field.
    expect(start.attributes('aria-disabled')).toBe('true')
    expect(start.attributes('data-tooltip')).toMatch(
      /^Fix first: Learning rate must be a number > 0/
    )
    await start.trigger('click')
    await nextTick()
    expect(studio.startTraining).not.toHaveBeenCalled()
    expect(view.get('[role="alert"]').text()).toContain(
      'Not started: Learning rate must be a number > 0 and ≤ 10, got -1.'
    )
    await flushPromises()
    expect(document.activeElement?.id).toBe('field-learningRate')
    await input.setValue('0.03') // valid again: the explanation has no reason left
    expect(view.find('[role="alert"]').exists()).toBe(false)
    view.unmount()
  })

  it('shows a problem no field owns above the form, marks no field, and greys Start', async () => {
    const view = mountView()
    useConfigStore().trainSet = {
      name: 'Fashion 32×32',
      count: 60_000,
      rows: 32,
      cols: 32,
      classes: 10
    }
    await nextTick()
    const alert = view.get('.config-panel [role="alert"]')
    expect(alert.text()).toMatch(/^The model takes 784 inputs but Fashion 32×32 images have/)
    expect(view.findAll('[aria-invalid="true"]')).toHaveLength(0)
    const start = view.findAll('button').find((b) => b.text() === 'Start')!
    // Greyed (aria-disabled: it stays focusable to explain itself), and its tooltip says why.
    expect(start.attributes('aria-disabled')).toBe('true')
    expect(start.attributes('data-tooltip')).toMatch(/^Fix first: the model takes 784 inputs/)
    await start.trigger('click')
    expect(studio.startTraining).not.toHaveBeenCalled()
    expect(view.get('.run-panel [role="alert"]').text()).toMatch(
      /^Not started: the model takes 784/
    )
    view.unmount()
  })

  it('switches optimizer options: momentum for SGD, β1/β2/ε for Adam', async () => {
    const view = mountView()
    expect(view.find('#field-momentum').exists()).toBe(true)
    await view.get('#field-optimizer').setValue('adam')
    expect(view.find('#field-momentum').exists()).toBe(false)
    expect(view.find('#field-beta1').exists()).toBe(true)
    expect(view.find('#field-epsilon').exists()).toBe(true)
    view.unmount()
  })

  it('starts on Space when focus is not in a field, but not while typing', async () => {
    const view = mountView()
    view
      .get('#field-learningRate')
      .element.dispatchEvent(new KeyboardEvent('keydown', { key: ' ', bubbles: true }))
    expect(studio.startTraining).not.toHaveBeenCalled()
    document.body.dispatchEvent(new KeyboardEvent('keydown', { key: ' ', bubbles: true }))
    expect(studio.startTraining).toHaveBeenCalledTimes(1)
    view.unmount()
  })
})

describe('TrainingControls', () => {
  const buttons = (status: string, canStart = true) => {
    const wrapper = mount(TrainingControls, { props: { status: status as never, canStart } })
    return Object.fromEntries(wrapper.findAll('button').map((b) => [b.text(), b]))
  }

  it('offers Start when idle, Pause when running, Resume when paused', () => {
    expect(Object.keys(buttons('idle'))).toEqual(['Start', 'Step', 'Stop', 'Reset', 'New seed'])
    expect(Object.keys(buttons('running'))[0]).toBe('Pause')
    expect(Object.keys(buttons('paused'))[0]).toBe('Resume')
  })

  it('shows shortcuts in tooltips and as aria-keyshortcuts', () => {
    const { Start, Step, Stop, Reset } = buttons('idle')
    expect(Start.attributes('data-tooltip')).toContain('(Space)')
    expect(Step.attributes('aria-keyshortcuts')).toBe('S ArrowRight')
    expect(Stop.attributes('data-tooltip')).toContain('(Esc)')
    expect(Reset.attributes('data-tooltip')).toContain('(R)')
  })

  it('enables only what makes sense', () => {
    const idle = buttons('idle')
    expect(idle.Stop.attributes('disabled')).toBeDefined()
    expect(idle.Step.attributes('disabled')).toBeUndefined()
    const running = buttons('running')
    expect(running.Step.attributes('disabled')).toBeDefined()
    expect(running.Stop.attributes('disabled')).toBeUndefined()
    expect(buttons('paused').Step.attributes('disabled')).toBeUndefined()
    const blocked = buttons('idle', false).Start
    expect(blocked.attributes('aria-disabled')).toBe('true') // focusable, to explain itself
    expect(buttons('starting').Start.attributes('disabled')).toBeDefined()
  })
})

describe('TrainingProgress', () => {
  it('is a progressbar with the batches done as its value', () => {
    const wrapper = mount(TrainingProgress, {
      props: {
        step: 25,
        totalSteps: 100,
        epoch: 1,
        epochs: 2,
        samplesPerSecond: 1600,
        elapsedSeconds: 5,
        etaSeconds: 15
      }
    })
    const bar = wrapper.get('[role="progressbar"]')
    expect(bar.attributes('aria-valuenow')).toBe('25')
    expect(bar.attributes('aria-valuemax')).toBe('100')
    expect(wrapper.text()).toContain('25 / 100')
    expect(wrapper.text()).toContain('1 / 2')
    expect(wrapper.text()).toContain('1.6k')
    expect(wrapper.text()).toContain('0:15')
  })
})
