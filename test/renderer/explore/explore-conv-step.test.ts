// The conv step-through's presentation helpers on a real core stepThrough of a small conv net: which
// stages are maps, filters, bars or tables; the picked pixel followed from stage to stage; the story
// behind a pixel (its window, pooling winner, gradients) equal to the stage's own values; the text.
import { describe, expect, it } from 'vitest'
import { createRng, Sequential, stepThrough, type ModelArchitecture } from '@core/index'
import {
  mapsView,
  pixelOn,
  pixelStory,
  shapeChain,
  type MapPixel
} from '@/explore/step-through/conv-step-view'
import {
  convWindowLines,
  filterGradientLines,
  inputGradientLines,
  paddingNote,
  SHOWN_TERMS
} from '@/explore/step-through/conv-step-text'
import { stageById, stageView } from '@/explore/step-through/step-through-view'

/** conv 5×5×3 same → pool 2 → conv 3×3×4 valid → flatten → 12 → 10. */
const NET: ModelArchitecture = {
  inputShape: [1, 28, 28],
  layers: [
    { kind: 'conv', filters: 3, kernel: 5, stride: 1, padding: 'same', activation: 'relu' },
    { kind: 'maxpool', size: 2 },
    { kind: 'conv', filters: 4, kernel: 3, stride: 1, padding: 'valid', activation: 'relu' },
    { kind: 'flatten' },
    { kind: 'dense', units: 12, activation: 'relu' }
  ],
  outputSize: 10
}
/** A made-up digit: a bright ring, like a 0. */
const image = Float32Array.from({ length: 784 }, (_, i) => {
  const r = Math.hypot((i % 28) - 14, Math.floor(i / 28) - 14)
  return r > 6 && r < 10 ? 1 : 0.05
})
const result = stepThrough(new Sequential(NET, 'he', createRng(3)), image, 0, 0.1)
const stage = (id: string) => stageById(result, id)!
const at = (id: string, map: number, row: number, col: number) => {
  const [, height, width] = stage(id).dims!
  return stage(id).value.values[(map * height + row) * width + col]
}

describe('conv stage views', () => {
  it('draws maps, filters, a large dense weight as one image, a small one as cells, rows as bars', () => {
    expect(stageView(stage('z1'), result)).toMatchObject({
      kind: 'maps',
      count: 3,
      height: 28,
      width: 28,
      filters: false
    })
    expect(stageView(stage('dW2'), result)).toMatchObject({
      kind: 'maps',
      count: 12,
      height: 3,
      width: 3,
      channels: 3,
      filters: true
    })
    // dense1 (12 × 576 = 6912 values) is drawn as one image, dense2 (10 × 12) as a table of cells
    // whose clicks check its own parameter (dense2, not 'W4').
    expect(stageView(stage('dW3'), result)).toMatchObject({
      kind: 'maps',
      count: 1,
      height: 12,
      width: 576
    })
    expect(stageView(stage('dW4'), result)).toMatchObject({
      kind: 'matrix',
      parameter: 'dense2.weight'
    })
    expect(stageView(stage('a3'), result)).toMatchObject({ kind: 'vector', names: 'units' })
    expect(stageView(stage('z4'), result)).toMatchObject({ kind: 'vector', names: 'digits' })
    expect(stageView(stage('loss'), result)).toMatchObject({ kind: 'scalar' })
    expect(stageView(stage('x'), result)).toMatchObject({ kind: 'image', side: 28 })
  })

  it('lists every tensor’s shape from the image to the logits', () => {
    expect(shapeChain(result)).toBe(
      'x (1, 28, 28) → z1 (3, 28, 28) → a1 (3, 28, 28) → m1 (3, 14, 14) → z2 (4, 12, 12) → ' +
        'a2 (4, 12, 12) → f (1, 576) → z3 (1, 12) → a3 (1, 12) → z4 (1, 10)'
    )
  })

  it('finds the picked pixel again on a map of another size, inside the maps', () => {
    const m1 = mapsView(stage('m1'))!
    expect(pixelOn(m1, { map: 2, row: 12, col: 15, height: 28, width: 28 })).toEqual({
      map: 2,
      row: 6,
      col: 7
    })
    expect(pixelOn(m1, { map: 9, row: 27, col: 27, height: 28, width: 28 })).toEqual({
      map: 2,
      row: 13,
      col: 13
    })
    expect(pixelOn(m1, null)).toEqual({ map: 0, row: 7, col: 7 })
  })
})

