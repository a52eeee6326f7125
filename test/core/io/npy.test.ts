// The .npy encoding (core/io/npy.ts) and the model's arrays; the .npz zip around them is tested in
// test/electron/npz.test.ts.

import { describe, expect, it } from 'vitest'
import { createRng, encodeNpy, modelToNumpyArrays, Sequential } from '../../../core'
import { denseNet } from '../../helpers/architectures'

const ascii = (bytes: Uint8Array) => String.fromCharCode(...bytes)

describe('.npy encoding', () => {
  it('writes a version 1.0 .npy header padded to 64 bytes, then little-endian float32', () => {
    const npy = encodeNpy({ name: 'W1', shape: [2, 3], data: Float32Array.of(1, 2, 3, 4, 5, 6) })
    expect(Array.from(npy.subarray(0, 8))).toEqual([0x93, 78, 85, 77, 80, 89, 1, 0])
    const headerLength = npy[8] | (npy[9] << 8)
    expect((10 + headerLength) % 64).toBe(0)
    const header = ascii(npy.subarray(10, 10 + headerLength))
    expect(header).toMatch(/^\{'descr': '<f4', 'fortran_order': False, 'shape': \(2, 3\), \} *\n$/)
    expect(new Float32Array(npy.slice(10 + headerLength).buffer)).toEqual(
      Float32Array.of(1, 2, 3, 4, 5, 6)
    )
  })

  it('writes 1-d shapes with numpy’s trailing comma and strings as 0-d UCS-4', () => {
    expect(ascii(encodeNpy({ name: 'b', shape: [5], data: new Float32Array(5) }))).toContain(
      "'shape': (5,)"
    )
    const text = encodeNpy({ name: 'activation', text: 'relu' })
    expect(ascii(text)).toContain("'descr': '<U4'")
    expect(ascii(text)).toContain("'shape': ()")
    expect(Array.from(text.slice(-16))).toEqual([
      114, 0, 0, 0, 101, 0, 0, 0, 108, 0, 0, 0, 117, 0, 0, 0
    ])
  })

  it('refuses a shape that does not match the data', () => {
    expect(() => encodeNpy({ name: 'x', shape: [3, 3], data: new Float32Array(8) })).toThrow(
      /does not hold 8 values/
    )
  })

  it('names and shapes a model like the original numpy project: W1 (784, h1) is the transpose of dense1', () => {
    const model = new Sequential(denseNet([16]), 'he', createRng(1))
    const arrays = modelToNumpyArrays(model)
    expect(arrays.map((a) => [a.name, 'shape' in a ? a.shape : 'text'])).toEqual([
      ['W1', [784, 16]],
      ['b1', [1, 16]],
      ['W2', [16, 10]],
      ['b2', [1, 10]],
      ['activation', 'text']
    ])
    const W1 = arrays[0] as { data: Float32Array }
    const dense1 = model.denseLayers[0].weight.data
    expect(W1.data[5 * 16 + 3]).toBe(dense1[3 * 784 + 5]) // W1[5, 3] = stored[3, 5]
  })

  it('adds conv filters as (out, in, k, k) and the layer list that says how to run them', () => {
    const lenet = {
      inputShape: [1, 28, 28],
      layers: [
        { kind: 'conv', filters: 6, kernel: 5, stride: 1, padding: 'same', activation: 'relu' },
        { kind: 'maxpool', size: 2 },
        { kind: 'conv', filters: 16, kernel: 5, stride: 1, padding: 'valid', activation: 'relu' },
        { kind: 'maxpool', size: 2 },
        { kind: 'flatten' },
        { kind: 'dense', units: 120, activation: 'relu' }
      ],
      outputSize: 10
    } as const
    const model = new Sequential(lenet, 'he', createRng(1))
    const arrays = modelToNumpyArrays(model)
    expect(arrays.map((a) => [a.name, 'shape' in a ? a.shape : 'text'])).toEqual([
      ['conv1_weight', [6, 1, 5, 5]],
      ['conv1_bias', [6]],
      ['conv2_weight', [16, 6, 5, 5]],
      ['conv2_bias', [16]],
      ['W1', [400, 120]],
      ['b1', [1, 120]],
      ['W2', [120, 10]],
      ['b2', [1, 10]],
      ['architecture', 'text']
    ])
    const conv1 = arrays[0] as { data: Float32Array }
    expect(conv1.data).toEqual(model.parameters()[0].data) // already PyTorch's layout: no transpose
    const architecture = arrays.at(-1) as { text: string }
    expect(JSON.parse(architecture.text)).toEqual(lenet)
  })
})
