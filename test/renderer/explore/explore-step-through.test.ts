// The network step-through's presentation helpers on a real core stepThrough (a small He-initialised
// network): how each stage is drawn, the ReLU mask, the weights beside dW1 (equal to the model's), and
// the gradients shown equal to the engine's own backward pass.
import { describe, expect, it } from 'vitest'
import {
  Matrix,
  SoftmaxCrossEntropy,
  stepThrough,
  type ActivationKind,
  type Sequential
} from '@core/index'
import {
  bytesToInput,
  layerCount,
  parameterOf,
  phaseGroups,
  reluMask,
  stageById,
  stageLayer,
  stageView,
  tileRows,
  weightIndex
} from '@/explore/step-through/step-through-view'
import { heDenseNet, ONE_HIDDEN_LAYER_STAGES } from '../../helpers/architectures'

const model = (activation?: ActivationKind, hiddenSizes?: number[]) =>
  heDenseNet(5, activation, hiddenSizes)
/** A made-up digit: a bright ring, like a 0. */
const image = () =>
  Float32Array.from({ length: 784 }, (_, i) => {
    const r = Math.hypot((i % 28) - 14, Math.floor(i / 28) - 14)
    return r > 6 && r < 10 ? 1 : 0
  })

/** The engine's own gradient of one parameter for one image (forward, loss, backward). */
function engineGradient(
  net: Sequential,
  x: Float32Array,
  label: number,
  name: string
): Float32Array {
  const lossLayer = new SoftmaxCrossEntropy(10)
  lossLayer.forward(net.forward(new Matrix(1, 784, x)), Uint8Array.of(label))
  net.zeroGrad()
  net.backward(lossLayer.backward())
  return Float32Array.from(net.parameters().find((p) => p.name === name)!.grad)
}

