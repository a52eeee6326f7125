// core/explain's featureMaps: every conv and pool layer's output for one image, checked against a
// direct convolution and pooling written out here from their definitions.
import { describe, expect, it } from 'vitest'
import {
  type Conv2D,
  createRng,
  featureMaps,
  Sequential,
  type ModelArchitecture
} from '../../../core'
import { seededValues } from '../../helpers/gradcheck'

/** 1×6×6 → conv 3×3×2 same, ReLU → pool 2 → conv 2×2×3 valid, linear → flatten → 10. */
const net = (): Sequential => {
  const architecture: ModelArchitecture = {
    inputShape: [1, 6, 6],
    layers: [
      { kind: 'conv', filters: 2, kernel: 3, stride: 1, padding: 'same', activation: 'relu' },
      { kind: 'maxpool', size: 2 },
      { kind: 'conv', filters: 3, kernel: 2, stride: 1, padding: 'valid', activation: 'none' },
      { kind: 'flatten' }
    ],
    outputSize: 10
  }
  const model = new Sequential(architecture, 'he', createRng(7))
  // Biases start at 0: give them values, so that a forgotten bias would show.
  for (const p of model.parameters())
    if (p.name.endsWith('bias')) p.data.set(seededValues(p.data.length, 9, -0.3, 0.3))
  return model
}

/** y[o][r][c] = b[o] + Σ_i Σ_dr Σ_dc W[o][i][dr][dc] · x[i][r + dr − p][c + dc − p], zeros outside. */
function directConv(
  x: Float32Array,
  [channels, height, width]: readonly number[],
  layer: Conv2D,
  pad: number
): { data: number[]; height: number; width: number } {
  const k = layer.kernel
  const outHeight = height + 2 * pad - k + 1
  const outWidth = width + 2 * pad - k + 1
  const data: number[] = []
  for (let o = 0; o < layer.filters; o++)
    for (let r = 0; r < outHeight; r++)
      for (let c = 0; c < outWidth; c++) {
        let sum = layer.bias.data[o]
        for (let i = 0; i < channels; i++)
          for (let dr = 0; dr < k; dr++)
            for (let dc = 0; dc < k; dc++) {
              const row = r + dr - pad
              const col = c + dc - pad
              if (row < 0 || col < 0 || row >= height || col >= width) continue
              sum +=
                layer.weight.data[((o * channels + i) * k + dr) * k + dc] *
                x[(i * height + row) * width + col]
            }
        data.push(sum)
      }
  return { data, height: outHeight, width: outWidth }
}

function directPool(
  x: readonly number[],
  channels: number,
  height: number,
  width: number
): number[] {
  const out: number[] = []
  for (let c = 0; c < channels; c++)
    for (let r = 0; r < height / 2; r++)
      for (let col = 0; col < width / 2; col++) {
        const at = (dr: number, dc: number) => x[(c * height + 2 * r + dr) * width + 2 * col + dc]
        out.push(Math.max(at(0, 0), at(0, 1), at(1, 0), at(1, 1)))
      }
  return out
}

describe('featureMaps', () => {
  it('gives each conv layer after its activation and each pool layer, as the definitions say', () => {
    const model = net()
    const [conv1, conv2] = model.layers.filter((l): l is Conv2D => l.name.startsWith('conv'))
    const x = seededValues(36, 3, 0, 1)
    const maps = featureMaps(model, x)
    expect(maps.map((m) => `${m.name} ${m.kind} (${m.shape.join(', ')}) ${m.description}`)).toEqual(
      [
        'conv1 conv (2, 6, 6) conv 3×3×2 ReLU',
        'pool1 maxpool (2, 3, 3) pool 2',
        'conv2 conv (3, 2, 2) conv 2×2×3 valid'
      ]
    )
    const relu = directConv(x, [1, 6, 6], conv1, 1).data.map((v) => Math.max(0, v))
    expect(Array.from(maps[0].data)).toEqual(relu.map((v) => expect.closeTo(v, 5)))
    expect(relu.some((v) => v === 0) && relu.some((v) => v > 0)).toBe(true) // the ReLU mattered
    const pooled = directPool(relu, 2, 6, 6)
    expect(Array.from(maps[1].data)).toEqual(pooled.map((v) => expect.closeTo(v, 5)))
    // conv2 has no activation: its own output, negative values included.
    const conv2Out = directConv(Float32Array.from(pooled), [2, 3, 3], conv2, 0).data
    expect(Array.from(maps[2].data)).toEqual(conv2Out.map((v) => expect.closeTo(v, 5)))
    expect(maps.every((m) => m.shownChannels === m.shape[0])).toBe(true)
  })

  it('keeps at most maxChannels maps per layer, and still says how many there are', () => {
    const model = net()
    const x = seededValues(36, 3, 0, 1)
    const all = featureMaps(model, x)
    const two = featureMaps(model, x, 2)
    expect(two.map((m) => [m.shape[0], m.shownChannels, m.data.length])).toEqual([
      [2, 2, 72],
      [2, 2, 18],
      [3, 2, 8]
    ])
    expect(Array.from(two[2].data)).toEqual(Array.from(all[2].data.subarray(0, 8)))
  })

  it('copies the maps: the next forward pass does not change them', () => {
    const model = net()
    const first = featureMaps(model, seededValues(36, 3, 0, 1))
    const before = Array.from(first[0].data)
    featureMaps(model, seededValues(36, 4, 0, 1))
    expect(Array.from(first[0].data)).toEqual(before)
  })

  it('is empty for a dense net, and refuses an input of the wrong size', () => {
    const dense = new Sequential(
      {
        inputShape: [1, 28, 28],
        layers: [{ kind: 'dense', units: 8, activation: 'relu' }],
        outputSize: 10
      },
      'he',
      createRng(1)
    )
    expect(featureMaps(dense, new Float32Array(784))).toEqual([])
    expect(() => featureMaps(net(), new Float32Array(35))).toThrow(
      /expected 36 input values, got 35/
    )
  })
})
