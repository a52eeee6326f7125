// The architecture editor's logic: rows with core's shapes and counts, the reason on the offending row,
// the edits (add, remove, move, change) and how they read as "modified: …"; the augmentation strip's
// images drawn by core's own warp.
import { describe, expect, it } from 'vitest'
import { drawWarp, warpImage, type Augmentation } from '@core/data/augment'
import type { LayerSpec, ModelArchitecture } from '@core/nn/architecture'
import { deriveRng } from '@core/random'
import { PRESETS } from '@core/train/presets'
import {
  addLayer,
  isRemovable,
  layerListView,
  layersOfText,
  moveLayer,
  removeLayer,
  replaceLayer,
  textOfLayers,
  withoutIdleFlattens
} from '@/train/architecture/layer-list'
import { augmentedSamples } from '@/train/architecture/augmented-samples'
import { sampleDigitPixels } from '@/train/architecture/sample-digit'
import { describeLayerChanges } from '@/shared/config/layer-changes'

const lenet = PRESETS.lenet.config.architecture
const seed = PRESETS.seed.config.architecture
const rowLines = (layers: readonly LayerSpec[], base: ModelArchitecture = lenet) =>
  layerListView(layers, base).rows.map((row) =>
    [row.name, row.description, row.shape, row.parameters, row.problem].join(' | ')
  )
const pool = (size: number): LayerSpec => ({ kind: 'maxpool', size })

describe('the layer rows', () => {
  it('show each layer of LeNet with its output shape and parameters, and the total', () => {
    const view = layerListView(lenet.layers, lenet)
    expect(view.input).toBe('(1, 28, 28)')
    expect(rowLines(lenet.layers)).toEqual([
      'conv1 | 5×5×6 | (6, 28, 28) | 156 | ',
      'pool1 | 2×2 | (6, 14, 14) | 0 | ',
      'conv2 | 5×5×16 | (16, 10, 10) | 2416 | ',
      'pool2 | 2×2 | (16, 5, 5) | 0 | ',
      'flatten1 |  | (400) | 0 | ',
      'dense1 | 120 | (120) | 48120 | ',
      'dense2 | 84 | (84) | 10164 | ',
      'dense3 | output | (10) | 850 | '
    ])
    expect(view.totalParameters).toBe(61_706)
  })

  it('keep a dense preset as simple as it is: its hidden layer and the output', () => {
    expect(layerListView(seed.layers, seed).input).toBe('(784)')
    expect(rowLines(seed.layers, seed)).toEqual([
      'dense1 | 10 | (10) | 7850 | ',
      'dense2 | output | (10) | 110 | '
    ])
  })

  it('explain an impossible list on the offending row only; later rows have no shape', () => {
    const layers = replaceLayer(lenet.layers, 1, pool(8)) // 28 → 3: conv2's 5×5 cannot fit
    const view = layerListView(layers, lenet)
    expect(rowLines(layers).slice(0, 3)).toEqual([
      'conv1 | 5×5×6 | (6, 28, 28) | 156 | ',
      'pool1 | 8×8 | (6, 3, 3) | 0 | ',
      'conv2 | 5×5×16 |  |  | a 5×5 filter does not fit its 3×3 input'
    ])
    expect(view.rows.slice(3).every((row) => row.shape === null && row.problem === null)).toBe(true)
    expect(view.totalParameters).toBeNull()
  })

  it('explain a pool after the flatten on the pool row', () => {
    const layers = moveLayer(lenet.layers, 3, 1) // pool2 below flatten1
    const pool2 = layerListView(layers, lenet).rows.find((row) => row.name === 'pool2')
    expect(pool2?.problem).toMatch(
      /^it reads images .*but flatten1 gives a flat vector of 1600 values/
    )
  })

  it('explain a setting out of range on its row, before any shape', () => {
    const layers = replaceLayer(lenet.layers, 2, { ...lenet.layers[2], kernel: 0 } as LayerSpec)
    const rows = layerListView(layers, lenet).rows
    expect(rows[2].problem).toBe('kernel size must be a whole number from 1 to 11, got 0')
    expect(rows.slice(0, 2).map((row) => row.shape)).toEqual(['(6, 28, 28)', '(6, 14, 14)'])
    expect(rows.slice(2).every((row) => row.shape === null)).toBe(true)
  })

  it('explain images left for the output layer on the output row', () => {
    const layers: LayerSpec[] = [lenet.layers[0], lenet.layers[1]]
    const output = layerListView(layers, lenet).rows.at(-1)
    expect(output?.name).toBe('dense1')
    expect(output?.problem).toMatch(/end the list with a flatten/)
  })
})

