// The auto-pause rules on made-up samples (dead layers, exploding gradients, NaN), the culprit of a
// diverged step, and their sentences.
import { describe, expect, it } from 'vitest'
import {
  DEAD_LAYER_FRACTION,
  describeAlarm,
  EXPLODING_GRADIENT_FACTOR,
  GRADIENT_HISTORY_MIN,
  HealthWatch,
  median,
  type Divergence,
  type HealthSample,
  type LayerHealth
} from '../../../core'

const flat = { min: 0, max: 0, counts: [] }
function layer(name: string, health: Partial<LayerHealth> = {}): LayerHealth {
  return {
    layer: name,
    kind: name.startsWith('conv') ? 'conv' : 'dense',
    weights: flat,
    gradients: flat,
    activations: flat,
    weightNorm: 1,
    gradientNorm: 0.1,
    updateRatio: 1e-3,
    deadFraction: 0,
    finite: true,
    ...health
  }
}
const sample = (step: number, ...layers: LayerHealth[]): HealthSample => ({ step, layers })
const exploded: Divergence = {
  kind: 'exploded',
  step: 3,
  loss: 60,
  smoothedLoss: 27.7,
  limit: 23
}

describe('median', () => {
  it('is the middle value, or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2)
    expect(median([4, 1, 3, 2])).toBe(2.5)
    expect(median([7])).toBe(7)
  })
})

describe('HealthWatch', () => {
  it('stays quiet while the layers are healthy', () => {
    const watch = new HealthWatch()
    for (let step = 1; step <= 50; step++)
      expect(watch.observe(sample(step, layer('dense1', { gradientNorm: 1 / step })))).toBeNull()
  })

  it('pauses when more than 90 % of a ReLU layer is dead, once per layer', () => {
    const watch = new HealthWatch()
    expect(
      watch.observe(sample(1, layer('dense1', { deadFraction: DEAD_LAYER_FRACTION })))
    ).toBeNull()
    const alarm = watch.observe(
      sample(340, layer('dense1', { deadFraction: 0.97 }), layer('dense2'))
    )
    expect(alarm).toEqual({
      kind: 'dead-layer',
      layer: 'dense1',
      layerKind: 'dense',
      step: 340,
      value: 0.97,
      divergence: null
    })
    expect(describeAlarm(alarm!)).toBe(
      'dense1 went dead at step 340: 97 % of its units output 0 for every image of the batch.'
    )
    // Resumed with dense1 still dead: it was said; a second layer dying is news.
    expect(watch.observe(sample(400, layer('dense1', { deadFraction: 1 })))).toBeNull()
    const conv = watch.observe(sample(401, layer('conv1', { deadFraction: 0.95 })))
    expect(describeAlarm(conv!)).toBe(
      'conv1 went dead at step 401: 95 % of its filters output 0 for every image of the batch.'
    )
  })

  it('pauses when a gradient norm passes 100× its running median, not before there is one', () => {
    const watch = new HealthWatch()
    // Too little history: a first jump is not judged.
    expect(watch.observe(sample(1, layer('dense2', { gradientNorm: 0.1 })))).toBeNull()
    expect(watch.observe(sample(2, layer('dense2', { gradientNorm: 50 })))).toBeNull()
    expect(GRADIENT_HISTORY_MIN).toBe(3)
    // History 0.1, 50, 0.2: median 0.2. 0.2 × 100 = 20 is allowed, 20.2 is 101×.
    expect(watch.observe(sample(3, layer('dense2', { gradientNorm: 0.2 })))).toBeNull()
    expect(watch.observe(sample(4, layer('dense2', { gradientNorm: 20 })))).toBeNull()
    // History 0.1, 50, 0.2, 20: median (0.2 + 20) / 2 = 10.1; 1020 / 10.1 = 100.99 > 100.
    const alarm = watch.observe(sample(5, layer('dense2', { gradientNorm: 1020 })))
    expect(alarm).toMatchObject({ kind: 'exploding-gradient', layer: 'dense2', step: 5 })
    expect(alarm!.value).toBeGreaterThan(EXPLODING_GRADIENT_FACTOR)
    expect(describeAlarm(alarm!)).toBe(
      "dense2's gradient exploded at step 5: its norm is 101× its running median."
    )
  })

  it('blames the layer where a NaN starts: the first broken output, else the last broken gradient', () => {
    const watch = new HealthWatch()
    const forward = watch.observe(
      sample(9, layer('dense1', { gradientNorm: NaN }), layer('dense2', { finite: false }))
    )
    expect(forward).toMatchObject({ kind: 'not-finite', layer: 'dense2', value: null })
    const backward = watch.observe(
      sample(
        10,
        layer('conv1', { gradientNorm: NaN }),
        layer('conv2', { gradientNorm: Infinity }),
        layer('dense1')
      )
    )
    expect(backward).toMatchObject({ kind: 'not-finite', layer: 'conv2' })
    expect(describeAlarm(backward!)).toBe(
      "conv2's outputs or gradients became NaN or infinite at step 10."
    )
  })

  it('names a culprit for a diverged step, even when no rule holds', () => {
    const watch = new HealthWatch()
    // dense1: ‖∂L/∂W‖/‖W‖ = 14.9 / 18.2 = 0.82; dense2: 16.7 / 4.7 = 3.55, the largest.
    const alarm = watch.culprit(
      sample(
        3,
        layer('dense1', { gradientNorm: 14.9, weightNorm: 18.2, deadFraction: 0.7 }),
        layer('dense2', { gradientNorm: 16.7, weightNorm: 4.7, deadFraction: null })
      ),
      exploded
    )
    expect(alarm).toMatchObject({ kind: 'largest-gradient', layer: 'dense2', step: 3 })
    expect(alarm.value).toBeCloseTo(16.7 / 4.7, 10)
    expect(describeAlarm(alarm)).toBe(
      'the loss exploded at step 3 (smoothed 27.70, over 10× its start): the learning rate is too ' +
        'high for this network. dense2 has the largest gradient for its weights at step 3 ' +
        '(‖∂L/∂W‖ is 3.6× ‖W‖): its updates are the ones that overshoot.'
    )
  })

  it('a diverged step names a dead layer even when it was reported before', () => {
    const watch = new HealthWatch()
    watch.observe(sample(1, layer('dense1', { deadFraction: 0.95 })))
    const alarm = watch.culprit(sample(2, layer('dense1', { deadFraction: 1 })), exploded)
    expect(alarm).toMatchObject({ kind: 'dead-layer', layer: 'dense1', divergence: exploded })
  })
})
