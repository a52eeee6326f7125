// Lays out a traced Value graph left to right, like micrograd's draw_dot: a box per value, a small op
// node in front of every computed value, edges child → op → value. Pure geometry (no DOM), so it is
// unit-tested; the SVG component only draws what this returns.

import { topologicalOrder, type GraphNode, type ValueGraph, type ValueOp } from '@core/autograd'

export interface LayoutOptions {
  /** Height of a value box (header row + data row + grad row). */
  readonly boxHeight: number
  readonly minBoxWidth: number
  /** Horizontal space between two columns of boxes; the op nodes sit near its right end. */
  readonly columnGap: number
  /** Space between an op node and the value it computes. */
  readonly opGap: number
  /** Vertical space between two boxes of one column. */
  readonly rowGap: number
  /** Estimated width of one character of box text (layout must not depend on a font being loaded). */
  readonly charWidth: number
  readonly boxPadding: number
  readonly margin: number
  readonly opRadius: number
}

export const DEFAULT_LAYOUT: LayoutOptions = {
  boxHeight: 64,
  minBoxWidth: 104,
  columnGap: 100,
  opGap: 16,
  rowGap: 16,
  charWidth: 7,
  boxPadding: 10,
  margin: 12,
  opRadius: 14
}

export interface NodeBox {
  readonly id: number
  readonly label: string
  /** e.g. "y − z2" for z3 = y − z2; '' for a leaf. */
  readonly formula: string
  readonly column: number
  /** Top-left corner. */
  readonly x: number
  readonly y: number
  readonly width: number
  readonly height: number
}

/** The operation in front of a computed value: a circle (or a pill for a long name like "tanh"). */
export interface OpNode {
  readonly nodeId: number
  readonly symbol: string
  readonly cx: number
  readonly cy: number
  /** Half the width; equals the radius for a circle. */
  readonly halfWidth: number
  readonly radius: number
}

export interface LayoutEdge {
  readonly key: string
  /** operand: child value → op node; result: op node → value. */
  readonly kind: 'operand' | 'result'
  readonly from: number
  readonly to: number
  /** The operand position for 'operand' edges (0 for the first operand). */
  readonly operand: number
  /** SVG path data. */
  readonly path: string
  /** Where a label on this edge goes (the middle of an operand edge). */
  readonly labelX: number
  readonly labelY: number
}

export interface GraphLayout {
  /** Indexed by node id. */
  readonly boxes: readonly NodeBox[]
  readonly ops: readonly OpNode[]
  readonly edges: readonly LayoutEdge[]
  readonly width: number
  readonly height: number
}

const POWER_DIGITS: Record<string, string> = {
  '0': '⁰',
  '1': '¹',
  '2': '²',
  '3': '³',
  '4': '⁴',
  '5': '⁵',
  '6': '⁶',
  '7': '⁷',
  '8': '⁸',
  '9': '⁹',
  '-': '⁻',
  '.': '·'
}

/** The symbol drawn in an op node: ×, +, −, ÷, x², tanh, σ, ReLU, exp, ln. */
export function opSymbol(op: ValueOp): string {
  if (op.startsWith('**')) return `x${superscript(op.slice(2))}`
  const symbols: Record<string, string> = {
    '+': '+',
    '-': '−',
    '*': '×',
    '/': '÷',
    neg: '−x',
    relu: 'ReLU',
    tanh: 'tanh',
    sigmoid: 'σ',
    exp: 'exp',
    log: 'ln',
    '': ''
  }
  return symbols[op] ?? op
}

function superscript(text: string): string {
  return [...text].map((c) => POWER_DIGITS[c] ?? c).join('')
}

/** The right-hand side that computed `node`, written with its operands' labels: "y − z2", "tanh(n)", "z3²". */
export function nodeFormula(node: GraphNode, nodes: readonly GraphNode[]): string {
  const names = node.children.map((id) => nodes[id].label)
  return formatOperation(node.op, names)
}

