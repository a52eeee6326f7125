// A chart's tooltip as plain data: chart.js computes what it would show (title, one line per curve,
// each curve's colour, the hovered point); the page draws it as HTML, placed like every other tooltip
// (inside the window, off the status line) instead of on the canvas, where a short chart clipped it.

import type { TooltipModel } from 'chart.js'

export interface ChartTipRow {
  readonly color: string
  readonly text: string
}

export interface ChartTip {
  /** "step 40" */
  readonly title: string
  /** "Smoothed: 1.577", one per curve near the pointer. */
  readonly rows: readonly ChartTipRow[]
  /** The hovered point, in viewport pixels. */
  readonly x: number
  readonly y: number
}

/** What chart.js's tooltip model says, or null when it is hidden. */
export function chartTip(canvasElement: Element, tooltip: TooltipModel<'line'>): ChartTip | null {
  if (tooltip.opacity === 0 || tooltip.body.length === 0) return null
  const canvas = canvasElement.getBoundingClientRect()
  return {
    title: tooltip.title.join(' '),
    rows: tooltip.body.map((item, i) => ({
      color: String(tooltip.labelColors[i]?.borderColor ?? 'currentColor'),
      text: item.lines.join(' ')
    })),
    x: canvas.left + tooltip.caretX,
    y: canvas.top + tooltip.caretY
  }
}
