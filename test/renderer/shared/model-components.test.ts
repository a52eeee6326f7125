// The model bar and the header's Model menu: names, the file input, errors, keyboard.
import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import type { ModelSummary } from '@contract'
import { PRESETS } from '@core/train/presets'
import ModelBar from '@/evaluate/ModelBar.vue'
import ModelMenu from '@/app/ModelMenu.vue'

const LOADED: ModelSummary = {
  source: 'loaded',
  architecture: PRESETS.seed.config.architecture,
  trainingConfig: PRESETS.seed.config,
  metrics: { testAccuracy: 0.9123, steps: 600 },
  step: 600,
  fileName: 'digits.json'
}
const barProps = { model: LOADED, task: 'idle' as const, error: null, notice: null }

function chooseFile(input: HTMLInputElement, file: File): void {
  Object.defineProperty(input, 'files', { value: [file], configurable: true })
  input.dispatchEvent(new Event('change'))
}

describe('ModelBar', () => {
  it('summarises the loaded model: architecture, test accuracy and file name', () => {
    const view = mount(ModelBar, { props: barProps })
    expect(view.text()).toContain('Loaded from digits.json')
    expect(view.text()).toContain('784 → 10 ReLU → 10')
    expect(view.text()).toContain('91.23%')
    expect(view.text()).toContain('600 steps')
  })

  it('saves, exports, and loads the file chosen in the file input', async () => {
    const view = mount(ModelBar, { props: barProps })
    const buttons = Object.fromEntries(view.findAll('button').map((b) => [b.text(), b]))
    await buttons['Save model'].trigger('click')
    await buttons['Export .npz'].trigger('click')
    const file = new File(['{}'], 'other.json')
    chooseFile(view.get('input[type="file"]').element as HTMLInputElement, file)
    expect(view.emitted('save')).toHaveLength(1)
    expect(view.emitted('exportNpz')).toHaveLength(1)
    expect(view.emitted('load')).toEqual([[file]])
  })

  it('shows a bad file’s explanation as an alert, and nothing to save without a model', async () => {
    const view = mount(ModelBar, {
      props: { ...barProps, model: null, error: 'broken.json: the model file is not valid JSON' }
    })
    expect(view.get('[role="alert"]').text()).toContain('not valid JSON')
    const save = view.findAll('button').find((b) => b.text() === 'Save model')!
    expect(save.attributes('disabled')).toBeDefined()
    await view.get('[aria-label="Dismiss message"]').trigger('click')
    expect(view.emitted('dismiss')).toHaveLength(1)
  })
})

describe('ModelMenu', () => {
  it('is a menu button whose items are reachable with the arrow keys and closed with Escape', async () => {
    const view = mount(ModelMenu, {
      props: { model: LOADED, task: 'idle', error: null },
      attachTo: document.body
    })
    const toggle = view.get('button[aria-haspopup="menu"]')
    expect(toggle.text()).toBe('Model')
    expect(toggle.attributes('aria-expanded')).toBe('false')
    await toggle.trigger('click')
    expect(toggle.attributes('aria-expanded')).toBe('true')
    const items = view.findAll('[role="menuitem"]')
    expect(items.map((i) => i.text())).toEqual([
      'Save model…',
      'Load model…',
      'Export weights as .npz…',
      'Export as ONNX…'
    ])
    expect(document.activeElement).toBe(items[0].element)
    await view.get('[role="menu"]').trigger('keydown', { key: 'ArrowDown' })
    expect(document.activeElement).toBe(items[1].element)
    await view.get('[role="menu"]').trigger('keydown', { key: 'Escape' })
    expect(toggle.attributes('aria-expanded')).toBe('false')
    expect(document.activeElement).toBe(toggle.element)
    view.unmount()
  })

  it('keeps its keys from reaching the window (the training shortcuts)', async () => {
    const view = mount(ModelMenu, {
      props: { model: LOADED, task: 'idle', error: null },
      attachTo: document.body
    })
    const seen: string[] = []
    const listener = (event: KeyboardEvent) => seen.push(event.key)
    window.addEventListener('keydown', listener)
    await view.get('button[aria-haspopup="menu"]').trigger('click')
    await view.get('[role="menu"]').trigger('keydown', { key: 's' })
    await view.get('[role="menu"]').trigger('keydown', { key: 'Escape' })
    window.removeEventListener('keydown', listener)
    expect(seen).toEqual([])
    view.unmount()
  })

  it('shows an error only for an action started from the menu', async () => {
    const view = mount(ModelMenu, {
      props: { model: LOADED, task: 'idle', error: null },
      attachTo: document.body
    })
    await view.setProps({ error: 'a drop elsewhere failed' })
    expect(view.find('[role="alert"]').exists()).toBe(false)
    await view.get('button[aria-haspopup="menu"]').trigger('click')
    await view.findAll('[role="menuitem"]')[0].trigger('click')
    expect(view.emitted('save')).toHaveLength(1)
    await view.get('button[aria-haspopup="menu"]').trigger('click')
    await view.findAll('[role="menuitem"]')[3].trigger('click')
    expect(view.emitted('exportOnnx')).toHaveLength(1)
    await view.setProps({ error: 'no model yet' })
    expect(view.get('[role="alert"]').text()).toContain('no model yet')
    await view.get('[aria-label="Dismiss model message"]').trigger('click')
    expect(view.emitted('dismiss')).toHaveLength(1)
    view.unmount()
  })
})
