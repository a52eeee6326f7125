import { describe, expect, it } from 'vitest'
import { Value } from '../../../core'

describe('Value: the original project worked example', () => {
  // x = 2, w = 2, b = 4.73, y = 10:  z1 = x·w, z2 = z1 + b, z3 = y − z2 = 1.27, L = z3²
  function example() {
    const x = new Value(2, 'x')
    const w = new Value(2, 'w')
    const b = new Value(4.73, 'b')
    const y = new Value(10, 'y')
    const z1 = x.mul(w)
    const z2 = z1.add(b)
    const z3 = y.sub(z2)
    const L = z3.pow(2)
    return { x, w, b, y, z1, z2, z3, L }
  }

  it('computes the forward values', () => {
    const { z1, z2, z3, L } = example()
    expect(z1.data).toBe(4)
    expect(z2.data).toBeCloseTo(8.73, 12)
    expect(z3.data).toBeCloseTo(1.27, 12)
    expect(L.data).toBeCloseTo(1.6129, 12)
  })

  it('reproduces the hand-computed gradients 2.54, −2.54 and −5.08', () => {
    const { x, w, b, y, z1, z2, z3, L } = example()
    L.backward()
    expect(L.grad).toBe(1)
    expect(z3.grad).toBeCloseTo(2.54, 12) // dL/dz3 = 2·z3
    expect(y.grad).toBeCloseTo(2.54, 12) // dz3/dy = 1
    expect(z2.grad).toBeCloseTo(-2.54, 12) // dz3/dz2 = −1
    expect(z1.grad).toBeCloseTo(-2.54, 12) // dz2/dz1 = 1
    expect(b.grad).toBeCloseTo(-2.54, 12) // dz2/db = 1
    expect(w.grad).toBeCloseTo(-5.08, 12) // dz1/dw = x = 2
    expect(x.grad).toBeCloseTo(-5.08, 12) // dz1/dx = w = 2
  })

  it('its training loop (w.data += −lr·w.grad, grads reset each step) drives x·w + b to y', () => {
    const x = new Value(2)
    const w = new Value(2)
    const b = new Value(4.73)
    const y = new Value(10)
    const lr = 0.01
    const losses: number[] = []
    for (let step = 0; step < 200; step++) {
      const L = y.sub(x.mul(w).add(b)).pow(2)
      for (const node of L.topologicalOrder()) node.grad = 0
      L.backward()
      w.data += -lr * w.grad
      b.data += -lr * b.grad
      losses.push(L.data)
    }
    expect(losses[0]).toBeCloseTo(1.6129, 10)
    expect(losses.at(-1)!).toBeLessThan(1e-8)
    for (let i = 1; i < losses.length; i++) expect(losses[i]).toBeLessThanOrEqual(losses[i - 1])
    expect(x.data * w.data + b.data).toBeCloseTo(10, 4)
  })
})

describe('Value: micrograd conformance (values verified against PyTorch in micrograd/test/test_engine.py)', () => {
  it('sanity check', () => {
    const x = new Value(-4)
    const z = x.mul(2).add(2).add(x)
    const q = z.relu().add(z.mul(x))
    const h = z.mul(z).relu()
    const y = h.add(q).add(q.mul(x))
    y.backward()
    expect(y.data).toBeCloseTo(-20, 10)
    expect(x.grad).toBeCloseTo(46, 10)
  })

  it('more ops', () => {
    const a = new Value(-4)
    const b = new Value(2)
    let c = a.add(b)
    let d = a.mul(b).add(b.pow(3))
    c = c.add(c.add(1))
    c = c.add(new Value(1).add(c).add(a.neg()))
    d = d.add(d.mul(2).add(b.add(a).relu()))
    d = d.add(d.mul(3).add(b.sub(a).relu()))
    const e = c.sub(d)
    const f = e.pow(2)
    let g = f.div(2)
    g = g.add(new Value(10).div(f))
    g.backward()
    expect(g.data).toBeCloseTo(24.70408163265306, 10)
    expect(a.grad).toBeCloseTo(138.83381924198252, 8)
    expect(b.grad).toBeCloseTo(645.5772594752186, 8)
  })
})