describe('editing the list', () => {
  it('adds conv and pool layers after the last image layer, the others at the end', () => {
    expect(addLayer(lenet.layers, 'conv', 'relu')[4]).toEqual({
      kind: 'conv',
      filters: 8,
      kernel: 3,
      stride: 1,
      padding: 'same',
      activation: 'relu'
    })
    expect(addLayer(lenet.layers, 'dropout', 'relu').at(-1)).toEqual({
      kind: 'dropout',
      rate: 0.25
    })
    expect(addLayer(seed.layers, 'maxpool', 'relu')[0]).toEqual(pool(2))
  })

  it('moves a layer up or down, and not past either end', () => {
    const moved = moveLayer(lenet.layers, 5, -1)
    expect(moved.map((l) => l.kind).slice(4, 6)).toEqual(['dense', 'flatten'])
    expect(moveLayer(lenet.layers, 0, -1)).toEqual(lenet.layers)
    expect(moveLayer(lenet.layers, 6, 1)).toEqual(lenet.layers)
  })

  it('keeps the flatten a dense layer needs: removing it changes nothing, so it cannot be removed', () => {
    expect(isRemovable(lenet.layers, 4, 'relu')).toBe(false)
    expect(isRemovable(lenet.layers, 3, 'relu')).toBe(true)
    const text = textOfLayers(removeLayer(lenet.layers, 4), 'relu')
    expect(layersOfText(text, 'relu')).toEqual(lenet.layers)
  })

  it('drops the flattens that have nothing left to flatten, and keeps a misplaced one', () => {
    const flatten: LayerSpec = { kind: 'flatten' }
    const dense = lenet.layers[5]
    expect(
      withoutIdleFlattens([flatten, flatten, dense, { kind: 'dropout', rate: 0.5 }, flatten])
    ).toEqual([flatten, dense, { kind: 'dropout', rate: 0.5 }])
    const misplaced = [lenet.layers[0], flatten, pool(2), flatten, dense]
    expect(withoutIdleFlattens(misplaced)).toEqual(misplaced)
  })

  it('round-trips the list through the draft text, with flatten written where it stands', () => {
    expect(textOfLayers(lenet.layers, 'relu')).toBe(
      'conv5x5x6, pool2, conv5x5x16valid, pool2, flatten, 120, 84'
    )
    expect(layersOfText(textOfLayers(lenet.layers, 'tanh'), 'tanh')).toEqual(lenet.layers)
    expect(layersOfText('conv5x5', 'relu')).toBeNull()
  })
})