/** An operation applied to operands written as text (labels, or numbers). */
export function formatOperation(op: ValueOp, operands: readonly string[]): string {
  const [a, b] = operands
  if (op === '') return ''
  if (op.startsWith('**')) return `${wrap(a)}${superscript(op.slice(2))}`
  switch (op) {
    case '+':
      return `${a} + ${wrap(b)}`
    case '-':
      return `${a} − ${wrap(b)}`
    case '*':
      return `${wrap(a)} · ${wrap(b)}`
    case '/':
      return `${wrap(a)} / ${wrap(b)}`
    case 'neg':
      return `−${wrap(a)}`
    case 'relu':
      return `ReLU(${a})`
    case 'sigmoid':
      return `σ(${a})`
    case 'log':
      return `ln(${a})`
    default:
      return `${op}(${a})`
  }
}

/** Parenthesises negative numbers and compound text, so "2.54 · (−1)" and "(−1.27)²" read right. */
function wrap(text: string): string {
  return /^[−-]|[ +·/]/.test(text) ? `(${text})` : text
}

/**
 * Columns: a computed value sits one column right of its deepest operand; a leaf sits just left of
 * the first value that uses it (so b enters next to z1 + b, not at the far left).
 */
export function assignColumns(nodes: readonly GraphNode[]): number[] {
  const column = new Array<number>(nodes.length).fill(0)
  for (const node of nodes) {
    if (node.children.length > 0)
      column[node.id] = Math.max(...node.children.map((c) => column[c])) + 1
  }
  const parentsOf = parents(nodes)
  for (const node of nodes) {
    const users = parentsOf[node.id]
    if (node.children.length === 0 && users.length > 0)
      column[node.id] = Math.min(...users.map((p) => column[p])) - 1
  }
  return column
}

function parents(nodes: readonly GraphNode[]): number[][] {
  const result = nodes.map(() => [] as number[])
  for (const node of nodes) for (const child of new Set(node.children)) result[child].push(node.id)
  return result
}

/**
 * Rows, in units of one box slot, filled column by column from the left. A computed value sits at the
 * mean of its operands. A leaf sits next to the operands it is combined with (b just below z1 for
 * z1 + b; y just above z2 for y − z2, as the operand order reads); leaves combined only with other
 * leaves (x · w) take consecutive slots in the order a depth-first walk from the output meets them.
 * Then boxes that would overlap are pushed down until each is at least one slot below the one above.
 */
export function assignRows(
  nodes: readonly GraphNode[],
  outputId: number,
  column: readonly number[]
): number[] {
  const walk = topologicalOrder(outputId, (id) => nodes[id].children) // operands before their users
  const order = new Map(walk.map((id, i) => [id, i]))
  const parentsOf = parents(nodes)
  const row = new Array<number>(nodes.length).fill(Number.NaN)
  let nextSlot = 0
  const columns = Math.max(0, ...column) + 1
  for (let c = 0; c < columns; c++) {
    const inColumn = nodes.filter((n) => column[n.id] === c)
    for (const node of inColumn) {
      if (node.children.length > 0)
        row[node.id] = node.children.reduce((s, id) => s + row[id], 0) / node.children.length
    }
    const leaves = inColumn
      .filter((n) => n.children.length === 0)
      .sort((a, b) => (order.get(a.id) ?? a.id) - (order.get(b.id) ?? b.id))
    for (const leaf of leaves)
      row[leaf.id] = besideSiblings(leaf.id, nodes, parentsOf[leaf.id], column, row) ?? nextSlot++
    inColumn.sort((a, b) => row[a.id] - row[b.id] || a.id - b.id)
    for (let i = 1; i < inColumn.length; i++) {
      const above = row[inColumn[i - 1].id]
      if (row[inColumn[i].id] < above + 1) row[inColumn[i].id] = above + 1
    }
    for (const node of inColumn) nextSlot = Math.max(nextSlot, Math.floor(row[node.id]) + 1)
  }
  const top = Math.min(...row)
  return row.map((r) => r - top)
}

/** The row beside the already placed operands of the leaf's first (leftmost) user, or null if none is placed. */
function besideSiblings(
  leafId: number,
  nodes: readonly GraphNode[],
  users: readonly number[],
  column: readonly number[],
  row: readonly number[]
): number | null {
  if (users.length === 0) return null
  const parent = nodes[users.reduce((best, id) => (column[id] < column[best] ? id : best))]
  const position = parent.children.indexOf(leafId)
  const placed = parent.children
    .map((id, k) => ({ id, k }))
    .filter(({ id }) => id !== leafId && !Number.isNaN(row[id]))
  const before = placed.filter(({ k }) => k < position)
  const after = placed.filter(({ k }) => k > position)
  if (before.length > 0) return Math.max(...before.map(({ id }) => row[id])) + 1
  if (after.length > 0) return Math.min(...after.map(({ id }) => row[id])) - 1
  return null
}

