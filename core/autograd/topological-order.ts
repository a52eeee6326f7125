// Depth-first post-order of a graph without cycles: every node after all the nodes it depends on.

/**
 * Every node reachable from `root` through `children`, each once, listed after all of its children
 * (visited in their order) and with `root` last: an order in which the graph's values can be computed,
 * and whose reverse is the order in which backpropagation visits them.
 * NOTE: an explicit stack instead of recursion, so a long chain (a training loop unrolled into
 * thousands of nodes) cannot overflow the call stack. Each node is pushed twice: once to expand its
 * children, once (expanded) to be emitted after them.
 */
export function topologicalOrder<Node>(
  root: Node,
  children: (node: Node) => readonly Node[]
): Node[] {
  const order: Node[] = []
  const visited = new Set<Node>()
  const stack: { node: Node; expanded: boolean }[] = [{ node: root, expanded: false }]
  while (stack.length > 0) {
    const top = stack.pop()!
    if (top.expanded) {
      order.push(top.node)
      continue
    }
    if (visited.has(top.node)) continue
    visited.add(top.node)
    stack.push({ node: top.node, expanded: true })
    const next = children(top.node)
    for (let i = next.length - 1; i >= 0; i--)
      if (!visited.has(next[i])) stack.push({ node: next[i], expanded: false })
  }
  return order
}