describe('stage views', () => {
  const net = model()
  const result = stepThrough(net, image(), 3, 0.03)
  const view = (id: string) => stageView(stageById(result, id)!, result)

  it('draws x as a 28×28 image, the loss as a number, vectors as labelled bars', () => {
    expect(result.stages.map((s) => s.id)).toEqual(ONE_HIDDEN_LAYER_STAGES)
    expect(layerCount(result)).toBe(2)
    expect(view('x')).toMatchObject({ kind: 'image', side: 28 })
    expect(view('loss')).toEqual({ kind: 'scalar', value: Math.fround(result.loss) })
    expect(view('p')).toMatchObject({
      kind: 'vector',
      scale: 'probability',
      names: 'digits',
      limit: 1
    })
    expect(view('z1')).toMatchObject({ kind: 'vector', scale: 'signed', names: 'units' })
    for (const id of ['z2', 'dz2', 'db2', 'b2′'])
      expect(view(id)).toMatchObject({ kind: 'vector', names: 'digits' })
    const z2 = view('z2')
    if (z2.kind !== 'vector') throw new Error('z2 is a vector')
    expect(z2.limit).toBe(Math.max(...Array.from(stageById(result, 'z2')!.value.values, Math.abs)))
  })

  it('marks the units the ReLU switched off on a1 and dz1, where dz1 is exactly 0', () => {
    const mask = reluMask(result, 1)!
    const z1 = stageById(result, 'z1')!.value.values
    expect(mask).toEqual(Array.from(z1, (v) => v <= 0))
    expect(mask.some(Boolean)).toBe(true) // this seed switches some units off…
    expect(mask.every(Boolean)).toBe(false) // …and leaves some on
    for (const id of ['a1', 'dz1']) {
      const v = view(id)
      if (v.kind !== 'vector') throw new Error(`${id} is a vector`)
      expect(v.entries.map((e) => e.masked)).toEqual(mask)
    }
    const dz1 = stageById(result, 'dz1')!.value.values
    mask.forEach((off, i) => off && expect(Math.abs(dz1[i])).toBe(0))
    const da1 = view('da1')
    expect(da1.kind === 'vector' && da1.entries.every((e) => !e.masked)).toBe(true) // the mask applies after da1
    expect(reluMask(stepThrough(model('tanh'), image(), 3, 0.03), 1)).toBeNull()
  })

  it('draws dW1 and W1′ as ten 28×28 tiles and dW2 as a 10 × 10 matrix', () => {
    expect(view('dW1')).toMatchObject({ kind: 'tiles', rows: 10, cols: 784, side: 28, layer: 1 })
    expect(view('W1′')).toMatchObject({ kind: 'tiles', rows: 10, cols: 784, side: 28, layer: 1 })
    expect(view('dW2')).toMatchObject({ kind: 'matrix', rows: 10, cols: 10, layer: 2 })
  })

  it('shows the model’s current weights beside dW1, and the engine’s own gradient', () => {
    const lr = 0.03
    const rows = tileRows(stageById(result, 'dW1')!, result, lr)
    expect(rows.map((r) => r.label)).toEqual(['W1', 'dW1'])
    const weights = net.parameters().find((p) => p.name === 'dense1.weight')!.data
    for (let i = 0; i < weights.length; i += 37)
      expect(rows[0].values[i]).toBeCloseTo(weights[i], 6)
    const gradient = engineGradient(net, image(), 3, 'dense1.weight')
    for (let i = 0; i < gradient.length; i++) expect(rows[1].values[i]).toBeCloseTo(gradient[i], 6)
    expect(rows[1].limit).toBe(Math.max(...Array.from(gradient, Math.abs)))
    // The update stage adds the step and the weights after it, on the weights' scale.
    const update = tileRows(stageById(result, 'W1′')!, result, lr)
    expect(update.map((r) => r.label)).toEqual(['W1', '−lr·dW1', 'W1′'])
    expect(update[2].limit).toBe(update[0].limit)
    expect(update[1].values[400]).toBeCloseTo(-lr * gradient[400], 7)
  })

  it('has gradients equal to the engine’s on a deeper sigmoid network too', () => {
    const deep = model('sigmoid', [12, 8])
    const x = image()
    const deepResult = stepThrough(deep, x, 7, 0.1)
    expect(layerCount(deepResult)).toBe(3)
    const dW2 = stageView(stageById(deepResult, 'dW2')!, deepResult)
    expect(dW2).toMatchObject({ kind: 'matrix', rows: 8, cols: 12 })
    const engine = engineGradient(deep, x, 7, 'dense2.weight')
    if (dW2.kind !== 'matrix') throw new Error('dW2 is a matrix')
    for (let i = 0; i < engine.length; i++) expect(dW2.values[i]).toBeCloseTo(engine[i], 6)
    expect(stageView(stageById(deepResult, 'z3')!, deepResult)).toMatchObject({ names: 'digits' })
    expect(stageView(stageById(deepResult, 'dz2')!, deepResult)).toMatchObject({ names: 'units' })
  })
})

describe('step-through helpers', () => {
  it('names the parameter behind a stage and indexes a clicked weight', () => {
    expect(parameterOf('dW1')).toBe('dense1.weight')
    expect(parameterOf('W2′')).toBe('dense2.weight')
    expect(parameterOf('db2')).toBe('dense2.bias')
    expect(parameterOf('p')).toBeNull()
    expect(stageLayer('b1′')).toBe(1)
    expect(stageLayer('loss')).toBeNull()
    expect(weightIndex(3, 14, 14, 784, 28)).toBe(3 * 784 + 14 * 28 + 14)
  })

  it('groups stages by phase in order, keeping their positions', () => {
    const result = stepThrough(model(), image(), 1, 0.03)
    const groups = phaseGroups(result.stages)
    expect(groups.map((g) => g.phase)).toEqual(['forward', 'backward', 'update'])
    expect(groups.map((g) => g.stages.length)).toEqual([6, 7, 4])
    expect(groups[1].stages[0]).toMatchObject({ index: 6, stage: { id: 'dz2' } })
  })

  it('normalises bytes as the host does', () => {
    expect(Array.from(bytesToInput(Uint8Array.of(0, 255, 51)))).toEqual([0, 1, Math.fround(0.2)])
  })
})
