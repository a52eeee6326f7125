import { describe, expect, it } from 'vitest'
import { descentStep, gradientDescent, Value } from '../../../core'

// The original project's worked example, L = (y − (x·w + b))², with its nodes named.
function build(values: Readonly<Record<string, number>>) {
  const [x, w, b, y] = (['x', 'w', 'b', 'y'] as const).map((name) => new Value(values[name], name))
  const z1 = x.mul(w)
  const z2 = z1.add(b)
  const z3 = y.sub(z2)
  const L = z3.pow(2)
  return { x, w, b, y, z1, z2, z3, L }
}
const buildL = (values: Readonly<Record<string, number>>): Value => build(values).L
const START = { x: 2, w: 2, b: 4.73, y: 10 }

describe('descentStep', () => {
  it('is θ − lr · ∂L/∂θ', () => {
    expect(descentStep(2, -5.08, 0.01)).toBeCloseTo(2.0508, 12)
    expect(descentStep(4.73, -2.54, 0.01)).toBeCloseTo(4.7554, 12)
    expect(descentStep(1, 0.5, 0)).toBe(1)
  })
})

describe('gradientDescent on the original example (x = 2, w = 2, b = 4.73, y = 10)', () => {
  it('steps along the worked example’s gradients: z3 = 1.27, z3.grad = 2.54, z2.grad = b.grad = −2.54, w.grad = −5.08', () => {
    const { z2, z3, b, w, L } = build(START)
    L.backward()
    expect(z3.data).toBeCloseTo(1.27, 12)
    expect(z3.grad).toBeCloseTo(2.54, 12)
    expect(z2.grad).toBeCloseTo(-2.54, 12)
    expect(b.grad).toBeCloseTo(-2.54, 12)
    expect(w.grad).toBeCloseTo(-5.08, 12)
  })

  it('one update with lr = 0.01, by hand: w = 2 + 0.0508, b = 4.73 + 0.0254, z3 = 1.143, L = 1.306449', () => {
    const { values, losses } = gradientDescent(buildL, START, ['w', 'b'], 0.01, 1)
    expect(values.w).toBeCloseTo(2.0508, 12)
    expect(values.b).toBeCloseTo(4.7554, 12)
    expect(values.x).toBe(2) // data leaves stay
    expect(values.y).toBe(10)
    expect(losses).toHaveLength(1)
    expect(losses[0]).toBeCloseTo(1.143 ** 2, 12)
    expect(losses[0]).toBeCloseTo(1.306449, 12)
  })

  it('a second update starts from the first: z3 = 1.143 gives dL/dw = −4.572, so w = 2.09652, L = 1.0287²', () => {
    const { values, losses } = gradientDescent(buildL, START, ['w', 'b'], 0.01, 2)
    expect(values.w).toBeCloseTo(2.09652, 12)
    expect(values.b).toBeCloseTo(4.77826, 12)
    expect(losses[1]).toBeCloseTo(1.0287 ** 2, 12)
  })

  it('does not change its starting values', () => {
    const start = { ...START }
    gradientDescent(buildL, start, ['w', 'b'], 0.01, 3)
    expect(start).toEqual(START)
  })

  it('lowers L step after step to nearly 0 with a small learning rate', () => {
    const { values, losses } = gradientDescent(buildL, START, ['w', 'b'], 0.01, 200)
    expect(losses).toHaveLength(200)
    for (let i = 1; i < losses.length; i++) expect(losses[i]).toBeLessThanOrEqual(losses[i - 1])
    expect(losses.at(-1)!).toBeLessThan(1e-8)
    expect(values.x * values.w + values.b).toBeCloseTo(10, 4)
  })

  it('stops at the first L that is not finite when the learning rate diverges', () => {
    const { losses } = gradientDescent(buildL, START, ['w', 'b'], 10, 10_000)
    expect(losses.length).toBeLessThan(10_000)
    expect(Number.isFinite(losses.at(-1)!)).toBe(false)
    expect(losses.slice(0, -1).every(Number.isFinite)).toBe(true)
  })

  it('refuses a parameter the expression does not have', () => {
    expect(() => gradientDescent(buildL, START, ['v'], 0.01, 1)).toThrow(/no leaf 'v'/)
  })
})
