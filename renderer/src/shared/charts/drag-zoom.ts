// Drag across a chart to zoom into that x range; double-click (or the Reset zoom button) to see it
// whole again. A click that does not drag is handed on (the time-travel cursor goes there). A few pointer handlers over chart.js's own scale, instead of a plugin and its
// dependencies (hammer.js for touch gestures the studio does not need).

import type { Chart } from 'chart.js'

export interface XRange {
  readonly min: number
  readonly max: number
}

/** Fewer pixels than this is a click, not a drag. */
const MIN_DRAG_PX = 6

export interface DragZoomHandlers {
  pointerdown(event: PointerEvent): void
  pointermove(event: PointerEvent): void
  pointerup(event: PointerEvent): void
  dblclick(): void
}

/**
 * Handlers for the chart's canvas. `selection` is told the dragged band in pixels (null when none) so
 * the component can draw it; `zoom` gets the x range to show, or null to show everything; `click`
 * gets the x pixel of a press on the plot that did not drag.
 */
export function dragZoom(
  chart: () => Chart<'line', { x: number; y: number }[]> | null,
  selection: (band: { left: number; width: number } | null) => void,
  zoom: (range: XRange | null) => void,
  click: (px: number) => void = () => undefined
): DragZoomHandlers {
  let startPx: number | null = null
  const clampToPlot = (px: number) => {
    const area = chart()?.chartArea
    return area ? Math.min(area.right, Math.max(area.left, px)) : px
  }
  return {
    pointerdown(event) {
      const area = chart()?.chartArea
      if (event.button !== 0 || !area) return
      if (event.offsetX < area.left || event.offsetX > area.right) return
      startPx = event.offsetX
      ;(event.target as Element).setPointerCapture?.(event.pointerId)
    },
    pointermove(event) {
      if (startPx === null) return
      const end = clampToPlot(event.offsetX)
      selection({ left: Math.min(startPx, end), width: Math.abs(end - startPx) })
    },
    pointerup(event) {
      const current = chart()
      if (startPx === null || !current) return
      const end = clampToPlot(event.offsetX)
      const [a, b] = [Math.min(startPx, end), Math.max(startPx, end)]
      startPx = null
      selection(null)
      if (b - a < MIN_DRAG_PX) return click(end)
      const scale = current.scales.x
      zoom({ min: scale.getValueForPixel(a)!, max: scale.getValueForPixel(b)! })
    },
    dblclick() {
      zoom(null)
    }
  }
}
