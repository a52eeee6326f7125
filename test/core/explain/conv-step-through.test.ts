// The conv step-through against the engine itself: every forward tensor, every gradient and the SGD
// step equal what the layers compute on the same image; a written-out window sums to its feature map
// value exactly; each pooling window's gradient goes to its winner alone; the model is left untouched.
import { describe, expect, it } from 'vitest'
import {
  Activation,
  Conv2D,
  convWindow,
  filterGradient,
  inputGradient,
  createRng,
  Dense,
  Dropout,
  Matrix,
  MaxPool2D,
  PRESETS,
  poolWindow,
  poolWinners,
  Sequential,
  SoftmaxCrossEntropy,
  stepThrough,
  type Layer,
  type ModelArchitecture,
  type StepThrough
} from '../../../core'
import { SMALL_CONV_NET } from '../../helpers/architectures'
import { seededValues } from '../../helpers/gradcheck'

const image = (seed = 3) => seededValues(784, seed, 0, 1).map((v, i) => (i % 4 === 0 ? 0 : v))
const values = (result: StepThrough, id: string) => {
  const stage = result.stages.find((s) => s.id === id)
  if (!stage) throw new Error(`no stage ${id} in ${result.stages.map((s) => s.id).join(' ')}`)
  return stage.value.values
}
const worstDifference = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length)
  let worst = 0
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]))
  return worst
}

/** The engine's own pass, layer by layer: each layer's output, and each layer's input gradient. */
function engineStep(net: Sequential, x: Float32Array, label: number) {
  const outputs: Float32Array[] = []
  let h = new Matrix(1, x.length, Float32Array.from(x))
  for (const layer of net.layers) {
    h = layer.forward(h)
    outputs.push(Float32Array.from(h.data))
  }
  const loss = new SoftmaxCrossEntropy(10)
  const value = loss.forward(h, Uint8Array.of(label))
  net.zeroGrad()
  const inputGrads: (Float32Array | null)[] = []
  let g: Matrix | null = loss.backward()
  for (let i = net.layers.length - 1; i >= 0; i--) {
    g = net.layers[i].backward(g!, i > 0)
    inputGrads[i] = g && Float32Array.from(g.data)
  }
  return { outputs, inputGrads, loss: value, probabilities: loss.probabilities.data }
}

const architectures: [string, ModelArchitecture][] = [
  ['LeNet', PRESETS.lenet.config.architecture],
  ['stride 2, tanh, sigmoid and dropout', SMALL_CONV_NET]
]

