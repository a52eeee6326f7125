// The time-travel cursor on a chart: a step of the run, drawn as a vertical line with a grab handle at
// the chart's x for that step, whatever the x axis's unit. Pure data and arithmetic: ChartCursor.vue
// draws it, MetricChart reports where its plot is.
//
// NOTE: the cursor is always a step (what the worker replays to); only its position on the axis uses
// the unit, x = step · unitsPerStep, so an axis in epochs or samples never rounds the step it names.

import type { Chart, Plugin } from 'chart.js'
import { formatCount, trimZeros } from '@/shared/format'

/** The cursor as a chart shows it. */
export interface StepCursor {
  /** The step it is on: the last trained step while live. */
  readonly step: number
  /** The last step trained: the cursor goes from step 0 to here. */
  readonly lastStep: number
  /** x units per step: 1 on a step axis, 1/stepsPerEpoch on an epoch axis, batchSize on samples. */
  readonly unitsPerStep: number
  /** Not scrubbing: the handle rides the newest step. */
  readonly live: boolean
}

/** The band above a plot that holds the cursor's handle (18 px high, 2 px from the plot). */
export const CURSOR_BAND_PX = 22

/** Where a chart draws its plot, in CSS pixels of its canvas, and the x values at its two ends. */
export interface PlotBox {
  readonly left: number
  readonly right: number
  readonly top: number
  readonly bottom: number
  readonly xMin: number
  readonly xMax: number
}

/** A plugin that tells `report` where the plot is after each draw (a zoom, a resize, new points). */
export function plotBoxPlugin(report: (box: PlotBox) => void): Plugin<'line'> {
  return {
    id: 'studioPlotBox',
    afterDraw(chart: Chart<'line'>) {
      const { chartArea, scales } = chart
      report({
        left: chartArea.left,
        right: chartArea.right,
        top: chartArea.top,
        bottom: chartArea.bottom,
        xMin: scales.x.min,
        xMax: scales.x.max
      })
    }
  }
}

export function samePlotBox(a: PlotBox | null, b: PlotBox): boolean {
  return (
    a !== null &&
    a.left === b.left &&
    a.right === b.right &&
    a.top === b.top &&
    a.bottom === b.bottom &&
    a.xMin === b.xMin &&
    a.xMax === b.xMax
  )
}

/**
 * The cursor's pixel on the plot: px = left + (x − xMin) / (xMax − xMin) · (right − left), with
 * x = step · unitsPerStep, held to the plot's edges. `outside`: the step is off a zoomed plot.
 */
export function cursorPixel(cursor: StepCursor, box: PlotBox): { px: number; outside: boolean } {
  const x = cursor.step * cursor.unitsPerStep
  const span = box.xMax - box.xMin
  const px = span > 0 ? box.left + ((x - box.xMin) / span) * (box.right - box.left) : box.left
  const clamped = Math.min(box.right, Math.max(box.left, px))
  return { px: clamped, outside: Math.abs(clamped - px) > 0.5 }
}

/** The step under pixel `px` of the plot: the inverse of cursorPixel, rounded and kept in the run. */
export function stepAtPixel(px: number, cursor: StepCursor, box: PlotBox): number {
  const width = box.right - box.left
  const x = box.xMin + (width > 0 ? (px - box.left) / width : 0) * (box.xMax - box.xMin)
  const step = Math.round(x / cursor.unitsPerStep)
  return Math.min(cursor.lastStep, Math.max(0, step))
}

/** Steps a Shift+arrow (or Page Up/Down) moves the cursor. */
export const BIG_CURSOR_STEP = 10

/**
 * The step a key moves the cursor to, or null for a key it leaves alone: ←/→ one step (Shift: ten),
 * Page Down/Page Up ten, Home the first step, End the last, always within 0 … lastStep.
 */
export function stepForKey(
  key: string,
  shift: boolean,
  cursor: Pick<StepCursor, 'step' | 'lastStep'>
): number | null {
  const by = shift ? BIG_CURSOR_STEP : 1
  const moves: Record<string, number> = {
    ArrowLeft: cursor.step - by,
    ArrowDown: cursor.step - by,
    ArrowRight: cursor.step + by,
    ArrowUp: cursor.step + by,
    PageDown: cursor.step - BIG_CURSOR_STEP,
    PageUp: cursor.step + BIG_CURSOR_STEP,
    Home: 0,
    End: cursor.lastStep
  }
  return key in moves ? Math.min(cursor.lastStep, Math.max(0, moves[key])) : null
}

/**
 * The handle's text: "step 5", "live · step 100"; on an epoch or sample axis the axis's own value
 * follows in brackets ("step 250 (epoch 1.33)", "step 5 (sample 160)"), to find it on the axis.
 */
export function cursorLabel(cursor: StepCursor, xTitle: string): string {
  const x = cursor.step * cursor.unitsPerStep
  const onAxis = xTitle === 'epoch' ? trimZeros(x.toFixed(2)) : formatCount(x)
  const axis = xTitle === 'step' ? '' : ` (${xTitle} ${onAxis})`
  return `${cursor.live ? 'live · ' : ''}step ${formatCount(cursor.step)}${axis}`
}

/** The chart tooltip's last line: how the pointer acts on this chart. */
export function pointerHint(zoomed: boolean, hasCursor: boolean): string {
  const zoom = zoomed ? 'Double-click to see it whole' : 'Drag across to zoom in'
  return hasCursor ? `${zoom}; click to travel to this step` : zoom
}
