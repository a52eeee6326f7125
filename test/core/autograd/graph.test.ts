import { describe, expect, it } from 'vitest'
import { explainBackward, formatNumber, traceGraph, Value } from '../../../core'

/** The original notes' example, with the notes' names. */
function originalExample() {
  const x = new Value(2, 'x')
  const w = new Value(2, 'w')
  const b = new Value(4.73, 'b')
  const y = new Value(10, 'y')
  const z1 = x.mul(w)
  z1.label = 'z1'
  const z2 = z1.add(b)
  z2.label = 'z2'
  const z3 = y.sub(z2)
  z3.label = 'z3'
  const L = z3.pow(2)
  L.label = 'L'
  return { x, w, b, y, z1, z2, z3, L }
}

describe('traceGraph', () => {
  it('derives nodes and edges from the Value graph, leaves first', () => {
    const { L } = originalExample()
    const graph = traceGraph(L)
    const byLabel = Object.fromEntries(graph.nodes.map((n) => [n.label, n]))
    expect(graph.nodes.at(-1)!.label).toBe('L')
    expect(graph.outputId).toBe(graph.nodes.length - 1)
    expect(byLabel.z1.op).toBe('*')
    expect(byLabel.z1.children.map((id) => graph.nodes[id].label)).toEqual(['x', 'w'])
    expect(byLabel.z3.children.map((id) => graph.nodes[id].label)).toEqual(['y', 'z2'])
    expect(byLabel.L.op).toBe('**2')
    for (const node of graph.nodes)
      for (const child of node.children) expect(child).toBeLessThan(node.id)
    expect(byLabel.z3.data).toBeCloseTo(1.27, 12)
  })

  it('names unlabelled intermediate nodes', () => {
    const graph = traceGraph(new Value(1, 'a').mul(2).tanh())
    expect(graph.nodes.map((n) => n.label)).toEqual(['a', 'n1', 'n2', 'n3'])
  })
})

describe('explainBackward', () => {
  it('writes out the original notes’ chain rule with their numbers: 2.54, −2.54, −5.08', () => {
    const { L, w, b } = originalExample()
    const text = explainBackward(L).flatMap((step) => step.terms.map((t) => t.text))
    expect(text).toEqual([
      'dL/dz3 = dL/dL · dL/dz3 = 1 · 2.54 = 2.54',
      'dL/dy = dL/dz3 · dz3/dy = 2.54 · 1 = 2.54',
      'dL/dz2 = dL/dz3 · dz3/dz2 = 2.54 · (−1) = −2.54',
      'dL/dz1 = dL/dz2 · dz2/dz1 = −2.54 · 1 = −2.54',
      'dL/db = dL/dz2 · dz2/db = −2.54 · 1 = −2.54',
      'dL/dx = dL/dz1 · dz1/dx = −2.54 · 2 = −5.08',
      'dL/dw = dL/dz1 · dz1/dw = −2.54 · 2 = −5.08'
    ])
    expect(w.grad).toBeCloseTo(-5.08, 12)
    expect(b.grad).toBeCloseTo(-2.54, 12)
  })

  it('leaves exactly the gradients backward() computes, on any expression', () => {
    const build = () => {
      const a = new Value(0.7, 'a')
      const c = new Value(-1.3, 'c')
      const out = a.mul(c).add(a.pow(3)).tanh().add(c.exp().log()).sub(a.div(c).sigmoid()).relu()
      return { a, c, out }
    }
    const reference = build()
    reference.out.backward()
    const explained = build()
    explainBackward(explained.out)
    expect(explained.a.grad).toBeCloseTo(reference.a.grad, 12)
    expect(explained.c.grad).toBeCloseTo(reference.c.grad, 12)
  })

  it('shows accumulation when a value is used twice', () => {
    const a = new Value(3, 'a')
    const out = a.mul(a)
    out.label = 'out'
    const [step] = explainBackward(out)
    expect(step.terms.map((t) => t.text)).toEqual([
      'dL/da = dL/dout · dout/da = 1 · 3 = 3',
      'dL/da += dL/dout · dout/da = 1 · 3 = 3, so dL/da = 6'
    ])
    expect(a.grad).toBe(6)
  })

  it('formats numbers like the notes, and never writes a value that is not 0 as 0', () => {
    expect(formatNumber(-5.08)).toBe('−5.08')
    expect(formatNumber(1.61290000001)).toBe('1.6129')
    expect(formatNumber(0)).toBe('0')
    expect(formatNumber(-0)).toBe('0')
    expect(formatNumber(0.0065)).toBe('0.0065')
    expect(formatNumber(0.000654321)).toBe('0.000654')
    // L = z3² after 50 updates: "0.0065² = 0" was wrong arithmetic on screen
    expect(formatNumber(0.0065 ** 2)).toBe('4.22e−5') // 0.0065² is stored just below 4.225e−5
    expect(formatNumber(-0.00001)).toBe('−1e−5')
    expect(formatNumber(4.2e-7)).toBe('4.2e−7')
  })
})
