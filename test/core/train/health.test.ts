// The health statistics on hand-computed values: histograms, norms, the update-to-weight ratio, dead
// ReLU units; and the probe that measures a model with them, against its own forward/backward pass.
import { describe, expect, it } from 'vitest'
import {
  allFinite,
  createRng,
  deadUnitFraction,
  HEALTH_BINS,
  HealthHistory,
  HealthProbe,
  histogram,
  l2Norm,
  Matrix,
  Sequential,
  SoftmaxCrossEntropy,
  updateRatio,
  type HealthSample,
  type ModelArchitecture
} from '../../../core'

describe('histogram', () => {
  it('counts values in equal bins over [min, max], the max in the last bin', () => {
    // bin(v) = ⌊(v − 0) · 4/3⌋: 0 → 0, 1 → 1, 2 → 2, 3 → 4 → clamped to 3.
    expect(histogram([0, 1, 2, 3], 4)).toEqual({ min: 0, max: 3, counts: [1, 1, 1, 1] })
    // −1 → 0, 0 → ⌊1·2/2⌋ = 1, 0.5 → ⌊1.5⌋ = 1, 1 → 2 → 1.
    expect(histogram([-1, 0, 0.5, 1], 2)).toEqual({ min: -1, max: 1, counts: [1, 3] })
    expect(histogram([1, 2]).counts).toHaveLength(HEALTH_BINS)
  })

  it('leaves out NaN and ±∞, and puts equal values in bin 0', () => {
    expect(histogram([NaN, 2, Infinity, 4, -Infinity], 2)).toEqual({
      min: 2,
      max: 4,
      counts: [1, 1]
    })
    expect(histogram([0, 0, 0], 3)).toEqual({ min: 0, max: 0, counts: [3, 0, 0] })
    expect(histogram([NaN], 2)).toEqual({ min: 0, max: 0, counts: [0, 0] })
  })
})

describe('norms and ratios', () => {
  it('‖v‖ = √Σv², NaN when a value is', () => {
    expect(l2Norm([3, 4])).toBe(5)
    expect(l2Norm(new Float32Array([1, 2, 2]))).toBe(3)
    expect(l2Norm([1, NaN])).toBeNaN()
  })

  it('‖W′ − W‖ / ‖W‖ of one update; null when W = 0', () => {
    // ΔW = [0, 0.5]: 0.5 / ‖[3, 4]‖ = 0.1.
    expect(updateRatio(new Float32Array([3, 4]), new Float32Array([3, 4.5]))).toBeCloseTo(0.1, 7)
    // W′ = 1.001 W: exactly the rule of thumb's 1e-3.
    const w = new Float32Array([0.5, -0.25, 2])
    expect(
      updateRatio(
        w,
        w.map((v) => v * 1.001)
      )
    ).toBeCloseTo(1e-3, 6)
    expect(updateRatio(new Float32Array(2), new Float32Array([1, 1]))).toBeNull()
  })

  it('allFinite', () => {
    expect(allFinite([1, -2, 0])).toBe(true)
    expect(allFinite([1, Infinity])).toBe(false)
    expect(allFinite(new Float32Array([NaN]))).toBe(false)
  })
})

describe('deadUnitFraction', () => {
  it('a dense layer: a unit is dead when it outputs 0 for every row', () => {
    // rows × units = 2 × 3: unit 0 and unit 2 are 0 in both rows, unit 1 fires once.
    expect(deadUnitFraction(new Float32Array([0, 1, 0, 0, 0, 0]), 2, 3)).toBeCloseTo(2 / 3, 10)
    expect(deadUnitFraction(new Float32Array([0, 0, 0, 0.1]), 2, 2)).toBe(0.5)
    expect(deadUnitFraction(new Float32Array(4), 2, 2)).toBe(1)
  })

  it('a conv layer: a filter is dead when its whole map is 0 for every image', () => {
    // 2 images × (2 filters × 3 positions), CHW: filter 0 fires only at image 2's last position.
    const y = new Float32Array([0, 0, 0, 0, 0, 0, /* image 2 */ 0, 0, 0.3, 0, 0, 0])
    expect(deadUnitFraction(y, 2, 2, 3)).toBe(0.5)
  })
})

