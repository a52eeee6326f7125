// The confusion matrix as presented: cell names, the two colour scales, per-class accuracy, and the
// table of buttons (headers, click, arrow keys), from hand-made counts.
import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import ConfusionMatrix from '@/evaluate/ConfusionMatrix.vue'
import EvaluateClassAccuracy from '@/evaluate/EvaluateClassAccuracy.vue'
import {
  cellLabel,
  classAccuracies,
  confusionCells,
  LIGHT_TEXT_FROM_SHADE,
  worstConfusion
} from '@/evaluate/confusion'

// 3 classes: class 0 has 10 images (8 right, 2 read as 2), class 1 has 4 (all right), class 2 has none.
const CONFUSION = [
  [8, 0, 2],
  [0, 4, 0],
  [0, 0, 0]
]
const COUNTS = [10, 4, 0]

describe('confusionCells', () => {
  const cells = confusionCells(CONFUSION, COUNTS)

  it('names every cell by true class, prediction and count', () => {
    expect(cells[0][2].label).toBe('true 0, predicted 2: 2 images')
    expect(cells[1][1].label).toBe('true 1, predicted 1: 4 images')
    expect(cellLabel(3, 5, 1)).toBe('true 3, predicted 5: 1 image')
    expect(cells.flat().map((c) => c.count)).toEqual(CONFUSION.flat())
  })

  it('shades the diagonal by the share of the class classified correctly', () => {
    expect(cells[0][0]).toMatchObject({ kind: 'correct', rowFraction: 0.8, shade: 0.8 })
    expect(cells[1][1]).toMatchObject({ kind: 'correct', rowFraction: 1, shade: 1 })
    expect(cells[2][2]).toMatchObject({ kind: 'correct', rowFraction: 0, shade: 0 }) // a class with no images
  })

  it('shades mistakes on their own scale: the worst confusion is full, a count of zero is blank', () => {
    expect(cells[0][2]).toMatchObject({ kind: 'mistake', shade: 1, rowFraction: 0.2 })
    expect(cells[0][1]).toMatchObject({ kind: 'mistake', shade: 0 })
    // √ scale: a mistake a quarter as frequent as the worst is still half as dark.
    const quarter = confusionCells(
      [
        [0, 1, 4],
        [0, 0, 0],
        [0, 0, 0]
      ],
      [5, 0, 0]
    )
    expect(quarter[0][1].shade).toBeCloseTo(0.5)
    expect(quarter[0][1].shade).toBeLessThan(LIGHT_TEXT_FROM_SHADE)
    expect(quarter[0][2].shade).toBeGreaterThanOrEqual(LIGHT_TEXT_FROM_SHADE)
  })

  it('has no mistakes to scale when every prediction is right', () => {
    const perfect = confusionCells(
      [
        [3, 0],
        [0, 2]
      ],
      [3, 2]
    )
    expect(perfect.flat().every((c) => Number.isFinite(c.shade))).toBe(true)
    expect(perfect[0][1].shade).toBe(0)
  })
})

describe('per-class accuracy and the worst confusion', () => {
  it('reads correct / count per class, and says when a class has no images', () => {
    const rows = classAccuracies(CONFUSION, COUNTS)
    expect(rows.map((r) => r.accuracy)).toEqual([0.8, 1, null])
    expect(rows[0].label).toBe('digit 0: 80.0% correct (8 of 10)')
    expect(rows[2].label).toBe('digit 2: no test images')
  })

  it('finds the most frequent mistake, and none for a perfect matrix', () => {
    expect(worstConfusion(CONFUSION)).toEqual({ trueClass: 0, predicted: 2, count: 2 })
    expect(
      worstConfusion([
        [3, 0],
        [0, 2]
      ])
    ).toBeNull()
  })
})

describe('ConfusionMatrix', () => {
  const mountMatrix = (selected: { trueClass: number; predicted: number } | null = null) =>
    mount(ConfusionMatrix, {
      props: { confusion: CONFUSION, classCounts: COUNTS, selected },
      attachTo: document.body
    })

  it('is a table with "true" and "predicted" headers and a named button per cell', () => {
    const view = mountMatrix()
    const headers = view.findAll('th').map((th) => th.text())
    expect(headers).toContain('true')
    expect(headers).toContain('predicted')
    expect(view.findAll('th[scope="row"]').map((th) => th.text())).toEqual(['0', '1', '2'])
    const buttons = view.findAll('button.cell')
    expect(buttons).toHaveLength(9)
    expect(buttons[2].attributes('aria-label')).toBe('true 0, predicted 2: 2 images')
    expect(buttons[2].text()).toBe('2')
    expect(buttons[2].classes()).toContain('mistake')
    expect(buttons[2].attributes('style')).toContain('--shade: 1.000')
    view.unmount()
  })

  it('emits the cell clicked and marks the selected one', async () => {
    const view = mountMatrix({ trueClass: 1, predicted: 1 })
    await view.get('[aria-label="true 0, predicted 2: 2 images"]').trigger('click')
    expect(view.emitted('select')).toEqual([[{ trueClass: 0, predicted: 2 }]])
    expect(
      view.get('[aria-label="true 1, predicted 1: 4 images"]').attributes('aria-pressed')
    ).toBe('true')
    view.unmount()
  })

  it('keeps one cell in the tab order and moves it with the arrow keys', async () => {
    const view = mountMatrix()
    expect(view.findAll('button.cell[tabindex="0"]')).toHaveLength(1)
    await view.get('[data-cell="0-0"]').trigger('keydown', { key: 'ArrowRight' })
    await view.get('[data-cell="0-1"]').trigger('keydown', { key: 'ArrowDown' })
    expect(view.get('[data-cell="1-1"]').attributes('tabindex')).toBe('0')
    expect(document.activeElement).toBe(view.get('[data-cell="1-1"]').element)
    await view.get('[data-cell="1-1"]').trigger('keydown', { key: 'End' })
    expect(view.get('[data-cell="1-2"]').attributes('tabindex')).toBe('0')
    view.unmount()
  })
})

describe('EvaluateClassAccuracy', () => {
  it('names each bar with its class accuracy', () => {
    const view = mount(EvaluateClassAccuracy, {
      props: { confusion: CONFUSION, classCounts: COUNTS }
    })
    const items = view.findAll('li')
    expect(items.map((li) => li.attributes('aria-label'))).toEqual([
      'digit 0: 80.0% correct (8 of 10)',
      'digit 1: 100.0% correct (4 of 4)',
      'digit 2: no test images'
    ])
    expect(items[0].get('.bar').attributes('style')).toContain('width: 80%')
    expect(items[0].classes()).toContain('worst')
  })
})
