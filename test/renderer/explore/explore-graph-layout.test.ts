// The scalar graph's layout, derived from traceGraph: every node placed, edges between the right
// nodes, left-to-right by depth, and no two boxes (or op nodes) overlapping in any preset.
import { describe, expect, it } from 'vitest'
import { traceGraph, Value, type ValueGraph } from '@core/autograd'
import {
  assignColumns,
  formatOperation,
  layoutGraph,
  nodeFormula,
  opSymbol,
  type GraphLayout
} from '@/explore/scalar-graph/graph-layout'
import {
  defaultValues,
  SCALAR_PRESET_NAMES,
  SCALAR_PRESETS
} from '@/explore/scalar-graph/scalar-presets'

const presetGraph = (name: (typeof SCALAR_PRESET_NAMES)[number]): ValueGraph => {
  const preset = SCALAR_PRESETS[name]
  return traceGraph(preset.build(defaultValues(preset)))
}

interface Rect {
  x: number
  y: number
  width: number
  height: number
}

const overlaps = (a: Rect, b: Rect) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height

/** Boxes and op nodes as rectangles, to check that nothing is drawn over anything else. */
function shapes(layout: GraphLayout): Rect[] {
  return [
    ...layout.boxes,
    ...layout.ops.map((op) => ({
      x: op.cx - op.halfWidth,
      y: op.cy - op.radius,
      width: op.halfWidth * 2,
      height: op.radius * 2
    }))
  ]
}

describe('graph layout', () => {
  it('places every node of the original example, by depth from left to right', () => {
    const graph = presetGraph('original')
    const layout = layoutGraph(graph)
    expect(layout.boxes.map((b) => b.label).sort()).toEqual([
      'L',
      'b',
      'w',
      'x',
      'y',
      'z1',
      'z2',
      'z3'
    ])
    const column = Object.fromEntries(layout.boxes.map((b) => [b.label, b.column]))
    // x, w → z1 → z2 → z3 → L; b and y enter right before the value that uses them.
    expect(column).toEqual({ x: 0, w: 0, z1: 1, b: 1, z2: 2, y: 2, z3: 3, L: 4 })
    for (const box of layout.boxes) {
      for (const other of layout.boxes)
        if (other.column > box.column) expect(other.x).toBeGreaterThan(box.x + box.width)
    }
    expect(layout.boxes.find((b) => b.label === 'z3')!.formula).toBe('y − z2')
    expect(layout.boxes.find((b) => b.label === 'L')!.formula).toBe('z3²')
  })

  it('draws an edge from each operand to its op node, and from the op node to the value', () => {
    const graph = presetGraph('original')
    const layout = layoutGraph(graph)
    const label = (id: number) => graph.nodes[id].label
    const operandEdges = layout.edges
      .filter((e) => e.kind === 'operand')
      .map((e) => `${label(e.from)}→${label(e.to)}`)
    expect(operandEdges.sort()).toEqual(
      ['b→z2', 'w→z1', 'x→z1', 'y→z3', 'z1→z2', 'z2→z3', 'z3→L'].sort()
    )
    const results = layout.edges.filter((e) => e.kind === 'result').map((e) => label(e.to))
    expect(results.sort()).toEqual(['L', 'z1', 'z2', 'z3'])
    expect(layout.ops.map((op) => `${label(op.nodeId)}:${op.symbol}`).sort()).toEqual([
      'L:x²',
      'z1:×',
      'z2:+',
      'z3:−'
    ])
    // Each operand edge starts at its operand's box and ends at the op node in front of its value.
    for (const edge of layout.edges.filter((e) => e.kind === 'operand')) {
      const from = layout.boxes[edge.from]
      const op = layout.ops.find((o) => o.nodeId === edge.to)!
      const [start, end] = [
        edge.path.match(/^M([\d.]+),([\d.]+)/)!,
        edge.path.match(/ ([\d.]+),([\d.]+)$/)!
      ]
      expect(Number(start[1])).toBeCloseTo(from.x + from.width, 0)
      expect(Number(start[2])).toBeCloseTo(from.y + from.height / 2, 0)
      expect(Number(end[1])).toBeCloseTo(op.cx - op.halfWidth, 0)
      expect(op.cx + op.halfWidth).toBeLessThan(layout.boxes[edge.to].x)
    }
  })

  it.each(SCALAR_PRESET_NAMES)(
    'lays out the %s preset without overlaps, inside its bounds',
    (name) => {
      const graph = presetGraph(name)
      const layout = layoutGraph(graph)
      expect(layout.boxes).toHaveLength(graph.nodes.length)
      expect(layout.ops).toHaveLength(graph.nodes.filter((n) => n.children.length > 0).length)
      const all = shapes(layout)
      for (let i = 0; i < all.length; i++) {
        expect(all[i].x).toBeGreaterThanOrEqual(0)
        expect(all[i].y).toBeGreaterThanOrEqual(0)
        expect(all[i].x + all[i].width).toBeLessThanOrEqual(layout.width)
        expect(all[i].y + all[i].height).toBeLessThanOrEqual(layout.height)
        for (let j = i + 1; j < all.length; j++)
          expect(overlaps(all[i], all[j]), `shapes ${i} and ${j}`).toBe(false)
      }
      // The output is the rightmost box.
      const output = layout.boxes[graph.outputId]
      expect(Math.max(...layout.boxes.map((b) => b.x))).toBe(output.x)
    }
  )

  it('handles a value used twice and deep chains without overlaps', () => {
    const a = new Value(3, 'a')
    const c = new Value(-1, 'c')
    let out = a.mul(a).add(c)
    for (let i = 0; i < 6; i++) out = out.tanh().mul(c).add(a)
    const graph = traceGraph(out)
    const layout = layoutGraph(graph)
    const square = graph.nodes.find((n) => n.op === '*' && n.children[0] === n.children[1])!
    const twice = layout.edges.filter((e) => e.kind === 'operand' && e.to === square.id)
    expect(twice).toHaveLength(2)
    expect(twice[0].path).not.toBe(twice[1].path) // both uses visible
    const all = shapes(layout)
    for (let i = 0; i < all.length; i++)
      for (let j = i + 1; j < all.length; j++) expect(overlaps(all[i], all[j])).toBe(false)
    const columns = assignColumns(graph.nodes)
    for (const node of graph.nodes)
      for (const child of node.children) expect(columns[child]).toBeLessThan(columns[node.id])
  })

  it('writes operations the way the notes do', () => {
    expect(opSymbol('**2')).toBe('x²')
    expect(opSymbol('sigmoid')).toBe('σ')
    expect(formatOperation('-', ['10', '8.73'])).toBe('10 − 8.73')
    expect(formatOperation('+', ['0.2', '−0.6'])).toBe('0.2 + (−0.6)')
    expect(formatOperation('*', ['−2.54', '2'])).toBe('(−2.54) · 2')
    expect(formatOperation('**2', ['1.27'])).toBe('1.27²')
    expect(formatOperation('tanh', ['0.8814'])).toBe('tanh(0.8814)')
    const graph = presetGraph('neuron-sigmoid')
    const byLabel = Object.fromEntries(graph.nodes.map((n) => [n.label, n]))
    expect(nodeFormula(byLabel.a, graph.nodes)).toBe('σ(n)')
    expect(nodeFormula(byLabel.e, graph.nodes)).toBe('a − y')
  })
})