describe('HealthHistory', () => {
  const sample = (step: number): HealthSample => ({ step, layers: [] })

  it('keeps every sample up to its limit, then every other, with the first and the latest', () => {
    const history = new HealthHistory(6)
    for (let step = 1; step <= 5; step++) history.push(sample(step))
    expect(history.values().map((s) => s.step)).toEqual([1, 2, 3, 4, 5])
    history.push(sample(6)) // six kept: positions 0, 2, 4 and the latest stay
    expect(history.values().map((s) => s.step)).toEqual([1, 3, 5, 6])
    for (let step = 7; step <= 1000; step++) history.push(sample(step))
    const steps = history.values().map((s) => s.step)
    expect(steps.length).toBeLessThan(6)
    expect(steps[0]).toBe(1)
    expect(steps.at(-1)).toBe(1000)
  })

  it('a second sample of one step replaces the first', () => {
    const history = new HealthHistory(6)
    history.push(sample(3))
    history.push({ step: 3, layers: [] })
    expect(history.values()).toHaveLength(1)
  })
})

describe('HealthProbe', () => {
  // 4 inputs → 3 ReLU → 2 (the output layer, dense2, follows the listed layers).
  const architecture: ModelArchitecture = {
    inputShape: [1, 1, 4],
    layers: [{ kind: 'dense', units: 3, activation: 'relu' }],
    outputSize: 2
  }
  const x = new Matrix(2, 4, new Float32Array([1, 0, 0.5, 0.25, 0, 1, 0.75, 0]))
  const labels = new Uint8Array([0, 1])

  it('reads the same gradients and outputs as the model’s own forward and backward pass', () => {
    const model = new Sequential(architecture, 'he', createRng(3))
    const probe = HealthProbe.measure(model, x, labels, 7).finish(null)

    const twin = new Sequential(architecture, 'he', createRng(3))
    const loss = new SoftmaxCrossEntropy(2)
    loss.forward(twin.forward(x), labels)
    twin.zeroGrad()
    twin.backward(loss.backward())
    const hidden = twin.layers[1].forward(twin.layers[0].forward(x)) // relu1(dense1(x))

    expect(probe.step).toBe(7)
    expect(probe.layers.map((l) => [l.layer, l.kind])).toEqual([
      ['dense1', 'dense'],
      ['dense2', 'dense']
    ])
    const [dense1, dense2] = twin.denseLayers
    expect(probe.layers[0].gradientNorm).toBeCloseTo(l2Norm(dense1.weight.grad), 6)
    expect(probe.layers[1].gradientNorm).toBeCloseTo(l2Norm(dense2.weight.grad), 6)
    expect(probe.layers[0].weightNorm).toBeCloseTo(l2Norm(dense1.weight.data), 6)
    expect(probe.layers[0].activations).toEqual(histogram(hidden.data))
    expect(probe.layers[0].deadFraction).toBe(deadUnitFraction(hidden.data, 2, 3))
    expect(probe.layers[1].deadFraction).toBeNull() // no ReLU after the output layer
    expect(probe.layers.every((l) => l.finite && l.updateRatio === null)).toBe(true)
  })

  it('gives ‖ΔW‖/‖W‖ once the weights have moved', () => {
    const model = new Sequential(architecture, 'he', createRng(3))
    const probe = HealthProbe.measure(model, x, labels, 1)
    for (const layer of model.denseLayers) layer.weight.data.forEach((w, i, a) => (a[i] = w * 1.01))
    const sample = probe.finish(model)
    for (const layer of sample.layers) expect(layer.updateRatio).toBeCloseTo(0.01, 5)
  })

  it('counts a layer whose pre-activations are all negative as dead, and NaN as not finite', () => {
    const model = new Sequential(architecture, 'he', createRng(3))
    model.denseLayers[0].bias.data.fill(-100)
    expect(HealthProbe.measure(model, x, labels, 1).finish(null).layers[0].deadFraction).toBe(1)
    const poisoned = new Sequential(architecture, 'he', createRng(3))
    poisoned.denseLayers[1].weight.data[0] = NaN
    const broken = HealthProbe.measure(poisoned, x, labels, 2).finish(null)
    // The NaN is born in dense2's output; backprop carries it into dense1's gradient too.
    expect(broken.layers.map((l) => l.finite)).toEqual([true, false])
    expect(broken.layers[0].gradientNorm).toBeNaN()
  })
})
