// Multiply-adds per sample, counted by hand for the presets' nets: what the hang deadline scales with.

import { describe, expect, it } from 'vitest'
import { multiplyAddsPerSample, PRESETS } from '../../../core'

describe('multiplyAddsPerSample', () => {
  it('counts a dense net as the sum of its weight matrices', () => {
    // 784·10 + 10·10 (the seed net), 784·128 + 128·10 (the MLP)
    expect(multiplyAddsPerSample(PRESETS.seed.config.architecture)).toBe(7_940)
    expect(multiplyAddsPerSample(PRESETS.mlp.config.architecture)).toBe(101_632)
  })

  it('counts a conv layer once per output pixel, and pooling, flatten and dropout as nothing', () => {
    // conv1: 6·1·5·5 weights × 28·28 pixels = 117 600; conv2 (valid, after pool): 16·6·5·5 × 10·10 =
    // 240 000; dense 400·120 = 48 000, 120·84 = 10 080, output 84·10 = 840
    expect(multiplyAddsPerSample(PRESETS.lenet.config.architecture)).toBe(416_520)
  })
})