describe.each(architectures)('stepThrough on a conv net (%s)', (_, architecture) => {
  const net = new Sequential(architecture, 'he', createRng(7))
  const x = image()
  const result = stepThrough(net, x, 4, 0.05)
  const afterStep = net
    .parameters()
    .map((p) => [Float32Array.from(p.data), Float32Array.from(p.grad)])
  const engine = engineStep(net, x, 4)
  // Dropout is the identity outside training and adds no stage; every other layer adds one.
  const shown = net.layers
    .map((layer, index) => ({ layer, index }))
    .filter(({ layer }) => !(layer instanceof Dropout))

  it('leaves the model as it was: weights, and gradients still zero', () => {
    const fresh = new Sequential(architecture, 'he', createRng(7))
    fresh.parameters().forEach((p, i) => {
      expect(afterStep[i][0]).toEqual(p.data)
      expect(afterStep[i][1].every((g) => g === 0)).toBe(true)
    })
  })

  it('has one forward stage per layer, each equal to the engine’s output, then p and the loss', () => {
    const forward = result.stages.filter((s) => s.phase === 'forward')
    expect(forward[0].id).toBe('x')
    expect(forward.slice(-2).map((s) => s.id)).toEqual(['p', 'loss'])
    const layerStages = forward.slice(1, -2)
    expect(layerStages).toHaveLength(shown.length)
    layerStages.forEach((stage, k) => {
      const engineValues = engine.outputs[shown[k].index]
      expect(worstDifference(stage.value.values, engineValues), stage.id).toBeLessThan(1e-6)
      expect(stage.dims!.reduce((a, b) => a * b)).toBe(engineValues.length)
    })
    expect(result.loss).toBeCloseTo(engine.loss, 5)
    expect(worstDifference(result.probabilities, engine.probabilities)).toBeLessThan(1e-6)
  })

  it('has every parameter gradient and every input gradient equal to the engine’s backward pass', () => {
    for (const layer of net.layers) {
      if (!(layer instanceof Conv2D || layer instanceof Dense)) continue
      const stageOf = (parameter: string) =>
        result.stages.find((s) => s.phase === 'backward' && s.parameter === parameter)!
      const dW = stageOf(layer.weight.name)
      const db = stageOf(layer.bias.name)
      expect(worstDifference(dW.value.values, layer.weight.grad), dW.id).toBeLessThan(1e-6)
      expect(worstDifference(db.value.values, layer.bias.grad), db.id).toBeLessThan(1e-6)
    }
    // The gradient into each shown layer but the first: the stage d(its input), its input being the
    // previous shown layer's output (a dropout in between is the identity, both ways).
    const layerStages = result.stages.filter((s) => s.phase === 'forward').slice(1, -2)
    shown.slice(1).forEach(({ layer, index }, k) => {
      const id = `d${layerStages[k].id}`
      const stage = result.stages.find((s) => s.phase === 'backward' && s.id === id)
      expect(stage, `${id} (into ${layer.name})`).toBeDefined()
      expect(worstDifference(stage!.value.values, engine.inputGrads[index]!), id).toBeLessThan(1e-6)
    })
  })

  it('writes out each conv pixel’s window, summing exactly to the feature map value', () => {
    const { convs } = result.convolution!
    expect(convs.length).toBeGreaterThan(0)
    for (const conv of convs) {
      const input = values(result, conv.input)
      const z = values(result, conv.output)
      const { outChannels, outHeight, outWidth, inChannels, kernel } = conv.geometry
      for (const [o, i, j] of [
        [0, 0, 0],
        [outChannels - 1, outHeight - 1, outWidth - 1],
        [1, Math.floor(outHeight / 2), 1],
        [outChannels - 1, 2, outWidth - 2]
      ]) {
        const window = convWindow(conv, input, o, i, j)
        expect(window.sum).toBe(z[(o * outHeight + i) * outWidth + j])
        expect(window.terms.length + window.padded).toBe(inChannels * kernel * kernel)
        for (const term of window.terms) expect(term.product).toBe(term.input * term.weight)
      }
      if (conv.activation) {
        const a = values(result, conv.activation.stage)
        expect(a.length).toBe(z.length)
      }
    }
  })

  it('writes out a filter’s gradient and an input pixel’s gradient, equal to the engine’s', () => {
    for (const conv of result.convolution!.convs) {
      const input = values(result, conv.input)
      const dz = values(result, conv.outputGrad)
      const dW = values(result, conv.weightGrad)
      const { inChannels: C, outChannels: O, kernel: k, inHeight: H, inWidth: W } = conv.geometry
      for (const [o, c, u, v] of [
        [0, 0, 0, 0],
        [O - 1, C - 1, k - 1, k - 1],
        [1, 0, 2, 1]
      ]) {
        const written = filterGradient(conv, input, dz, o, c, u, v)
        expect(written.sum).toBe(dW[((o * C + c) * k + u) * k + v])
        expect(written.terms.length + written.zeros).toBeLessThanOrEqual(
          conv.geometry.outHeight * conv.geometry.outWidth
        )
      }
      if (!conv.inputGrad) continue
      const dx = values(result, conv.inputGrad)
      for (const [c, h, w] of [
        [0, 0, 0],
        [C - 1, H - 1, W - 1],
        [1, Math.floor(H / 2), Math.floor(W / 2)]
      ]) {
        expect(inputGradient(conv, dz, c, h, w).sum).toBe(dx[(c * H + h) * W + w])
      }
    }
  })

  it('routes each pooling window’s gradient to its winner alone', () => {
    for (const pool of result.convolution!.pools) {
      const input = values(result, pool.input)
      const m = values(result, pool.output)
      const dm = values(result, pool.outputGrad)
      const da = values(result, pool.inputGrad!)
      const winners = poolWinners(pool, input)
      const { channels, outHeight, outWidth } = pool.geometry
      for (let n = 0; n < channels * outHeight * outWidth; n++) {
        expect(input[winners[n]]).toBe(m[n])
        expect(da[winners[n]]).toBe(dm[n])
      }
      const routed = new Set(winners)
      da.forEach((g, index) => {
        if (!routed.has(index)) expect(g).toBe(0)
      })
      const window = poolWindow(pool, input, channels - 1, 1, outWidth - 1)
      expect(window.cells[window.winner].value).toBe(
        m[((channels - 1) * outHeight + 1) * outWidth + outWidth - 1]
      )
      expect(Math.max(...window.cells.map((c) => c.value))).toBe(window.cells[window.winner].value)
    }
  })

  it('shows one plain SGD step for every conv and dense layer', () => {
    for (const layer of net.layers.filter(
      (l: Layer) => l instanceof Conv2D || l instanceof Dense
    )) {
      const { weight, bias } = layer as Conv2D | Dense
      const updated = result.stages.find(
        (s) => s.phase === 'update' && s.parameter === weight.name
      )!
      const expected = weight.data.map((w, i) => w - 0.05 * weight.grad[i])
      expect(worstDifference(updated.value.values, expected)).toBeLessThan(1e-7)
      const updatedBias = result.stages.find(
        (s) => s.phase === 'update' && s.parameter === bias.name
      )!
      expect(
        worstDifference(
          updatedBias.value.values,
          bias.data.map((b, i) => b - 0.05 * bias.grad[i])
        )
      ).toBeLessThan(1e-7)
    }
  })
})

