// The teaching engine: a scalar with a gradient, after karpathy/micrograd's engine.py.
// Every operation records its inputs and its local derivatives; backward() chains them (the chain rule).

import { topologicalOrder } from './topological-order'

/** The name of the operation that produced a Value ('' for a leaf the user created). */
export type ValueOp =
  '' | '+' | '-' | '*' | '/' | 'neg' | `**${number}` | 'relu' | 'tanh' | 'sigmoid' | 'exp' | 'log'

/** ∂out/∂child for each child, in order, evaluated at the current data. */
type LocalDerivatives = (out: Value) => number[]

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
  /** The Values this one was computed from (micrograd's `_prev`), in operand order. */
  readonly children: readonly Value[]
  /** The operation that computed this Value (micrograd's `_op`). */
  readonly op: ValueOp
  private readonly local: LocalDerivatives

  constructor(
    data: number,
    label = '',
    children: readonly Value[] = [],
    op: ValueOp = '',
    local: LocalDerivatives = () => []
  ) {
    this.data = data
    this.label = label
    this.children = children
    this.op = op
    this.local = local
  }

  /** out = a + b      ∂out/∂a = 1,  ∂out/∂b = 1 */
  add(other: Value | number): Value {
    const b = toValue(other)
    return new Value(this.data + b.data, '', [this, b], '+', () => [1, 1])
  }

  /** out = a − b      ∂out/∂a = 1,  ∂out/∂b = −1 */
  sub(other: Value | number): Value {
    const b = toValue(other)
    return new Value(this.data - b.data, '', [this, b], '-', () => [1, -1])
  }

  /** out = a · b      ∂out/∂a = b,  ∂out/∂b = a */
  mul(other: Value | number): Value {
    const b = toValue(other)
    return new Value(this.data * b.data, '', [this, b], '*', () => [b.data, this.data])
  }

  /** out = a / b      ∂out/∂a = 1/b,  ∂out/∂b = −a/b² */
  div(other: Value | number): Value {
    const b = toValue(other)
    return new Value(this.data / b.data, '', [this, b], '/', () => [
      1 / b.data,
      -this.data / (b.data * b.data)
    ])
  }

  /** out = aⁿ for a constant n      ∂out/∂a = n·aⁿ⁻¹ */
  pow(exponent: number): Value {
    if (typeof exponent !== 'number')
      throw new TypeError('pow: only constant number exponents are supported')
    return new Value(this.data ** exponent, '', [this], `**${exponent}`, () => [
      exponent * this.data ** (exponent - 1)
    ])
  }

  /** out = −a      ∂out/∂a = −1 */
  neg(): Value {
    return new Value(-this.data, '', [this], 'neg', () => [-1])
  }

  /** out = max(0, a)      ∂out/∂a = 1 if out > 0, else 0 (micrograd's choice at 0) */
  relu(): Value {
    return new Value(this.data < 0 ? 0 : this.data, '', [this], 'relu', (out) => [
      out.data > 0 ? 1 : 0
    ])
  }

  /** out = tanh(a)      ∂out/∂a = 1 − out² */
  tanh(): Value {
    return new Value(Math.tanh(this.data), '', [this], 'tanh', (out) => [1 - out.data * out.data])
  }

  /** out = σ(a) = 1 / (1 + e⁻ᵃ)      ∂out/∂a = out·(1 − out) */
  sigmoid(): Value {
    return new Value(1 / (1 + Math.exp(-this.data)), '', [this], 'sigmoid', (out) => [
      out.data * (1 - out.data)
    ])
  }

  /** out = eᵃ      ∂out/∂a = out */
  exp(): Value {
    return new Value(Math.exp(this.data), '', [this], 'exp', (out) => [out.data])
  }

  /** out = ln(a)      ∂out/∂a = 1/a */
  log(): Value {
    return new Value(Math.log(this.data), '', [this], 'log', () => [1 / this.data])
  }

  /** ∂this/∂child for each of `children`, at the current data (what the chain rule multiplies by). */
  localDerivatives(): number[] {
    return this.local(this)
  }

  /**
   * Reverse-mode autodiff from this node: seed ∂L/∂L = 1, then visit every node after all the nodes
   * that use it (reverse topological order) and push its gradient into its children:
   *   child.grad += (∂node/∂child) · node.grad        (the chain rule)
   * Gradients accumulate with +=, so a Value used twice receives the sum of both paths; reset
   * `grad` to 0 before the next pass.
   */
  backward(): void {
    const order = this.topologicalOrder()
    this.grad = 1
    for (let i = order.length - 1; i >= 0; i--) order[i].propagate()
  }

  /** One step of backward(): adds this node's contribution to each child's gradient. */
  propagate(): void {
    const local = this.localDerivatives()
    for (let i = 0; i < this.children.length; i++) this.children[i].grad += local[i] * this.grad
  }

  /** Every node this one depends on, each after all of its children (the order `backward` reverses). */
  topologicalOrder(): Value[] {
    return topologicalOrder<Value>(this, (node) => node.children)
  }

  toString(): string {
    return `Value(${this.label ? `${this.label}, ` : ''}data=${this.data}, grad=${this.grad})`
  }
}

function toValue(x: Value | number): Value {
  return x instanceof Value ? x : new Value(x)
}