/** Boxes, op nodes and edges for the whole graph, in SVG user units. */
export function layoutGraph(
  graph: ValueGraph,
  options: LayoutOptions = DEFAULT_LAYOUT
): GraphLayout {
  const { nodes } = graph
  const o = options
  const column = assignColumns(nodes)
  const row = assignRows(nodes, graph.outputId, column)
  const formulas = nodes.map((n) => nodeFormula(n, nodes))
  const widths = nodes.map((n, i) => boxWidth(n.label, formulas[i], o))
  const columns = Math.max(0, ...column) + 1
  const columnWidth = Array.from({ length: columns }, (_, c) =>
    Math.max(o.minBoxWidth, ...nodes.filter((n) => column[n.id] === c).map((n) => widths[n.id]))
  )
  const columnX: number[] = []
  let x = o.margin
  for (let c = 0; c < columns; c++) {
    columnX.push(x)
    x += columnWidth[c] + o.columnGap
  }
  const pitch = o.boxHeight + o.rowGap
  const boxes: NodeBox[] = nodes.map((n) => ({
    id: n.id,
    label: n.label,
    formula: formulas[n.id],
    column: column[n.id],
    x: columnX[column[n.id]],
    y: o.margin + row[n.id] * pitch,
    width: columnWidth[column[n.id]],
    height: o.boxHeight
  }))

  const ops: OpNode[] = []
  const edges: LayoutEdge[] = []
  for (const node of nodes) {
    if (node.children.length === 0) continue
    const box = boxes[node.id]
    const symbol = opSymbol(node.op)
    const halfWidth = Math.max(o.opRadius, (symbol.length * o.charWidth + 12) / 2)
    const op: OpNode = {
      nodeId: node.id,
      symbol,
      cx: box.x - o.opGap - halfWidth,
      cy: box.y + box.height / 2,
      halfWidth,
      radius: o.opRadius
    }
    ops.push(op)
    const count = node.children.length
    node.children.forEach((childId, operand) => {
      const child = boxes[childId]
      const x1 = child.x + child.width
      const y1 = child.y + child.height / 2
      const x2 = op.cx - op.halfWidth
      // Operands meet the op node slightly apart, so a value used twice (a · a) shows two edges.
      const y2 = op.cy + (count > 1 ? (operand - (count - 1) / 2) * 8 : 0)
      const bend = Math.max(16, (x2 - x1) / 2)
      edges.push({
        key: `${childId}-${node.id}-${operand}`,
        kind: 'operand',
        from: childId,
        to: node.id,
        operand,
        path: `M${r(x1)},${r(y1)} C${r(x1 + bend)},${r(y1)} ${r(x2 - bend)},${r(y2)} ${r(x2)},${r(y2)}`,
        labelX: r(bezierMid(x1, x1 + bend, x2 - bend, x2)),
        labelY: r(bezierMid(y1, y1, y2, y2))
      })
    })
    edges.push({
      key: `op-${node.id}`,
      kind: 'result',
      from: node.id,
      to: node.id,
      operand: 0,
      path: `M${r(op.cx + op.halfWidth)},${r(op.cy)} L${r(box.x)},${r(op.cy)}`,
      labelX: r((op.cx + op.halfWidth + box.x) / 2),
      labelY: r(op.cy)
    })
  }
  const width = Math.max(...boxes.map((b) => b.x + b.width)) + o.margin
  const height = Math.max(...boxes.map((b) => b.y + b.height)) + o.margin
  return { boxes, ops, edges, width, height }
}

function boxWidth(label: string, formula: string, o: LayoutOptions): number {
  const header = formula ? `${label} = ${formula}` : label
  const rows = 'grad −00.0000' // the widest data/grad row formatNumber usually produces
  return Math.ceil(Math.max(header.length, rows.length) * o.charWidth + 2 * o.boxPadding)
}

/** The point of a cubic Bézier at t = ½ (one coordinate). */
function bezierMid(p0: number, p1: number, p2: number, p3: number): number {
  return (p0 + 3 * p1 + 3 * p2 + p3) / 8
}

function r(v: number): number {
  return Math.round(v * 10) / 10
}
