// The architecture editor's components in happy-dom: rows as an ordered list, a row's settings, the
// edits they send back as the draft's compact text, and the reason on the offending row.
import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import { PRESETS } from '@core/train/presets'
import { configFromDraft, draftFromConfig } from '@/shared/config/config-form'
import ConfigPanel from '@/train/ConfigPanel.vue'
import ArchitectureEditor from '@/train/architecture/ArchitectureEditor.vue'
import AugmentationStrip from '@/train/architecture/AugmentationStrip.vue'

const LENET_TEXT = 'conv5x5x6, pool2, conv5x5x16valid, pool2, flatten, 120, 84'
const mountEditor = (text = LENET_TEXT) =>
  mount(ArchitectureEditor, {
    props: {
      text,
      activation: 'relu',
      base: PRESETS.lenet.config.architecture,
      needsReset: false
    },
    attachTo: document.body
  })
/** The draft texts the editor sent, in order. */
const sent = (view: ReturnType<typeof mountEditor>) =>
  (view.emitted('change') ?? []).map(([text]) => text)

describe('ArchitectureEditor', () => {
  it('lists the layers in order under "Layers", each with its shape and parameters', () => {
    const view = mountEditor()
    const list = view.get('ol')
    expect(document.getElementById(list.attributes('aria-labelledby') ?? '')?.textContent).toBe(
      'Layers'
    )
    const rows = view.findAll('li').map((li) => li.text().replace(/\s+/g, ' '))
    expect(rows[0]).toBe('conv1 5×5×6 (6, 28, 28) · 156 params')
    expect(rows.at(-1)).toBe('dense3 output (10) · 850 params')
    expect(view.text()).toContain('61\u202f706 params in total')
    view.unmount()
  })

  it("opens a row's settings and sends each edit as the draft's text", async () => {
    const view = mountEditor()
    const conv2 = view.findAll('li')[2]
    await conv2.get('button').trigger('click')
    expect(conv2.get('button').attributes('aria-expanded')).toBe('true')
    const filters = conv2.findAll('label').find((label) => label.text().startsWith('Filters'))!
    await filters.get('input').setValue('32')
    expect(sent(view).at(-1)).toBe('conv5x5x6, pool2, conv5x5x32valid, pool2, flatten, 120, 84')
    // Text the list cannot hold is not sent: the setting says what it needs, and leaving the field
    // puts the value back.
    // NOTE: typed, not set: setValue also fires 'change', which is leaving the field.
    const input = filters.get('input')
    ;(input.element as HTMLInputElement).value = '-4'
    await input.trigger('input')
    expect(sent(view)).toHaveLength(1)
    expect(conv2.get('[role="status"]').text()).toBe('Filters: enter a whole number')
    expect(input.attributes('aria-invalid')).toBe('true')
    await input.trigger('change')
    expect((input.element as HTMLInputElement).value).toBe('16')
    expect(conv2.find('[role="status"]').exists()).toBe(false)
    const padding = conv2.findAll('label').find((label) => label.text().startsWith('Padding'))!
    await padding.get('select').setValue('same')
    expect(sent(view).at(-1)).toBe('conv5x5x6, pool2, conv5x5x16, pool2, flatten, 120, 84')
    view.unmount()
  })

  it('moves and removes layers from the buttons and the keyboard; a needed flatten stays', async () => {
    const view = mountEditor()
    const rows = view.findAll('li')
    await rows[1].get('button').trigger('keydown', { key: 'ArrowDown', altKey: true })
    expect(sent(view).at(-1)).toBe('conv5x5x6, conv5x5x16valid, pool2, pool2, flatten, 120, 84')
    await rows[6].get('button').trigger('keydown', { key: 'Delete' })
    expect(sent(view).at(-1)).toBe('conv5x5x6, pool2, conv5x5x16valid, pool2, flatten, 120')
    await rows[4].get('button').trigger('click') // flatten1
    const remove = rows[4].findAll('button').find((b) => b.text() === 'Remove')!
    expect(remove.attributes('disabled')).toBeDefined()
    expect(rows[4].text()).toContain('Needed: a dense layer reads a flat vector')
    view.unmount()
  })

  it('says when the running run keeps its old layers', () => {
    const view = mount(ArchitectureEditor, {
      props: {
        text: LENET_TEXT,
        activation: 'relu',
        base: PRESETS.lenet.config.architecture,
        needsReset: true
      }
    })
    expect(view.text()).toContain('Needs reset: the running run keeps its old layers.')
    view.unmount()
  })

  it('adds the chosen kind of layer where it fits', async () => {
    const view = mountEditor()
    await view.get('#layer-kind').setValue('conv')
    await view
      .findAll('button')
      .find((b) => b.text() === 'Add layer')!
      .trigger('click')
    expect(sent(view).at(-1)).toBe(
      'conv5x5x6, pool2, conv5x5x16valid, pool2, conv3x3x8, flatten, 120, 84'
    )
    view.unmount()
  })

  it('explains an impossible list on the offending row, tied to it for screen readers', () => {
    const view = mountEditor('conv5x5x6, pool8, conv5x5x16valid, pool2, flatten, 120, 84')
    const conv2 = view.findAll('li')[2]
    const problem = conv2.get('.field-error')
    expect(problem.text()).toBe('a 5×5 filter does not fit its 3×3 input')
    expect(conv2.get('button').attributes('aria-describedby')).toBe(problem.attributes('id'))
    expect(conv2.get('button').attributes('data-problem-of')).toBe('layers')
    expect(view.text()).not.toContain('in total')
    view.unmount()
  })
})

