// The Classify view's components in happy-dom: accessible names and roles, what each state shows, and
// the window-wide drop and paste wiring. Drawing and decoding need a real canvas: see test/e2e/classify.test.ts.

import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { StudioApi } from '@contract'
import ClassifyCard from '@/classify/ClassifyCard.vue'
import ClassifyPrediction from '@/classify/ClassifyPrediction.vue'
import ClassifyProbabilities from '@/classify/ClassifyProbabilities.vue'
import FileDropOverlay from '@/classify/FileDropOverlay.vue'
import type { ClassifyItem } from '@/classify/classify-item'
import { useOpenFilesStore } from '@/classify/open-files-store'
import ClassifyView from '@/classify/ClassifyView.vue'
import { preprocessDigit } from '@core/vision/index'
import { drawDigit } from '../../helpers/synthetic-digit'

const studio = vi.hoisted(() => ({
  predict: vi.fn(async () => ({ probabilities: [0, 0, 0, 0, 0, 0, 0, 1, 0, 0], predicted: 7 })),
  getModel: vi.fn(async () => null),
  onTrainingEvent: vi.fn(() => () => {})
}))
vi.mock('@/shared/api', () => ({ useStudio: () => studio as unknown as StudioApi }))

let pinia: ReturnType<typeof createPinia>
beforeEach(() => {
  pinia = createPinia()
  setActivePinia(pinia)
  vi.clearAllMocks()
})

const processed = (() => {
  const result = preprocessDigit(
    drawDigit({
      width: 100,
      height: 100,
      box: { x: 25, y: 15, width: 50, height: 70 },
      penWidth: 6
    })
  )
  if (!result.ok) throw new Error(result.message)
  return result
})()

function item(changes: Partial<ClassifyItem> = {}): ClassifyItem {
  return {
    id: 1,
    name: 'seven.png',
    source: 'file',
    stage: 'ready',
    header: { format: 'png', width: 100, height: 100, animated: false },
    preview: { url: 'data:,', width: 100, height: 100 },
    input: processed.input,
    steps: processed.steps,
    problem: null,
    error: null,
    prediction: { probabilities: [0, 0, 0, 0.02, 0, 0, 0, 0.95, 0.03, 0], predicted: 7 },
    predictionError: null,
    predicting: false,
    ...changes
  }
}

describe('ClassifyProbabilities', () => {
  it('is a list of ten bars, each named like "3: 12%"', () => {
    const view = mount(ClassifyProbabilities, {
      props: { probabilities: [0.01, 0, 0, 0.12, 0, 0, 0, 0.87, 0, 0], predicted: 7 }
    })
    const bars = view.findAll('li')
    expect(view.get('ol').attributes('aria-label')).toBe('Probabilities')
    expect(bars.map((b) => b.attributes('aria-label'))).toEqual([
      '0: 1%',
      '1: 0%',
      '2: 0%',
      '3: 12%',
      '4: 0%',
      '5: 0%',
      '6: 0%',
      '7: 87%',
      '8: 0%',
      '9: 0%'
    ])
    expect(bars[7].classes()).toContain('top')
  })
})

describe('ClassifyPrediction', () => {
  it('explains what to do when nothing is selected', () => {
    const view = mount(ClassifyPrediction, { props: { item: null } })
    expect(view.text()).toContain(
      'Draw a digit on the pad, drop image files anywhere on this window'
    )
  })

  it('shows the digit large with its probability, and no hint when the network is sure', () => {
    const view = mount(ClassifyPrediction, { props: { item: item() } })
    expect(view.get('[data-testid="predicted-digit"]').text()).toBe('7')
    expect(view.text()).toContain('probability 95%')
    expect(view.text()).not.toContain('sure') // a probability, not certainty
    expect(view.text()).toContain('add up to 100%, even for a drawing that is no digit')
    expect(view.find('[data-testid="confidence-hint"]').exists()).toBe(false)
    expect(
      view
        .get('[aria-label="What the network sees: 28×28 version of seven.png"]')
        .attributes('role')
    ).toBe('img')
  })

  it('says "not sure — maybe 3 or 5" when the top probability is small', () => {
    const view = mount(ClassifyPrediction, {
      props: {
        item: item({
          prediction: { probabilities: [0, 0, 0, 0.41, 0, 0.37, 0, 0.12, 0.1, 0], predicted: 3 }
        })
      }
    })
    expect(view.get('[data-testid="confidence-hint"]').text()).toContain('Not sure — maybe 3 or 5')
    expect(view.get('[data-testid="confidence-hint"]').text()).toContain('below 50%')
  })

  it('shows a file’s problem as an alert, and the steps on request', async () => {
    const failed = mount(ClassifyPrediction, {
      props: {
        item: item({
          stage: 'failed',
          problem: 'file',
          error: 'SVG drawings are not supported',
          input: null,
          steps: null,
          prediction: null,
          preview: null
        })
      }
    })
    expect(failed.get('[role="alert"]').text()).toContain('SVG drawings are not supported')
    expect(failed.find('input[type="checkbox"]').exists()).toBe(false) // no steps to show

    const view = mount(ClassifyPrediction, {
      props: {
        item: item(),
        showSteps: false,
        'onUpdate:showSteps': (v: boolean) => view.setProps({ showSteps: v })
      }
    })
    expect(view.find('dl').exists()).toBe(false)
    await view.get('input[type="checkbox"]').setValue(true)
    expect(view.get('dl').attributes('aria-label')).toBe('Preprocessing steps')
    expect(view.find('[data-testid="crop-box"]').exists()).toBe(true)
  })
})

