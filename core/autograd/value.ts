// The teaching engine: a scalar with a gradient, after karpathy/micrograd's engine.py.
// Every operation records its inputs and how to push the output's gradient back into them (the chain rule).

/** The name of the operation that produced a Value ('' for a leaf the user created). */
export type ValueOp =
  | ''
  | '+'
  | '-'
  | '*'
  | '/'
  | 'neg'
  | `**${number}`
  | 'relu'
  | 'tanh'
  | 'sigmoid'
  | 'exp'
  | 'log'

/**
 * A scalar node in a computation graph: its value `data`, and `grad` = ∂L/∂(this node) once
 * `L.backward()` has run.
 *
 *   const x = new Value(2), w = new Value(2), b = new Value(4.73), y = new Value(10)
 *   const L = y.sub(x.mul(w).add(b)).pow(2)   // L = (y − (x·w + b))²
 *   L.backward()                              // w.grad = −5.08
 */
export class Value {
  data: number
  grad = 0
  label: string
  /** The Values this one was computed from (micrograd's `_prev`). */
  readonly children: readonly Value[]
  /** The operation that computed this Value (micrograd's `_op`). */
  readonly op: ValueOp
  /** Adds this node's gradient, times each local derivative, into its children's gradients. */
  private backwardStep: () => void = () => {}

  constructor(data: number, label = '', children: readonly Value[] = [], op: ValueOp = '') {
    this.data = data
    this.label = label
    this.children = children
    this.op = op
  }

  /** out = this + other      ∂out/∂this = 1,  ∂out/∂other = 1 */
  add(other: Value | number): Value {
    const that = toValue(other)
    const out = Value.fromOp(this.data + that.data, [this, that], '+')
    out.backwardStep = () => {
      this.grad += out.grad
      that.grad += out.grad
    }
    return out
  }

  /** out = this − other      ∂out/∂this = 1,  ∂out/∂other = −1 */
  sub(other: Value | number): Value {
    const that = toValue(other)
    const out = Value.fromOp(this.data - that.data, [this, that], '-')
    out.backwardStep = () => {
      this.grad += out.grad
      that.grad -= out.grad
    }
    return out
  }

  /** out = this · other      ∂out/∂this = other,  ∂out/∂other = this */
  mul(other: Value | number): Value {
    const that = toValue(other)
    const out = Value.fromOp(this.data * that.data, [this, that], '*')
    out.backwardStep = () => {
      this.grad += that.data * out.grad
      that.grad += this.data * out.grad
    }
    return out
  }

  /** out = this / other      ∂out/∂this = 1/other,  ∂out/∂other = −this/other² */
  div(other: Value | number): Value {
    const that = toValue(other)
    const out = Value.fromOp(this.data / that.data, [this, that], '/')
    out.backwardStep = () => {
      this.grad += out.grad / that.data
      that.grad -= (this.data / (that.data * that.data)) * out.grad
    }
    return out
  }

  /** out = thisⁿ for a constant n      ∂out/∂this = n·thisⁿ⁻¹ */
  pow(exponent: number): Value {
    if (typeof exponent !== 'number') throw new TypeError('pow: only constant number exponents are supported')
    const out = Value.fromOp(this.data ** exponent, [this], `**${exponent}`)
    out.backwardStep = () => {
      this.grad += exponent * this.data ** (exponent - 1) * out.grad
    }
    return out
  }

  /** out = −this      ∂out/∂this = −1 */
  neg(): Value {
    const out = Value.fromOp(-this.data, [this], 'neg')
    out.backwardStep = () => {
      this.grad -= out.grad
    }
    return out
  }

  /** out = max(0, this)      ∂out/∂this = 1 if this > 0, else 0 (micrograd's choice at 0) */
  relu(): Value {
    const out = Value.fromOp(this.data < 0 ? 0 : this.data, [this], 'relu')
    out.backwardStep = () => {
      this.grad += (out.data > 0 ? 1 : 0) * out.grad
    }
    return out
  }

  /** out = tanh(this)      ∂out/∂this = 1 − out² */
  tanh(): Value {
    const t = Math.tanh(this.data)
    const out = Value.fromOp(t, [this], 'tanh')
    out.backwardStep = () => {
      this.grad += (1 - t * t) * out.grad
    }
    return out
  }

  /** out = σ(this) = 1 / (1 + e^−this)      ∂out/∂this = out·(1 − out) */
  sigmoid(): Value {
    const s = 1 / (1 + Math.exp(-this.data))
    const out = Value.fromOp(s, [this], 'sigmoid')
    out.backwardStep = () => {
      this.grad += s * (1 - s) * out.grad
    }
    return out
  }

  /** out = eᵗʰⁱˢ      ∂out/∂this = out */
  exp(): Value {
    const out = Value.fromOp(Math.exp(this.data), [this], 'exp')
    out.backwardStep = () => {
      this.grad += out.data * out.grad
    }
    return out
  }

  /** out = ln(this)      ∂out/∂this = 1/this */
  log(): Value {
    const out = Value.fromOp(Math.log(this.data), [this], 'log')
    out.backwardStep = () => {
      this.grad += out.grad / this.data
    }
    return out
  }

  /**
   * Reverse-mode autodiff from this node: seed ∂L/∂L = 1, then visit every node after all the nodes
   * that use it (reverse topological order), applying the chain rule. Gradients accumulate with +=,
   * so a Value used twice receives the sum of both paths; reset `grad` to 0 before the next pass.
   */
  backward(): void {
    const order = this.topologicalOrder()
    this.grad = 1
    for (let i = order.length - 1; i >= 0; i--) order[i].backwardStep()
  }

  /** Every node this one depends on, each after all of its children (the order `backward` reverses). */
  topologicalOrder(): Value[] {
    const order: Value[] = []
    const visited = new Set<Value>()
    // NOTE: an explicit stack instead of recursion, so a long chain (a training loop unrolled into
    // thousands of nodes) cannot overflow the call stack.
    const stack: { node: Value; expanded: boolean }[] = [{ node: this, expanded: false }]
    while (stack.length > 0) {
      const top = stack.pop()!
      if (top.expanded) {
        order.push(top.node)
        continue
      }
      if (visited.has(top.node)) continue
      visited.add(top.node)
      stack.push({ node: top.node, expanded: true })
      for (let i = top.node.children.length - 1; i >= 0; i--) {
        const child = top.node.children[i]
        if (!visited.has(child)) stack.push({ node: child, expanded: false })
      }
    }
    return order
  }

  toString(): string {
    return `Value(${this.label ? `${this.label}, ` : ''}data=${this.data}, grad=${this.grad})`
  }

  private static fromOp(data: number, children: readonly Value[], op: ValueOp): Value {
    return new Value(data, '', children, op)
  }
}

function toValue(x: Value | number): Value {
  return x instanceof Value ? x : new Value(x)
}
