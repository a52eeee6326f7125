// The scalar explorer store: forward reveal order, backward steps that are exactly explainBackward's
// texts, the graph's numbers equal Value's own computation, and gradient descent lowering L.
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { explainBackward, Value } from '@core/autograd'
import {
  forwardText,
  gradientsAfter,
  timelinePoint,
  updateLines
} from '@/explore/scalar-graph/scalar-steps'
import {
  defaultValues,
  SCALAR_PRESET_NAMES,
  SCALAR_PRESETS
} from '@/explore/scalar-graph/scalar-presets'
import { useScalarGraphStore } from '@/explore/scalar-graph/scalar-graph-store'

beforeEach(() => setActivePinia(createPinia()))

const gradByLabel = (store: ReturnType<typeof useScalarGraphStore>) =>
  Object.fromEntries(store.graph.nodes.map((n) => [n.label, store.grads[n.id]]))

describe('scalar graph store', () => {
  it('starts on the original example with the notes’ defaults: z3 = 1.27, L = 1.6129', () => {
    const store = useScalarGraphStore()
    expect(store.presetName).toBe('original')
    expect(store.values).toEqual({ x: 2, w: 2, b: 4.73, y: 10 })
    const byLabel = Object.fromEntries(store.graph.nodes.map((n) => [n.label, n]))
    expect(byLabel.z3.data).toBeCloseTo(1.27, 12)
    expect(store.output.data).toBeCloseTo(1.6129, 12)
    expect(store.position).toBe(0)
    expect(store.revealed).toBe(0)
  })

  it('reveals values node by node in topological order, each from operands already shown', () => {
    const store = useScalarGraphStore()
    const shown: string[] = []
    for (let i = 0; i < store.nodeCount; i++) {
      store.stepForward()
      expect(store.point.phase).toBe('forward')
      const node = store.graph.nodes[store.revealed - 1]
      for (const child of node.children) expect(child).toBeLessThan(store.revealed - 1)
      shown.push(node.label)
    }
    expect(shown).toEqual(['y', 'x', 'w', 'z1', 'b', 'z2', 'z3', 'L'])
    expect(store.forwardLines).toEqual([
      'y = 10',
      'x = 2',
      'w = 2',
      'z1 = x · w = 2 · 2 = 4',
      'b = 4.73',
      'z2 = z1 + b = 4 + 4.73 = 8.73',
      'z3 = y − z2 = 10 − 8.73 = 1.27',
      'L = z3² = 1.27² = 1.6129'
    ])
    expect(Object.values(gradByLabel(store)).every((g) => g === null)).toBe(true)
  })

  it('steps backward one node at a time, with exactly explainBackward’s chain-rule texts', () => {
    const store = useScalarGraphStore()
    store.finishForward()
    const texts: string[] = []
    const visited: string[] = []
    while (store.position < store.lastPosition) {
      store.stepForward()
      const step = store.currentStep!
      visited.push(store.graph.nodes[step.nodeId].label)
      texts.push(...step.terms.map((t) => t.text))
    }
    expect(visited).toEqual(['L', 'z3', 'z2', 'z1'])
    expect(texts).toEqual([
      'dL/dz3 = dL/dL · dL/dz3 = 1 · 2.54 = 2.54',
      'dL/dy = dL/dz3 · dz3/dy = 2.54 · 1 = 2.54',
      'dL/dz2 = dL/dz3 · dz3/dz2 = 2.54 · (−1) = −2.54',
      'dL/dz1 = dL/dz2 · dz2/dz1 = −2.54 · 1 = −2.54',
      'dL/db = dL/dz2 · dz2/db = −2.54 · 1 = −2.54',
      'dL/dx = dL/dz1 · dz1/dx = −2.54 · 2 = −5.08',
      'dL/dw = dL/dz1 · dz1/dw = −2.54 · 2 = −5.08'
    ])
    const grads = gradByLabel(store)
    expect(grads.L).toBe(1)
    expect(grads.z3).toBeCloseTo(2.54, 12)
    expect(grads.z2).toBeCloseTo(-2.54, 12)
    expect(grads.w).toBeCloseTo(-5.08, 12)
    expect(grads.b).toBeCloseTo(-2.54, 12)
  })

  it('shows partial gradients mid-way and none for nodes not reached yet', () => {
    const store = useScalarGraphStore()
    store.finishForward()
    store.stepForward() // visit L
    expect(gradByLabel(store)).toMatchObject({
      L: 1,
      z3: expect.closeTo(2.54, 12),
      z2: null,
      w: null
    })
    store.stepBack()
    expect(store.point.phase).toBe('forward')
    expect(gradByLabel(store).L).toBeNull()
  })

  it.each(SCALAR_PRESET_NAMES)(
    '%s: every number on the graph equals Value’s own forward and backward',
    (name) => {
      const store = useScalarGraphStore()
      store.choosePreset(name)
      store.finishBackward()
      const preset = SCALAR_PRESETS[name]
      const output = preset.build(defaultValues(preset))
      output.backward()
      const reference = new Map(output.topologicalOrder().map((v) => [v.label, v]))
      for (const node of store.graph.nodes) {
        expect(node.data).toBe(reference.get(node.label)!.data)
        expect(store.grads[node.id]).toBeCloseTo(reference.get(node.label)!.grad, 12)
      }
    }
  )

  it('reproduces micrograd’s neuron: o = 0.7071, dL/dn = 0.5, x1.grad = −1.5, w1.grad = 1', () => {
    const store = useScalarGraphStore()
    store.choosePreset('neuron-tanh')
    store.finishBackward()
    expect(store.output.data).toBeCloseTo(Math.SQRT1_2, 6)
    expect(gradByLabel(store)).toMatchObject({
      n: expect.closeTo(0.5, 6),
      x1: expect.closeTo(-1.5, 6),
      w1: expect.closeTo(1, 6),
      x2: expect.closeTo(0.5, 6),
      w2: 0
    })
  })

  it('edits an input: the graph is recomputed and the position kept', () => {
    const store = useScalarGraphStore()
    store.finishBackward()
    store.setValue('w', 3)
    expect(store.position).toBe(store.lastPosition)
    expect(store.output.data).toBeCloseTo((10 - (2 * 3 + 4.73)) ** 2, 12)
    store.setValue('w', Number.NaN) // ignored
    expect(store.values.w).toBe(3)
    store.resetValues()
    expect(store.values.w).toBe(2)
  })

  it('one update follows w.data += −lr · w.grad and lowers L', () => {
    const store = useScalarGraphStore()
    expect(store.pendingUpdate.map((u) => u.text)).toEqual([
      'w ← 2 − 0.01 · (−5.08) = 2.0508',
      'b ← 4.73 − 0.01 · (−2.54) = 4.7554'
    ])
    const before = store.output.data
    store.finishBackward()
    store.applyUpdate()
    expect(store.values.w).toBeCloseTo(2 + 0.01 * 5.08, 12)
    expect(store.values.b).toBeCloseTo(4.73 + 0.01 * 2.54, 12)
    expect(store.values.x).toBe(2) // data stays
    expect(store.output.data).toBeLessThan(before)
    expect(store.position).toBe(store.nodeCount) // values recomputed, gradients to be stepped again
    expect(store.history.map((p) => p.x)).toEqual([0, 1])
  })

  it('runs N iterations: L falls monotonically and the history grows by N', () => {
    const store = useScalarGraphStore()
    store.setIterations(30)
    store.runIterations()
    expect(store.history).toHaveLength(31)
    const ys = store.history.map((p) => p.y)
    for (let i = 1; i < ys.length; i++) expect(ys[i]).toBeLessThan(ys[i - 1])
    // z3 shrinks by (1 − lr·2·(x² + 1)) = 0.9 per update here.
    expect(ys[30]).toBeCloseTo((1.27 * 0.9 ** 30) ** 2, 9)
    store.runIterations(5)
    expect(store.history.at(-1)!.x).toBe(35)
    store.setValue('y', 9) // a new problem: the curve starts over
    expect(store.history).toHaveLength(1)
    store.setIterations(0) // ignored
    expect(store.iterationsToRun).toBe(30)
  })

  it('lowers the loss of the two-input neuron too', () => {
    const store = useScalarGraphStore()
    store.choosePreset('neuron-sigmoid')
    const before = store.output.data
    store.runIterations(50)
    expect(store.output.data).toBeLessThan(before / 2)
  })
})

