// Gradient descent on a scalar expression: what the scalar explorer's "Apply update" and "Run N
// iterations" do, with the update rule written once.

import type { Value } from './value'

/** One parameter's gradient-descent update:  θ ← θ − lr · ∂L/∂θ */
export function descentStep(theta: number, grad: number, learningRate: number): number {
  return theta - learningRate * grad
}

export interface Descent {
  /** Every leaf's value after the last update (the parameters moved, the data as given). */
  readonly values: Record<string, number>
  /** L after each update, L₁ … Lₙ: fewer than asked when L stopped being finite. */
  readonly losses: number[]
}

/**
 * Gradient descent on the leaves named `parameters` of the expression `build` makes from `start`
 * (every leaf labelled with its name, as `build` receives them):
 *
 *   for t = 0 … steps − 1:
 *     L_t = build(θ_t);  L_t.backward()          the gradients ∂L_t/∂θ at θ_t
 *     θ_{t+1} = θ_t − lr · ∂L_t/∂θ               every parameter at once; the other leaves stay
 *     record L_{t+1} = build(θ_{t+1})
 *
 * Stops after the first L that is not finite, so a learning rate that diverges shows where.
 */
export function gradientDescent(
  build: (values: Readonly<Record<string, number>>) => Value,
  start: Readonly<Record<string, number>>,
  parameters: readonly string[],
  learningRate: number,
  steps: number
): Descent {
  const values = { ...start }
  const losses: number[] = []
  let L = build(values)
  for (let t = 0; t < steps; t++) {
    L.backward()
    const grads = gradientsByLabel(L, parameters)
    for (const name of parameters)
      values[name] = descentStep(values[name], grads[name], learningRate)
    L = build(values)
    losses.push(L.data)
    if (!Number.isFinite(L.data)) break
  }
  return { values, losses }
}

/** ∂L/∂leaf for each named leaf of L's graph (after L.backward()); throws for a name not in it. */
function gradientsByLabel(L: Value, names: readonly string[]): Record<string, number> {
  const byLabel = new Map(L.topologicalOrder().map((node) => [node.label, node.grad]))
  const grads: Record<string, number> = {}
  for (const name of names) {
    const grad = byLabel.get(name)
    if (grad === undefined) throw new Error(`gradientDescent: the expression has no leaf '${name}'`)
    grads[name] = grad
  }
  return grads
}