describe('ClassifyCard', () => {
  it('is a button named by the file and its result, selected with aria-current, removed with Delete', async () => {
    const view = mount(ClassifyCard, { props: { item: item(), selected: true } })
    const button = view.get('button')
    expect(button.attributes('aria-label')).toBe('seven.png: predicted 7 (probability 95%)')
    expect(button.attributes('aria-current')).toBe('true')
    await button.trigger('keydown', { key: 'Delete' })
    expect(view.emitted('remove')).toHaveLength(1)
    await button.trigger('click')
    expect(view.emitted('select')).toHaveLength(1)
  })

  it('writes a bad file’s message on the card itself', () => {
    const bad = item({
      name: 'empty.png',
      stage: 'failed',
      problem: 'file',
      error: 'The file is empty (0 bytes)',
      input: null,
      steps: null,
      prediction: null,
      preview: null
    })
    const view = mount(ClassifyCard, { props: { item: bad, selected: false } })
    expect(view.text()).toContain('The file is empty (0 bytes)')
    expect(view.get('button').attributes('aria-label')).toBe(
      'empty.png: The file is empty (0 bytes)'
    )
    expect(view.get('button').attributes('aria-current')).toBeUndefined()
  })
})

describe('ClassifyView', () => {
  it('labels its inputs and starts with Undo and Clear disabled', () => {
    const view = mount(ClassifyView, { global: { plugins: [pinia] }, attachTo: document.body })
    expect(view.get('[data-testid="draw-pad"]').attributes('aria-label')).toMatch(
      /^Drawing pad: draw a digit/
    )
    const buttons = Object.fromEntries(view.findAll('button').map((b) => [b.text(), b]))
    expect(buttons['Undo'].attributes('disabled')).toBeDefined()
    expect(buttons['Clear'].attributes('disabled')).toBeDefined()
    expect(buttons['Open images…']).toBeDefined()
    expect(view.text()).toContain('Images you drop, paste or open appear here')
    view.unmount()
  })
})

describe('FileDropOverlay: window-wide drop and paste', () => {
  function transferWith(files: File[]): DataTransfer {
    return { types: ['Files'], files, items: [], dropEffect: 'none' } as unknown as DataTransfer
  }
  function dragEvent(type: string, dataTransfer: DataTransfer): Event {
    const event = new Event(type, { bubbles: true, cancelable: true })
    Object.defineProperty(event, 'dataTransfer', { value: dataTransfer })
    return event
  }

  it('shows the drop target while files are dragged over the window and hands the drop to the store', async () => {
    const view = mount(FileDropOverlay, { global: { plugins: [pinia] }, attachTo: document.body })
    const openFiles = vi.spyOn(useOpenFilesStore(), 'openFiles').mockResolvedValue()
    const file = new File(['x'], 'seven.png')
    const over = dragEvent('dragover', transferWith([file]))
    window.dispatchEvent(over)
    await view.vm.$nextTick()
    expect(over.defaultPrevented).toBe(true) // allows the drop, and the browser never opens the file itself
    expect(view.find('[data-testid="drop-overlay"]').exists()).toBe(true)
    expect(view.text()).toContain('Drop to classify')
    window.dispatchEvent(dragEvent('drop', transferWith([file])))
    await view.vm.$nextTick()
    expect(openFiles).toHaveBeenCalledWith([file])
    expect(view.find('[data-testid="drop-overlay"]').exists()).toBe(false)
    view.unmount()
  })

  it('ignores drags of text, and pastes outside text fields only', async () => {
    const view = mount(FileDropOverlay, { global: { plugins: [pinia] }, attachTo: document.body })
    const openFiles = vi.spyOn(useOpenFilesStore(), 'openFiles').mockResolvedValue()
    const textDrag = dragEvent('dragover', {
      types: ['text/plain'],
      files: []
    } as unknown as DataTransfer)
    window.dispatchEvent(textDrag)
    expect(textDrag.defaultPrevented).toBe(false)

    const file = new File(['x'], 'image.png', { type: 'image/png' })
    const paste = (target: EventTarget): Event => {
      const event = new Event('paste', { bubbles: true, cancelable: true })
      Object.defineProperty(event, 'clipboardData', { value: { files: [file], items: [] } })
      target.dispatchEvent(event)
      return event
    }
    const input = document.createElement('input')
    document.body.append(input)
    paste(input)
    expect(openFiles).not.toHaveBeenCalled()
    expect(paste(document.body).defaultPrevented).toBe(true)
    expect(openFiles).toHaveBeenCalledWith([{ file, name: 'Pasted image' }], 'paste')
    input.remove()
    view.unmount()
  })
})
