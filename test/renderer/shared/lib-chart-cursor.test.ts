// The time-travel cursor on a chart: the step ↔ pixel mapping on every x unit and a zoomed plot, its
// keys, its label, and the chart's pointer hint. The handle itself: keys and drags emit steps.
import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import {
  cursorLabel,
  cursorPixel,
  pointerHint,
  stepAtPixel,
  stepForKey,
  type PlotBox,
  type StepCursor
} from '@/shared/charts/chart-cursor'
import ChartCursor from '@/shared/charts/ChartCursor.vue'

/** A plot 400 px wide from x = 40, showing x 0 … 100. */
const PLOT: PlotBox = { left: 40, right: 440, top: 10, bottom: 210, xMin: 0, xMax: 100 }
const at = (step: number, more: Partial<StepCursor> = {}): StepCursor => ({
  step,
  lastStep: 100,
  unitsPerStep: 1,
  live: false,
  ...more
})

describe('cursorPixel and stepAtPixel', () => {
  it('place step s at x = s on a step axis, and read it back', () => {
    expect(cursorPixel(at(25), PLOT)).toEqual({ px: 140, outside: false })
    expect(stepAtPixel(140, at(0), PLOT)).toBe(25)
    expect(stepAtPixel(141.9, at(0), PLOT)).toBe(25) // rounded to the nearest step
  })

  it('place a step by the axis’s unit: an epoch axis of 50 steps an epoch names the same step', () => {
    const epochs = { ...PLOT, xMax: 2 } // 100 steps = 2 epochs
    const cursor = at(25, { unitsPerStep: 1 / 50 })
    expect(cursorPixel(cursor, epochs).px).toBeCloseTo(140, 9)
    expect(stepAtPixel(140, cursor, epochs)).toBe(25) // never rounded to a whole epoch
    const samples = { ...PLOT, xMax: 3200 }
    expect(stepAtPixel(140, at(0, { unitsPerStep: 32 }), samples)).toBe(25)
  })

  it('on a zoomed plot, hold a step outside it at the edge and say so', () => {
    const zoomed = { ...PLOT, xMin: 50, xMax: 100 }
    expect(cursorPixel(at(75), zoomed)).toEqual({ px: 240, outside: false })
    expect(cursorPixel(at(10), zoomed)).toEqual({ px: 40, outside: true })
    expect(stepAtPixel(240, at(0), zoomed)).toBe(75)
  })

  it('keep a pointer beyond the plot within the run’s steps', () => {
    expect(stepAtPixel(-500, at(3, { lastStep: 60 }), PLOT)).toBe(0)
    expect(stepAtPixel(440, at(3, { lastStep: 60 }), PLOT)).toBe(60) // the axis goes on to 100
  })
})

describe('stepForKey', () => {
  it('moves one step with the arrows, ten with Shift or Page Up/Down, to the ends with Home/End', () => {
    const cursor = { step: 50, lastStep: 100 }
    expect(stepForKey('ArrowLeft', false, cursor)).toBe(49)
    expect(stepForKey('ArrowRight', false, cursor)).toBe(51)
    expect(stepForKey('ArrowRight', true, cursor)).toBe(60)
    expect(stepForKey('PageDown', false, cursor)).toBe(40)
    expect(stepForKey('Home', false, cursor)).toBe(0)
    expect(stepForKey('End', false, cursor)).toBe(100)
    expect(stepForKey('a', false, cursor)).toBeNull()
  })

  it('stays within the run', () => {
    expect(stepForKey('ArrowLeft', true, { step: 4, lastStep: 100 })).toBe(0)
    expect(stepForKey('PageUp', false, { step: 95, lastStep: 100 })).toBe(100)
  })
})

describe('cursorLabel and pointerHint', () => {
  it('names the step, and the axis’s value when the axis is not in steps', () => {
    expect(cursorLabel(at(5), 'step')).toBe('step 5')
    expect(cursorLabel(at(100, { live: true }), 'step')).toBe('live · step 100')
    expect(cursorLabel(at(250, { lastStep: 300, unitsPerStep: 1 / 187.5 }), 'epoch')).toBe(
      'step 250 (epoch 1.33)'
    )
    expect(cursorLabel(at(5, { unitsPerStep: 32 }), 'sample')).toBe('step 5 (sample 160)')
  })

  it('says what a click and a drag do on a chart with a cursor, and on one without', () => {
    expect(pointerHint(false, true)).toBe('Drag across to zoom in; click to travel to this step')
    expect(pointerHint(true, true)).toBe(
      'Double-click to see it whole; click to travel to this step'
    )
    expect(pointerHint(false, false)).toBe('Drag across to zoom in')
  })
})

describe('ChartCursor', () => {
  const mountAt = (cursor: StepCursor) =>
    mount(ChartCursor, {
      props: { cursor, plot: PLOT, xTitle: 'step', chartLabel: 'Loss chart' },
      attachTo: document.body
    })

  it('is a slider named after its chart, with the step as its value', () => {
    const view = mountAt(at(30))
    const handle = view.get('[role="slider"]')
    expect(handle.attributes('aria-label')).toBe('Time travel cursor on the Loss chart')
    expect(handle.attributes('aria-valuenow')).toBe('30')
    expect(handle.attributes('aria-valuemax')).toBe('100')
    expect(handle.attributes('aria-valuetext')).toBe('step 30')
    expect(handle.text()).toContain('step 30')
    expect(view.get('.chart-cursor').attributes('style')).toContain('left: 160px')
    view.unmount()
  })

  it('moves by its keys, and Esc goes back to live (not the Train view’s Stop)', async () => {
    const view = mountAt(at(30))
    const handle = view.get('[role="slider"]')
    await handle.trigger('keydown', { key: 'ArrowLeft' })
    await handle.trigger('keydown', { key: 'ArrowRight', shiftKey: true })
    await handle.trigger('keydown', { key: 'End' })
    await handle.trigger('keydown', { key: 'Escape' })
    await handle.trigger('keydown', { key: 'x' })
    expect(view.emitted('move')).toEqual([[29], [40], [100], [null]])
    view.unmount()
  })
})
