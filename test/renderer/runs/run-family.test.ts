// The family tree of runs (renderer/src/runs/run-family.ts): forks under their parents, indented.
import { describe, expect, it } from 'vitest'
import { familyRows } from '@/runs/run-family'
import { makeRun } from './run-fixtures'

describe('familyRows', () => {
  it('puts each fork right under its parent, a fork of a fork deeper, keeping the order among siblings', () => {
    const runs = [
      makeRun('fork2', { parent: { runId: 'root', step: 40 } }),
      makeRun('other'),
      makeRun('forkOfFork', { parent: { runId: 'fork1', step: 70 } }),
      makeRun('root', { name: 'seed run' }),
      makeRun('fork1', { parent: { runId: 'root', step: 1000 } })
    ]
    const rows = familyRows(runs)
    expect(rows.map((r) => [r.run.id, r.depth])).toEqual([
      ['other', 0],
      ['root', 0],
      ['fork2', 1],
      ['fork1', 1],
      ['forkOfFork', 2]
    ])
    expect(rows[3].forkNote).toBe('fork at step 1,000 of seed run')
    expect(rows[0].forkNote).toBeNull()
  })

  it('lists a fork whose parent was deleted as a root, saying so', () => {
    const rows = familyRows([makeRun('orphan', { parent: { runId: 'gone', step: 5 } })])
    expect(rows).toEqual([
      expect.objectContaining({ depth: 0, forkNote: 'fork at step 5 of a deleted run' })
    ])
  })
})
