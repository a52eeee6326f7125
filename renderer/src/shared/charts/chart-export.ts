// Saving a chart as a PNG image: the canvas on the panel's background (a chart.js canvas is
// transparent, which reads badly in an image viewer), named after the chart's title.

import { saveFile } from '@/shared/download'

/** "Loss" → "backprop-studio-loss.png"; "Accuracy (runs)" → "backprop-studio-accuracy-runs.png". */
export function pngFileName(title: string): string {
  const slug = title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
  return `backprop-studio-${slug || 'chart'}.png`
}

/** Offers the canvas as a PNG download, drawn over `background`. */
export function saveCanvasPng(canvas: HTMLCanvasElement, title: string, background: string): void {
  const copy = document.createElement('canvas')
  copy.width = canvas.width
  copy.height = canvas.height
  const ctx = copy.getContext('2d')
  if (!ctx) return
  ctx.fillStyle = background
  ctx.fillRect(0, 0, copy.width, copy.height)
  ctx.drawImage(canvas, 0, 0)
  copy.toBlob((blob) => {
    if (blob) saveFile(blob, pngFileName(title))
  }, 'image/png')
}