describe('scalar timeline helpers', () => {
  it('maps positions to start, forward reveals and backward steps', () => {
    const x = new Value(2, 'x')
    const out = x.mul(x)
    out.label = 'out'
    const steps = explainBackward(out)
    expect(timelinePoint(0, 2, steps)).toEqual({ phase: 'start' })
    expect(timelinePoint(2, 2, steps)).toEqual({ phase: 'forward', index: 1, nodeId: 1 })
    expect(timelinePoint(3, 2, steps)).toEqual({ phase: 'backward', index: 0, nodeId: 1 })
  })

  it('writes forward lines and update lines with the notes’ number format', () => {
    const a = new Value(-1.27, 'a')
    const out = a.pow(2)
    out.label = 'out'
    const nodes = [
      { id: 0, label: 'a', op: '' as const, data: -1.27, grad: 0, children: [] },
      { id: 1, label: 'out', op: out.op, data: out.data, grad: 0, children: [0] }
    ]
    expect(forwardText(nodes[1], nodes)).toBe('out = a² = (−1.27)² = 1.6129')
    expect(updateLines([{ name: 'w', data: 1, grad: 2 }], 0.00001)[0].text).toBe(
      'w ← 1 − 1e−5 · 2 = 1'
    )
    const graph = { nodes, outputId: 1 }
    expect(gradientsAfter(graph, explainBackward(out), 0)).toEqual([null, null])
  })
})
