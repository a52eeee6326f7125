// Vertical marks on a chart at given x values, e.g. "loss exploded" at the step a run diverged: a
// dashed line across the plot and its label at the top. A chart.js plugin, registered per chart.

import type { Chart, Plugin } from 'chart.js'

export interface ChartMarker {
  /** In the chart's x unit. */
  readonly x: number
  readonly label: string
}

/** A plugin that draws `markers()` after the datasets, in `color()`. */
export function markerPlugin(
  markers: () => readonly ChartMarker[],
  color: () => string
): Plugin<'line'> {
  return {
    id: 'studioMarkers',
    afterDatasetsDraw(chart: Chart<'line'>) {
      const { ctx, chartArea, scales } = chart
      const x = scales.x
      for (const marker of markers()) {
        const px = x.getPixelForValue(marker.x)
        if (px < chartArea.left - 0.5 || px > chartArea.right + 0.5) continue
        ctx.save()
        ctx.strokeStyle = color()
        ctx.fillStyle = color()
        ctx.lineWidth = 1.5
        ctx.setLineDash([5, 4])
        ctx.beginPath()
        ctx.moveTo(px, chartArea.top)
        ctx.lineTo(px, chartArea.bottom)
        ctx.stroke()
        ctx.font = '600 11px system-ui, sans-serif'
        // Written on the side with room: left of the line when it is near the right edge.
        const width = ctx.measureText(marker.label).width
        const right = px + 6 + width <= chartArea.right
        ctx.textAlign = right ? 'left' : 'right'
        ctx.fillText(marker.label, right ? px + 5 : px - 5, chartArea.top + 12)
        ctx.restore()
      }
    }
  }
}