describe('Value: every operation against finite differences', () => {
  const h = 1e-6
  const unary: [string, (v: Value) => Value, number[]][] = [
    ['neg', (v) => v.neg(), [-1.5, 0.3, 2]],
    ['relu', (v) => v.relu(), [-1.5, 0.3, 2]],
    ['tanh', (v) => v.tanh(), [-1.5, 0.3, 2]],
    ['sigmoid', (v) => v.sigmoid(), [-1.5, 0.3, 2]],
    ['exp', (v) => v.exp(), [-1.5, 0.3, 2]],
    ['log', (v) => v.log(), [0.2, 1.3, 5]],
    ['pow 3', (v) => v.pow(3), [-1.5, 0.3, 2]],
    ['pow −0.5', (v) => v.pow(-0.5), [0.2, 1.3, 5]]
  ]
  for (const [name, op, points] of unary) {
    it(name, () => {
      for (const at of points) {
        const x = new Value(at)
        const out = op(x)
        out.backward()
        const numeric = (op(new Value(at + h)).data - op(new Value(at - h)).data) / (2 * h)
        expect(x.grad).toBeCloseTo(numeric, 5)
      }
    })
  }

  const binary: [string, (a: Value, b: Value) => Value][] = [
    ['add', (a, b) => a.add(b)],
    ['sub', (a, b) => a.sub(b)],
    ['mul', (a, b) => a.mul(b)],
    ['div', (a, b) => a.div(b)]
  ]
  for (const [name, op] of binary) {
    it(name, () => {
      const a = new Value(1.7)
      const b = new Value(-0.6)
      op(a, b).backward()
      const da = (op(new Value(1.7 + h), b).data - op(new Value(1.7 - h), b).data) / (2 * h)
      const db = (op(a, new Value(-0.6 + h)).data - op(a, new Value(-0.6 - h)).data) / (2 * h)
      expect(a.grad).toBeCloseTo(da, 5)
      expect(b.grad).toBeCloseTo(db, 5)
    })
  }

  it('accepts plain numbers on either side of binary operations', () => {
    const a = new Value(3)
    expect(a.add(2).data).toBe(5)
    expect(a.sub(2).data).toBe(1)
    expect(a.mul(2).data).toBe(6)
    expect(a.div(2).data).toBe(1.5)
  })
})

describe('Value: graph semantics', () => {
  it('accumulates the gradient of a node used twice', () => {
    const a = new Value(3)
    const b = a.add(a) // db/da = 2
    b.backward()
    expect(a.grad).toBe(2)
    const c = new Value(3)
    const d = c.mul(c) // dd/dc = 2c = 6
    d.backward()
    expect(c.grad).toBe(6)
  })

  it('records children, operation and label for drawing the graph', () => {
    const x = new Value(2, 'x')
    const w = new Value(3, 'w')
    const z = x.mul(w)
    expect(z.op).toBe('*')
    expect(z.children).toEqual([x, w])
    expect(x.label).toBe('x')
    expect(x.op).toBe('')
    z.label = 'z'
    expect(String(z)).toContain('z')
  })

  it('orders nodes so every node comes after everything it depends on', () => {
    const a = new Value(1)
    const b = a.mul(2)
    const c = a.add(b)
    const order = c.topologicalOrder()
    expect(order.indexOf(a)).toBeLessThan(order.indexOf(b))
    expect(order.indexOf(b)).toBeLessThan(order.indexOf(c))
    expect(order.at(-1)).toBe(c)
    expect(new Set(order).size).toBe(order.length)
  })

  it('handles long chains without overflowing the stack', () => {
    const x = new Value(1)
    let y = x
    for (let i = 0; i < 50_000; i++) y = y.add(0)
    y.backward()
    expect(x.grad).toBe(1)
  })

  it('follows micrograd at the ReLU kink: no gradient at exactly 0', () => {
    const x = new Value(0)
    x.relu().backward()
    expect(x.grad).toBe(0)
  })
})
