// The scalar explorer's timeline as plain functions: which node a position shows, the forward pass
// written out with numbers, the gradients known after k backward steps, and the update lines.

import {
  descentStep,
  formatNumber,
  type BackwardStep,
  type GraphNode,
  type ValueGraph
} from '@core/autograd'
import { formatOperation, nodeFormula } from './graph-layout'

/**
 * One position on the timeline of `nodeCount` forward reveals followed by `stepCount` backward steps:
 * 0 shows nothing computed yet; 1..nodeCount reveal nodes in topological order; then one backward
 * step (one node visited, explainBackward) per position.
 */
export type TimelinePoint =
  | { readonly phase: 'start' }
  | { readonly phase: 'forward'; readonly index: number; readonly nodeId: number }
  | { readonly phase: 'backward'; readonly index: number; readonly nodeId: number }

export function timelinePoint(
  position: number,
  nodeCount: number,
  steps: readonly BackwardStep[]
): TimelinePoint {
  if (position <= 0) return { phase: 'start' }
  if (position <= nodeCount) return { phase: 'forward', index: position - 1, nodeId: position - 1 }
  const index = Math.min(position - nodeCount, steps.length) - 1
  return { phase: 'backward', index, nodeId: steps[index].nodeId }
}

/** How many nodes show their data at `position` (all of them once backward has started). */
export function revealedCount(position: number, nodeCount: number): number {
  return Math.max(0, Math.min(position, nodeCount))
}

/** "z1 = x · w = 2 · 2 = 4"; a leaf reads "x = 2". */
export function forwardText(node: GraphNode, nodes: readonly GraphNode[]): string {
  if (node.children.length === 0) return `${node.label} = ${formatNumber(node.data)}`
  const numbers = formatOperation(
    node.op,
    node.children.map((id) => formatNumber(nodes[id].data))
  )
  return `${node.label} = ${nodeFormula(node, nodes)} = ${numbers} = ${formatNumber(node.data)}`
}

/**
 * Each node's gradient after the first `done` backward steps, or null while no gradient has reached
 * it in this pass. The output's gradient is the seed, dL/dL = 1, from the first step on.
 */
export function gradientsAfter(
  graph: ValueGraph,
  steps: readonly BackwardStep[],
  done: number
): (number | null)[] {
  const grads: (number | null)[] = graph.nodes.map(() => null)
  if (done <= 0) return grads
  grads[graph.outputId] = 1
  for (const step of steps.slice(0, done))
    for (const term of step.terms) grads[term.childId] = term.childGradAfter
  return grads
}

export interface UpdateLine {
  readonly name: string
  readonly data: number
  readonly grad: number
  readonly next: number
  /** "w ← 2 − 0.01 · (−5.08) = 2.0508" */
  readonly text: string
}

/** One gradient-descent update of each parameter (core's descentStep), with the arithmetic written out. */
export function updateLines(
  parameters: readonly { readonly name: string; readonly data: number; readonly grad: number }[],
  learningRate: number
): UpdateLine[] {
  return parameters.map(({ name, data, grad }) => {
    const next = descentStep(data, grad, learningRate)
    const step = `${formatNumber(learningRate)} · ${paren(formatNumber(grad))}`
    return {
      name,
      data,
      grad,
      next,
      text: `${name} ← ${formatNumber(data)} − ${step} = ${formatNumber(next)}`
    }
  })
}

function paren(text: string): string {
  return text.startsWith('−') ? `(${text})` : text
}
