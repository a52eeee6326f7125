// Run names: the values a live-changed setting took, chained and shortened; a taken name numbered.
import { describe, expect, it } from 'vitest'
import { PRESETS } from '../../core'
import { defaultRunName, distinctRunName, valueChain } from '../../electron/host/run-name'

describe('run names', () => {
  it('chain the values a setting took, shortened past three', () => {
    expect(valueChain([0.03])).toBe('0.03')
    expect(valueChain([0.03, 0.5, 0.1])).toBe('0.03 → 0.5 → 0.1')
    expect(valueChain([0.03, 0.5, 0.1, 0.2])).toBe('0.03 → … → 0.2')
    expect(defaultRunName(PRESETS.mlp.config)).toBe('784 → 128 ReLU → 10 · Adam 0.001')
    expect(defaultRunName(PRESETS.lenet.config)).toBe(
      'conv5x5x6 · pool2 · conv5x5x16valid · pool2 · 120 · 84 · 10 · Adam 0.001'
    )
  })

  it('number a taken name one past the highest number in use', () => {
    const base = '784 → 10 ReLU → 10 · SGD 0.03'
    expect(distinctRunName(base, [])).toBe(base)
    expect(distinctRunName(base, ['other', `${base} → 0.5`])).toBe(base)
    expect(distinctRunName(base, [base])).toBe(`${base} #2`)
    // A deleted "#2" is not reused while "#3" exists: numbers only go up.
    expect(distinctRunName(base, [base, `${base} #3`])).toBe(`${base} #4`)
    expect(distinctRunName(base, [`${base} #x`])).toBe(base)
  })
})
