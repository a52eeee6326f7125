// topologicalOrder: the post-order that Value.backward reverses and the scalar graph's layout walks.

import { describe, expect, it } from 'vitest'
import { topologicalOrder } from '../../../core'

describe('topologicalOrder', () => {
  it('lists every node once, after its children (in their order), the root last', () => {
    // 0 = f(1, 2), 1 = g(3), 2 = h(3, 4): 3 is shared, as a Value used twice is
    const children: Record<number, number[]> = { 0: [1, 2], 1: [3], 2: [3, 4], 3: [], 4: [] }
    expect(topologicalOrder(0, (n) => children[n])).toEqual([3, 1, 4, 2, 0])
    expect(topologicalOrder(4, (n) => children[n])).toEqual([4])
  })

  it('walks a chain of 100 000 nodes without overflowing the call stack', () => {
    const order = topologicalOrder(100_000, (n) => (n > 0 ? [n - 1] : []))
    expect(order.length).toBe(100_001)
    expect(order[0]).toBe(0)
    expect(order.at(-1)).toBe(100_000)
  })
})