describe('stepThrough on LeNet: names, shapes and formulas', () => {
  const net = new Sequential(PRESETS.lenet.config.architecture, 'he', createRng(1))
  const result = stepThrough(net, image(5), 7, 0.1)
  const stage = (id: string) => result.stages.find((s) => s.id === id)!

  it('names every tensor and gives its shape, (1, 28, 28) → (6, 28, 28) → (6, 14, 14) → …', () => {
    const forward = result.stages.filter((s) => s.phase === 'forward')
    expect(forward.map((s) => `${s.id} (${s.dims!.join(', ')})`)).toEqual([
      'x (1, 28, 28)',
      'z1 (6, 28, 28)',
      'a1 (6, 28, 28)',
      'm1 (6, 14, 14)',
      'z2 (16, 10, 10)',
      'a2 (16, 10, 10)',
      'm2 (16, 5, 5)',
      'f (1, 400)',
      'z3 (1, 120)',
      'a3 (1, 120)',
      'z4 (1, 84)',
      'a4 (1, 84)',
      'z5 (1, 10)',
      'p (1, 10)',
      'loss (1)'
    ])
    expect(stage('z1').formula).toBe('z1 = W1 ⋆ x + b1')
    expect(stage('z1').shapes).toBe('(1, 28, 28) ⋆ (6, 1, 5, 5) + (6) → (6, 28, 28)')
    expect(stage('z1').layer).toBe('conv1')
    expect(stage('m1').formula).toBe('m1 = maxpool2(a1)')
    expect(stage('f').shapes).toBe('(16, 5, 5) → (1, 400)')
  })

  it('goes back through the pools, the ReLUs and the flipped filters, down to conv1’s filters', () => {
    const backward = result.stages.filter((s) => s.phase === 'backward').map((s) => s.id)
    expect(backward).toEqual([
      'dz5',
      'dW5',
      'db5',
      'da4',
      'dz4',
      'dW4',
      'db4',
      'da3',
      'dz3',
      'dW3',
      'db3',
      'df',
      'dm2',
      'da2',
      'dz2',
      'dW2',
      'db2',
      'dm1',
      'da1',
      'dz1',
      'dW1',
      'db1'
    ])
    expect(stage('dW2').formula).toBe('dW2 = m1 ⋆ dz2')
    expect(stage('dW2').shapes).toBe('(6, 14, 14) ⋆ (16, 10, 10) → (16, 6, 5, 5)')
    expect(stage('dW2').parameter).toBe('conv2.weight')
    expect(stage('dm1').formula).toBe('dm1 = dz2 ⋆full rot180(W2)')
    expect(stage('da2').formula).toBe('da2 = dm2 routed to each window’s max')
    expect(stage('dW1').dims).toEqual([6, 1, 5, 5])
    expect(
      result.convolution!.convs.map((c) => [
        c.name,
        c.input,
        c.output,
        c.activation?.stage,
        c.inputGrad
      ])
    ).toEqual([
      ['conv1', 'x', 'z1', 'a1', null],
      ['conv2', 'm1', 'z2', 'a2', 'dm1']
    ])
    expect(result.stages.filter((s) => s.phase === 'update').map((s) => s.id)).toEqual([
      'W1′',
      'b1′',
      'W2′',
      'b2′',
      'W3′',
      'b3′',
      'W4′',
      'b4′',
      'W5′',
      'b5′'
    ])
  })

  it('says where a dropout was left out (it passes every value outside training)', () => {
    const dropped = new Sequential(SMALL_CONV_NET, 'he', createRng(2))
    const titles = stepThrough(dropped, image(), 1, 0.1).stages.map((s) => s.title)
    expect(titles.filter((t) => t.includes('dropout1'))).toEqual([
      'the output scores (logits), one per digit (dropout1 before it is off outside training: it passes every value)'
    ])
  })

  it('rejects an input of the wrong size and a label out of range', () => {
    expect(() => stepThrough(net, new Float32Array(100), 1, 0.1)).toThrow(
      /expected 784 input values, got 100/
    )
    expect(() => stepThrough(net, image(), 10, 0.1)).toThrow(/label must be 0..9/)
  })

  it('keeps the activation kind in each conv layer’s description', () => {
    expect(net.layers.some((l) => l instanceof Activation)).toBe(true)
    expect(result.convolution!.convs.every((c) => c.activation?.kind === 'relu')).toBe(true)
    expect(net.layers.filter((l) => l instanceof MaxPool2D)).toHaveLength(
      result.convolution!.pools.length
    )
  })
})
