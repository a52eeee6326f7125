// The computation graph of a Value as plain data, and backpropagation as a list of explained steps:
// what the backprop explorer draws and narrates, derived from the Value graph itself.

import type { Value, ValueOp } from './value'

export interface GraphNode {
  /** Position in topological order: every child has a smaller id than its parents. */
  readonly id: number
  readonly label: string
  readonly op: ValueOp
  readonly data: number
  readonly grad: number
  /** Ids of the operands, in operand order (a child may appear twice, as in a·a). */
  readonly children: readonly number[]
}

export interface ValueGraph {
  /** Topological order: leaves first, the output last. */
  readonly nodes: readonly GraphNode[]
  readonly outputId: number
}

/** One term of the chain rule: how much of the gradient reaches one operand. */
export interface ChainRuleTerm {
  readonly childId: number
  /** ∂node/∂child, the local derivative. */
  readonly local: number
  /** ∂L/∂node · ∂node/∂child: what this path adds to the child's gradient. */
  readonly contribution: number
  /** The child's gradient after this term is added. */
  readonly childGradAfter: number
  /** e.g. "dL/dz2 = dL/dz3 · dz3/dz2 = 2.54 · (−1) = −2.54" (with "+=" when the child already had gradient). */
  readonly text: string
}

/** Visiting one node during backward(): its gradient flows into its operands. */
export interface BackwardStep {
  readonly nodeId: number
  /** ∂L/∂node at the moment it is visited (complete: every parent has been visited). */
  readonly grad: number
  readonly terms: readonly ChainRuleTerm[]
}

/** Snapshot of the graph under `output` (data and grad as they are now), labelling unnamed nodes. */
export function traceGraph(output: Value): ValueGraph {
  const order = output.topologicalOrder()
  const ids = new Map(order.map((node, id) => [node, id]))
  const nodes = order.map((node, id) => ({
    id,
    label: nodeName(node, id),
    op: node.op,
    data: node.data,
    grad: node.grad,
    children: node.children.map((child) => ids.get(child)!)
  }))
  return { nodes, outputId: nodes.length - 1 }
}

/**
 * Runs backpropagation from `output` one node at a time, recording each chain-rule step with its
 * numbers. Resets every gradient in the graph first, and leaves the gradients exactly as
 * `output.backward()` would.
 */
export function explainBackward(
  output: Value,
  format: (x: number) => string = formatNumber
): BackwardStep[] {
  const order = output.topologicalOrder()
  const ids = new Map(order.map((node, id) => [node, id]))
  for (const node of order) node.grad = 0
  output.grad = 1
  const steps: BackwardStep[] = []
  const name = (node: Value) => nodeName(node, ids.get(node)!)
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i]
    if (node.children.length === 0) continue
    const local = node.localDerivatives()
    const terms = node.children.map((child, k) => {
      const hadGradient = child.grad !== 0
      const contribution = local[k] * node.grad
      child.grad += contribution
      const lhs = `dL/d${name(child)}`
      const text =
        `${lhs} ${hadGradient ? '+=' : '='} dL/d${name(node)} · d${name(node)}/d${name(child)} = ` +
        `${format(node.grad)} · ${parenthesise(format(local[k]))} = ${format(contribution)}` +
        (hadGradient ? `, so ${lhs} = ${format(child.grad)}` : '')
      return {
        childId: ids.get(child)!,
        local: local[k],
        contribution,
        childGradAfter: child.grad,
        text
      }
    })
    steps.push({ nodeId: ids.get(node)!, grad: node.grad, terms })
  }
  return steps
}

/** The node's label, or a stable made-up one ("n3") for intermediate values nobody named. */
function nodeName(node: Value, id: number): string {
  return node.label || `n${id}`
}

/**
 * Up to 4 decimals, trailing zeros dropped, a real minus sign: 2.54, −2.54, 1.6129. Below 0.001, 3
 * significant digits (0.00065, 4.28e−5), so a value that is not 0 never reads as 0: after 50
 * updates z3 = 0.0065 and L = z3² = 0.0000428, which 4 decimals would write "0.0065² = 0".
 */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x)
  const a = Math.abs(x)
  if (a !== 0 && a < 1e-4)
    return x
      .toExponential(2)
      .replace(/\.?0+e/, 'e')
      .replace(/-/g, '−')
  const rounded = a < 1e-3 ? Number(x.toPrecision(3)) : Math.round(x * 1e4) / 1e4
  const text = String(Object.is(rounded, -0) ? 0 : rounded)
  return text.replace('-', '−')
}

function parenthesise(text: string): string {
  return text.startsWith('−') ? `(${text})` : text
}