describe('ConfigPanel with the layer list', () => {
  const panel = (layers: string) => {
    const draft = { ...draftFromConfig(PRESETS.seed.config), layers }
    const result = configFromDraft(draft, PRESETS.seed.config)
    return mount(ConfigPanel, {
      props: {
        draft,
        errors: result.ok ? {} : result.errors,
        generalError: null,
        needsReset: new Set<never>(),
        preset: 'seed' as const,
        changes: [],
        summary: ''
      }
    })
  }

  it('shows a problem no row owns under the typed list, opened; a row’s problem only on its row', () => {
    const tooBig = panel('4096, 4096, 4096, 4096, 4096, 4096, 4096')
    const typed = tooBig.get('details')
    expect(typed.attributes('open')).toBeDefined()
    expect(typed.get('.field-error').text()).toMatch(
      /^The model's number of trainable values must be/
    )
    const onRow = panel('pool8, conv5x5x4valid')
    expect(onRow.get('details').attributes('open')).toBeUndefined()
    expect(onRow.get('details').find('.field-error').exists()).toBe(false)
    expect(onRow.get('li .field-error').text()).toBe('a 5×5 filter does not fit its 3×3 input')
  })
})

describe('AugmentationStrip', () => {
  it('shows six samples and "New samples" when augmenting, one plain digit when off', async () => {
    const on = mount(AugmentationStrip, {
      props: { augmentation: { shiftPixels: 2, rotationDegrees: 10, scale: 0.1 }, seed: 1 }
    })
    expect(on.findAll('canvas')).toHaveLength(6)
    expect(on.get('[role="img"]').attributes('aria-label')).toBe(
      '6 augmented versions of a training 5, draw 1'
    )
    await on.get('button').trigger('click')
    expect(on.get('[role="img"]').attributes('aria-label')).toMatch(/draw 2$/)
    const off = mount(AugmentationStrip, {
      props: { augmentation: { shiftPixels: 0, rotationDegrees: 0, scale: 0 }, seed: 1 }
    })
    expect(off.findAll('canvas')).toHaveLength(1)
    expect(off.find('button').exists()).toBe(false)
    expect(off.text()).toContain('Augmentation is off')
  })
})
