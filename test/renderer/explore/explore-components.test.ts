// The scalar graph section mounted in happy-dom: labelled inputs, the graph stepped with the arrow keys
// (without the keys reaching the Train view's window-wide shortcuts), and the notes' numbers on screen.
import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { StudioApi } from '@contract'
import ScalarGraphSection from '@/explore/scalar-graph/ScalarGraphSection.vue'
import ExploreNumberField from '@/explore/ExploreNumberField.vue'

vi.mock('@/shared/api', () => ({ useStudio: () => ({}) as StudioApi }))

let pinia: ReturnType<typeof createPinia>
beforeEach(() => {
  pinia = createPinia()
  setActivePinia(pinia)
})

const mountSection = () =>
  mount(ScalarGraphSection, {
    global: { plugins: [pinia], stubs: { MetricChart: true } },
    attachTo: document.body
  })

describe('ScalarGraphSection', () => {
  it('labels every input, and names the graph and its controls', () => {
    const view = mountSection()
    for (const input of view.findAll('input[type="text"]')) {
      expect(view.find(`label[for="${input.attributes('id')}"]`).exists(), input.html()).toBe(true)
    }
    const labels = view.findAll('label').map((l) => l.text())
    for (const name of ['x', 'w', 'b', 'y', 'Learning rate', 'Iterations'])
      expect(labels).toContain(name)
    expect(
      view.get('svg[aria-roledescription="computation graph"]').attributes('aria-label')
    ).toContain('L = (y − (x·w + b))²')
    for (const name of ['Previous step', 'Next step', 'Rewind'])
      expect(view.find(`button[aria-label="${name}"]`).exists()).toBe(true)
    view.unmount()
  })

  it('steps with → on the focused graph, keeping the key from window-wide shortcuts', async () => {
    const view = mountSection()
    const onWindowKey = vi.fn()
    window.addEventListener('keydown', onWindowKey)
    const graph = view.get('svg[aria-roledescription="computation graph"]')
    for (let i = 0; i < 10; i++) await graph.trigger('keydown', { key: 'ArrowRight' }) // 8 forward + 2 backward
    expect(onWindowKey).not.toHaveBeenCalled()
    window.removeEventListener('keydown', onWindowKey)
    const text = (label: string, row: 'data' | 'grad') =>
      view.get(`[data-node="${label}"] .${row}`).text()
    expect(text('z3', 'data')).toBe('1.27')
    expect(text('z3', 'grad')).toBe('2.54')
    expect(text('z2', 'grad')).toBe('−2.54')
    expect(text('w', 'grad')).toBe('—')
    expect(view.text()).toContain('dL/dz2 = dL/dz3 · dz3/dz2 = 2.54 · (−1) = −2.54')
    expect(view.text()).toContain('Backward · step 2 of 4')
    await graph.trigger('keydown', { key: 'End' })
    expect(text('w', 'grad')).toBe('−5.08')
    await graph.trigger('keydown', { key: 'Home' })
    expect(text('L', 'data')).toBe('?')
    view.unmount()
  })

  it('applies an update from the button and shows the new value of w', async () => {
    const view = mountSection()
    // Before the backward pass the gradients read "–" on the graph, so the update does not show numbers yet.
    expect(view.text()).not.toContain('w ← 2')
    expect(view.text()).toContain('run the backward pass to see these numbers')
    await view
      .findAll('button')
      .find((b) => b.text() === 'Backward pass')!
      .trigger('click')
    expect(view.text()).toContain('w ← 2 − 0.01 · (−5.08) = 2.0508')
    await view
      .findAll('button')
      .find((b) => b.text() === 'Apply update')!
      .trigger('click')
    expect((view.get('#scalar-input-w').element as HTMLInputElement).value).toBe('2.0508')
    view.unmount()
  })
})

describe('GradientCheckSection', () => {
  it('keeps the index inside the chosen parameter, and says its range', async () => {
    const { default: GradientCheckSection } =
      await import('@/explore/gradient-check/GradientCheckSection.vue')
    const { useModelStore } = await import('@/shared/model/model-store')
    const { PRESETS } = await import('@core/index')
    useModelStore().current = {
      source: 'reset',
      architecture: PRESETS.seed.config.architecture,
      trainingConfig: null,
      metrics: {},
      step: 0,
      fileName: null
    }
    const view = mount(GradientCheckSection, {
      global: { plugins: [pinia] },
      attachTo: document.body
    })
    const index = view.get('#gradcheck-index')
    expect(index.attributes('title')).toBe(
      'unit 0, pixel (0, 0) · dense1.weight has 7840 values: 0 to 7839'
    )
    await index.setValue('7839')
    expect(index.attributes('aria-invalid')).toBe('false')
    expect(index.attributes('title')).toMatch(/^unit 9, pixel \(27, 27\) · /) // where it sits, not a flat index
    await index.setValue('7840') // one past the end: refused where it is typed, not by the host
    expect(index.attributes('aria-invalid')).toBe('true')
    view.unmount()
  })
})

describe('ExploreNumberField', () => {
  it('writes every minus sign as a real one, and reads back what it wrote', async () => {
    const field = mount(ExploreNumberField, { props: { id: 'w', label: 'w', value: -1.5e-7 } })
    const input = field.get('input')
    expect(input.element.value).toBe('−1.5e−7') // was "−1.5e-7": the exponent's minus a hyphen
    await input.setValue('−2.5e−7') // as written, typed back: both minus signs read as minus
    expect(field.emitted('update')).toEqual([[-2.5e-7]])
    expect(input.attributes('aria-invalid')).toBe('false')
  })
})
