// Saving a chart as a PNG image: the chart's title and legend above the canvas, on the panel's
// background (a chart.js canvas is transparent, which reads badly in an image viewer), named after
// the chart's title. NOTE: the title and legend are HTML on the page, outside the canvas; without
// them a saved Runs overlay could not say which colour is which run.

import { saveFile } from '@/shared/download'

/** "Loss" → "backprop-studio-loss.png"; "Accuracy (runs)" → "backprop-studio-accuracy-runs.png". */
export function pngFileName(title: string): string {
  const slug = title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
  return `backprop-studio-${slug || 'chart'}.png`
}

/** One legend entry: a curve (a short line) or test points (a dot), in its colour. */
export interface LegendEntry {
  readonly label: string
  readonly color: string
  readonly dot: boolean
}

export interface PngColors {
  readonly background: string
  readonly text: string
  readonly muted: string
}

/** CSS pixels: the header's padding, line heights and the legend swatch. */
const PAD = 10
const TITLE_LINE = 20
const LEGEND_LINE = 17
const SWATCH = 16
const GAP = 14

interface Placed {
  readonly entry: LegendEntry
  readonly x: number
  readonly row: number
  /** The label's lines: one, or a long run name wrapped at spaces. */
  readonly lines: readonly string[]
}

/** `text` in lines no wider than `width` (a word wider than that stays whole on its line). */
function wrap(ctx: CanvasRenderingContext2D, text: string, width: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(' ')) {
    const longer = line ? `${line} ${word}` : word
    if (line && ctx.measureText(longer).width > width) {
      lines.push(line)
      line = word
    } else line = longer
  }
  return [...lines, line]
}

/**
 * Legend entries laid out left to right, wrapping at `width` (CSS pixels), as the page's legend
 * does: a label too long for a row of its own wraps over several rows, never cut off.
 */
function layoutLegend(
  ctx: CanvasRenderingContext2D,
  legend: readonly LegendEntry[],
  width: number
): Placed[] {
  const placed: Placed[] = []
  const textWidth = width - 2 * PAD - SWATCH - 5
  let x = PAD
  let row = 0
  for (const entry of legend) {
    const lines = wrap(ctx, entry.label, textWidth)
    const size = SWATCH + 5 + Math.max(...lines.map((line) => ctx.measureText(line).width))
    if (x > PAD && (lines.length > 1 || x + size > width - PAD)) {
      x = PAD
      row++
    }
    placed.push({ entry, x, row, lines })
    row += lines.length - 1
    x = lines.length > 1 ? width : x + size + GAP // after a wrapped label, the next starts a row
  }
  return placed
}

/** Offers the canvas as a PNG download, with `title` and `legend` drawn above it. */
export function saveCanvasPng(
  canvas: HTMLCanvasElement,
  title: string,
  legend: readonly LegendEntry[],
  colors: PngColors
): void {
  // The canvas is in device pixels; the header is laid out in CSS pixels and scaled the same way.
  const scale = canvas.width / Math.max(1, canvas.clientWidth || canvas.width)
  const width = canvas.width / scale
  const copy = document.createElement('canvas')
  const ctx = copy.getContext('2d')
  if (!ctx) return
  const legendFont = '12px system-ui, sans-serif'
  ctx.font = legendFont
  const placed = layoutLegend(ctx, legend, width)
  const last = placed.at(-1)
  const rows = last ? last.row + last.lines.length : 0
  const header = PAD + TITLE_LINE + rows * LEGEND_LINE + PAD / 2
  copy.width = canvas.width
  copy.height = canvas.height + Math.ceil(header * scale)

  ctx.fillStyle = colors.background
  ctx.fillRect(0, 0, copy.width, copy.height)
  ctx.save()
  ctx.scale(scale, scale)
  ctx.textBaseline = 'middle'
  ctx.fillStyle = colors.text
  ctx.font = '600 14px system-ui, sans-serif'
  ctx.fillText(title, PAD, PAD + TITLE_LINE / 2)
  ctx.font = legendFont
  for (const { entry, x, row, lines } of placed) {
    const y = PAD + TITLE_LINE + row * LEGEND_LINE + LEGEND_LINE / 2
    ctx.fillStyle = entry.color
    if (entry.dot) {
      ctx.beginPath()
      ctx.arc(x + SWATCH / 2, y, 4, 0, 2 * Math.PI)
      ctx.fill()
    } else ctx.fillRect(x, y - 1.5, SWATCH, 3)
    ctx.fillStyle = colors.muted
    lines.forEach((line, i) => ctx.fillText(line, x + SWATCH + 5, y + i * LEGEND_LINE))
  }
  ctx.restore()
  ctx.drawImage(canvas, 0, Math.ceil(header * scale))
  copy.toBlob((blob) => {
    if (blob) saveFile(blob, pngFileName(title))
  }, 'image/png')
}