describe('the layer changes in words', () => {
  const changes = (layers: readonly LayerSpec[], base: ModelArchitecture = lenet) =>
    describeLayerChanges(base, { ...base, layers })

  it('names an edited layer and what changed', () => {
    expect(
      changes(replaceLayer(seed.layers, 0, { kind: 'dense', units: 32, activation: 'relu' }), seed)
    ).toEqual(['dense1 10 → 32 units'])
    const conv1 = { ...lenet.layers[0], filters: 8, kernel: 3, stride: 2, activation: 'tanh' }
    expect(changes(replaceLayer(lenet.layers, 0, conv1 as LayerSpec))).toEqual([
      'conv1 6 → 8 filters and 5×5 → 3×3 and stride 1 → 2 and ReLU → tanh'
    ])
  })

  it('says where a layer was added, and which was removed', () => {
    const withDropout = [...seed.layers, { kind: 'dropout', rate: 0.25 } as LayerSpec]
    expect(changes(withDropout, seed)).toEqual(['+ dropout 0.25 after dense1'])
    expect(changes([pool(2), ...lenet.layers])).toEqual(['+ pool 2 at the start'])
    expect(changes(removeLayer(lenet.layers, 6))).toEqual(['− dense2 (84 units)'])
    expect(changes(lenet.layers)).toEqual([])
  })

  it('says a layer moved, not that one was removed and another added', () => {
    // lenet: conv1, pool1, conv2, pool2, flatten, dense1 (120), dense2 (84)
    // Past one neighbour (Alt+↓ on conv1 is Alt+↑ on pool1): both named.
    expect(changes(moveLayer(lenet.layers, 0, 1))).toEqual(['conv1 and pool1 swapped places'])
    expect(changes(moveLayer(lenet.layers, 2, -1))).toEqual(['pool1 and conv2 swapped places'])
    // Two dense layers of different sizes swapped: not two edits ("120 → 84 units, 84 → 120 units").
    expect(changes(moveLayer(lenet.layers, 6, -1))).toEqual(['dense1 and dense2 swapped places'])
    // Further: where it went.
    const convFirst = moveLayer(moveLayer(lenet.layers, 2, -1), 1, -1)
    expect(convFirst.map((l) => l.kind).slice(0, 3)).toEqual(['conv', 'conv', 'maxpool'])
    expect(changes(convFirst)).toEqual(['conv2 moved to the start'])
    expect(changes(moveLayer(moveLayer(lenet.layers, 0, 1), 1, 1))).toEqual([
      'conv1 moved after conv2'
    ])
    const dense20: LayerSpec = { kind: 'dense', units: 20, activation: 'relu' }
    const withDropout = [...seed.layers, dense20, { kind: 'dropout', rate: 0.25 } as LayerSpec]
    const dropoutFirst = moveLayer(moveLayer(withDropout, 2, -1), 1, -1)
    expect(changes(dropoutFirst, { ...seed, layers: withDropout })).toEqual([
      'dropout1 moved to the start'
    ])
    // A move beside another edit (the e2e's Move down after widening conv1), or of an edited layer.
    const conv1Wider = { ...lenet.layers[0], filters: 8 } as LayerSpec
    expect(changes(moveLayer(replaceLayer(lenet.layers, 0, conv1Wider), 3, 1))).toEqual([
      'conv1 6 → 8 filters',
      'pool2 and flatten1 swapped places'
    ])
    expect(changes(replaceLayer(moveLayer(lenet.layers, 0, 1), 1, conv1Wider))).toEqual([
      'conv1 and pool1 swapped places',
      'conv1 6 → 8 filters'
    ])
    // Two edits in place stay two edits, not a swap and an edit.
    const dense = (units: number): LayerSpec => ({ kind: 'dense', units, activation: 'relu' })
    const twoDense = { ...seed, layers: [dense(120), dense(84)] }
    expect(changes([dense(84), dense(50)], twoDense)).toEqual([
      'dense1 120 → 84 units',
      'dense2 84 → 50 units'
    ])
    // Dense 120 moved below dense 84, then narrowed to 50: it reads as the two edits it equally is.
    const narrower = { ...lenet.layers[5], units: 50 } as LayerSpec
    const movedAndEdited = replaceLayer(moveLayer(lenet.layers, 5, 1), 6, narrower)
    expect(changes(movedAndEdited)).toEqual(['dense1 120 → 84 units', 'dense2 84 → 50 units'])
  })
})

describe('the augmentation strip', () => {
  const digit = sampleDigitPixels()
  const mild: Augmentation = { shiftPixels: 2, rotationDegrees: 10, scale: 0.1 }

  it('is one training digit: a 5, with ink in the middle', () => {
    expect(digit.length).toBe(784)
    expect(digit[14 * 28 + 14]).toBeGreaterThan(0)
    expect(digit[0]).toBe(0)
  })

  it('draws each image with core’s warp, from a generator seeded by the seed and the draw', () => {
    const strip = augmentedSamples(digit, 28, 28, mild, 7, 0)
    expect(strip).toHaveLength(6)
    const rng = deriveRng(7, 0)
    const expected = new Uint8Array(784)
    warpImage(digit, 0, expected, 0, 28, 28, drawWarp(mild, rng))
    expect(strip[0]).toEqual(expected)
    expect(strip[1]).not.toEqual(strip[0])
  })

  it('draws the same strip for the same settings, another for a new draw or new settings', () => {
    const first = augmentedSamples(digit, 28, 28, mild, 7, 0)
    expect(augmentedSamples(digit, 28, 28, mild, 7, 0)).toEqual(first)
    expect(augmentedSamples(digit, 28, 28, mild, 7, 1)).not.toEqual(first)
    expect(augmentedSamples(digit, 28, 28, { ...mild, rotationDegrees: 30 }, 7, 0)).not.toEqual(
      first
    )
  })

  it('is the digit as it is when augmentation is off', () => {
    const off = { shiftPixels: 0, rotationDegrees: 0, scale: 0 }
    expect(augmentedSamples(digit, 28, 28, off, 7, 0)).toEqual([digit])
  })
})
