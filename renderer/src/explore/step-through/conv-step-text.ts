// A picked value of a conv net's stage written out as a learner reads it: the window's products, the
// bias, the sum and the activation; a pooling window and its winner; a gradient's terms.

import type { ConvWindow, GradientSum } from '@core/explain/conv-window'
import { formatScalar } from '@/shared/format'
import type { PixelStory } from './conv-step-view'

/** Terms written before "… and N more" in a gradient's sum (a 28×28 map has hundreds). */
export const SHOWN_TERMS = 12

const index = (...values: number[]) => `[${values.join(', ')}]`

/** "0.12×0.5" with the factors as the worked examples write them. */
const product = (a: number, b: number) => `${formatScalar(a)}×${formatScalar(b)}`

/**
 * z[o, i, j] written out, one line per kernel row (grouped by input channel), then the bias and the
 * sum: "= 0.12×0.5 + … ", "+ 0.031 (b1[0])", "= 0.532", then "a1[…] = ReLU(0.532) = 0.532".
 */
export function convWindowLines(
  story: Extract<PixelStory, { kind: 'conv' }>,
  zSymbol: string
): string[] {
  const { window, conv, activation } = story
  const { map, row, col, top, left, size } = window
  const channels = conv.geometry.inChannels
  const where = `${conv.input}[c, ${shifted(top, 'u')}, ${shifted(left, 'v')}]`
  const lines = [
    `${zSymbol}${index(map, row, col)} = Σ W${weightNumber(conv.weightGrad)}[${map}, c, u, v] · ${where} + b`
  ]
  for (let c = 0; c < channels; c++) {
    const terms = window.terms.filter((t) => t.channel === c)
    for (let u = 0; u < size; u++) {
      const rowTerms = terms.filter((t) => t.kernelRow === u).map((t) => product(t.weight, t.input))
      if (rowTerms.length === 0) continue
      const first = c === 0 && u === terms[0]?.kernelRow
      const channel = channels > 1 && u === terms[0]?.kernelRow ? `c${c}: ` : ''
      lines.push(`  ${first ? '=' : '+'} ${channel}${rowTerms.join(' + ')}`)
    }
  }
  if (window.terms.length === 0) lines.push('  = 0 (the whole window is on the zero padding)')
  lines.push(`  + ${formatScalar(window.bias)} (b)`)
  lines.push(`  = ${formatScalar(window.sum)}`)
  if (activation)
    lines.push(
      `${activation.symbol}${index(map, row, col)} = ${activation.name}(${formatScalar(window.sum)}) = ${formatScalar(activation.value)}`
    )
  return lines
}

/** The window's row (column) as an index: '10 + u', 'u − 2' over the padding, or 'u'. */
function shifted(start: number, symbol: string): string {
  if (start === 0) return symbol
  return start > 0 ? `${start} + ${symbol}` : `${symbol} − ${-start}`
}

/** 'dW2' → '2': the filter's name in the sum is W2, as in the formula z2 = W2 ⋆ m1 + b2. */
function weightNumber(weightGrad: string): string {
  return weightGrad.replace(/^dW/, '')
}

/** A window's note: "3 cells on the zero padding (0 × W adds nothing)", or ''. */
export function paddingNote(window: ConvWindow): string {
  if (window.padded === 0) return ''
  const cells = window.padded === 1 ? 'cell' : 'cells'
  return `${window.padded} window ${cells} on the zero padding add nothing (0 × W = 0).`
}

/** A gradient's sum: the first terms, how many more, and the total. */
export function gradientLines(
  head: string,
  sum: GradientSum,
  term: (t: GradientSum['terms'][number]) => string
): string[] {
  const lines = [head]
  const shown = sum.terms.slice(0, SHOWN_TERMS)
  shown.forEach((t, i) => lines.push(`  ${i === 0 ? '=' : '+'} ${term(t)}`))
  const more = sum.terms.length - shown.length
  if (more > 0) lines.push(`  + … ${more} more term${more === 1 ? '' : 's'}`)
  if (sum.terms.length === 0)
    lines.push('  = 0 (every output pixel it reaches had a zero gradient)')
  lines.push(`  = ${formatScalar(sum.sum)}`)
  return lines
}

/** The lines for a filter value's gradient: dW[o, c, u, v] = Σ dz[o, i, j] · x[c, …]. */
export function filterGradientLines(
  story: Extract<PixelStory, { kind: 'filter-gradient' }>,
  dWSymbol: string
): string[] {
  const { conv, filter, channel, row, col, sum } = story
  const { stride: s, padding: p } = conv.geometry
  const at = (i: number, j: number) => index(channel, i * s + row - p, j * s + col - p)
  return gradientLines(
    `${dWSymbol}${index(filter, channel, row, col)} = Σᵢⱼ ${conv.outputGrad}[${filter}, i, j] · ${conv.input}[${channel}, i${offset(s, row - p)}, j${offset(s, col - p)}]`,
    sum,
    (t) =>
      `${product(t.outputGrad, t.factor)} (${conv.outputGrad}${index(t.map, t.row, t.col)} · ${conv.input}${at(t.row, t.col)})`
  )
}

/** The lines for an input pixel's gradient: dx[c, h, w] = Σ dz[o, i, j] · W[o, c, u, v]. */
export function inputGradientLines(
  story: Extract<PixelStory, { kind: 'input-gradient' }>,
  dxSymbol: string
): string[] {
  const { conv, channel, row, col, sum } = story
  const { stride: s, padding: p } = conv.geometry
  const w = `W${weightNumber(conv.weightGrad)}`
  return gradientLines(
    `${dxSymbol}${index(channel, row, col)} = Σ ${conv.outputGrad}[o, i, j] · ${w}[o, ${channel}, u, v] over every window that covered it`,
    sum,
    (t) =>
      `${product(t.outputGrad, t.factor)} (${conv.outputGrad}${index(t.map, t.row, t.col)} · ${w}${index(t.map, channel, row - t.row * s + p, col - t.col * s + p)})`
  )
}

/** " + 3" or " − 2" or "": the offset in an index like x[c, i + 3, j]; "·2" for stride 2. */
function offset(stride: number, shift: number): string {
  const scaled = stride === 1 ? '' : `·${stride}`
  if (shift === 0) return scaled
  return `${scaled} ${shift > 0 ? '+' : '−'} ${Math.abs(shift)}`
}