describe('the story behind a picked pixel', () => {
  it('writes z1’s window out: its sum is the map’s value, then the ReLU', () => {
    const pixel: MapPixel = { map: 1, row: 0, col: 13 }
    const story = pixelStory(stage('z1'), result, pixel)!
    if (story.kind !== 'conv') throw new Error(story.kind)
    expect(story.window.sum).toBe(at('z1', 1, 0, 13))
    expect(story.activation).toEqual({ symbol: 'a1', name: 'ReLU', value: at('a1', 1, 0, 13) })
    expect(story.window.padded).toBe(10) // the top two rows of the 5×5 window are padding
    expect(paddingNote(story.window)).toBe(
      '10 window cells on the zero padding add nothing (0 × W = 0).'
    )
    const lines = convWindowLines(story, 'z1')
    expect(lines[0]).toBe('z1[1, 0, 13] = Σ W1[1, c, u, v] · x[c, u − 2, 11 + v] + b')
    expect(lines.join('\n').match(/×/g)).toHaveLength(15)
    expect(lines.at(-2)).toMatch(/^ {2}= \S+$/)
    expect(lines.at(-1)).toMatch(/^a1\[1, 0, 13\] = ReLU\(\S+\) = \S+$/)
    // The same window from the activation's stage.
    expect(pixelStory(stage('a1'), result, pixel)).toMatchObject({
      kind: 'conv',
      window: story.window
    })
  })

  it('writes z2’s window over its 3 input channels', () => {
    const story = pixelStory(stage('z2'), result, { map: 3, row: 5, col: 6 })!
    if (story.kind !== 'conv') throw new Error(story.kind)
    expect(story.window.sum).toBe(at('z2', 3, 5, 6))
    const lines = convWindowLines(story, 'z2')
    expect(lines.filter((line) => /^ {2}[=+] c\d: /.test(line))).toHaveLength(3)
    expect(lines.join('\n').match(/×/g)).toHaveLength(27)
  })

  it('shows the pooling window’s winner, and sends the gradient to it alone', () => {
    const forward = pixelStory(stage('m1'), result, { map: 0, row: 4, col: 3 })!
    if (forward.kind !== 'pool') throw new Error(forward.kind)
    const { cells, winner } = forward.window
    expect(cells[winner].value).toBe(at('m1', 0, 4, 3))
    expect(forward.routed).toBeNull()
    // On da1 the pixel is on a1's grid: (9, 7) is in the window of m1's (4, 3).
    const back = pixelStory(stage('da1'), result, { map: 0, row: 9, col: 7 })!
    if (back.kind !== 'pool') throw new Error(back.kind)
    expect(back.window).toEqual(forward.window)
    expect(back.routed).toEqual({ symbol: 'dm1', value: at('dm1', 0, 4, 3) })
    expect(at('da1', 0, cells[winner].row, cells[winner].col)).toBe(at('dm1', 0, 4, 3))
  })

  it('writes a filter value’s gradient and an input pixel’s gradient, equal to the stages', () => {
    const [O, C, k] = stage('dW2').dims!
    const filter = pixelStory(stage('dW2'), result, { map: 2 * C + 1, row: 1, col: 2 })!
    if (filter.kind !== 'filter-gradient') throw new Error(filter.kind)
    expect([filter.filter, filter.channel]).toEqual([2, 1])
    expect(filter.sum.sum).toBe(stage('dW2').value.values[((2 * C + 1) * k + 1) * k + 2])
    expect(O).toBe(4)
    const lines = filterGradientLines(filter, 'dW2')
    expect(lines[0]).toBe('dW2[2, 1, 1, 2] = Σᵢⱼ dz2[2, i, j] · m1[1, i + 1, j + 2]')
    expect(lines.length).toBeLessThanOrEqual(SHOWN_TERMS + 3)
    const input = pixelStory(stage('dm1'), result, { map: 1, row: 7, col: 8 })!
    if (input.kind !== 'input-gradient') throw new Error(input.kind)
    expect(input.sum.sum).toBe(at('dm1', 1, 7, 8))
    expect(inputGradientLines(input, 'dm1')[0]).toBe(
      'dm1[1, 7, 8] = Σ dz2[o, i, j] · W2[o, 1, u, v] over every window that covered it'
    )
  })

  it('has nothing to tell for stages that are not a conv or pooling layer’s', () => {
    expect(pixelStory(stage('x'), result, { map: 0, row: 3, col: 3 })).toBeNull()
  })
})
