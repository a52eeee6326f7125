// How a conv net's gradient work is cut for threads: which stages are halved, and that every part's
// filters or weight rows tile the whole layer exactly once. (That a cut changes no bit is checked on
// whole runs: test/electron/parallel/parallel-trainer.test.ts.)

import { describe, expect, it } from 'vitest'
import { PRESETS } from '../../../core'
import {
  convGradientTasks,
  filterRange,
  weightRowRange
} from '../../../core/fast/conv-gradient-tasks'
import { planConvNetwork } from '../../../core/fast/conv-layout'

const weightedStages = (config: (typeof PRESETS)['cnn']['config']) =>
  planConvNetwork(config.architecture, config.batchSize).stages.filter(
    (s) => s.kind === 'conv' || s.kind === 'dense'
  )

describe('convGradientTasks', () => {
  it('one thread: one task per parameterised stage, in order', () => {
    expect(convGradientTasks(weightedStages(PRESETS.cnn.config), 1)).toEqual([
      { layer: 0, part: 0, parts: 1 },
      { layer: 1, part: 0, parts: 1 },
      { layer: 2, part: 0, parts: 1 },
      { layer: 3, part: 0, parts: 1 }
    ])
  })

  it('the cnn preset on threads: conv2 by filters and the 3136 → 256 layer by weight rows, halves first', () => {
    // Stages: conv1 (sparse: whole), conv2 32 → 64 (halves), dense 3136 → 256 (halves), dense 256 → 10.
    expect(convGradientTasks(weightedStages(PRESETS.cnn.config), 4)).toEqual([
      { layer: 1, part: 0, parts: 2 },
      { layer: 1, part: 1, parts: 2 },
      { layer: 2, part: 0, parts: 2 },
      { layer: 2, part: 1, parts: 2 },
      { layer: 0, part: 0, parts: 1 },
      { layer: 3, part: 0, parts: 1 }
    ])
  })

  it("LeNet's dense layers (at most 48 k weights) stay whole", () => {
    const tasks = convGradientTasks(weightedStages(PRESETS.lenet.config), 4)
    expect(tasks.filter((t) => t.parts > 1).map((t) => t.layer)).toEqual([1, 1]) // conv2 alone
  })

  it('parts tile the filters and the weight rows exactly', () => {
    for (const parts of [1, 2, 3, 5]) {
      const filters = Array.from({ length: parts }, (_, part) => filterRange(64, part, parts))
      const rows = Array.from({ length: parts }, (_, part) => weightRowRange(3137, part, parts))
      expect(filters[0].o0).toBe(0)
      expect(rows[0].p0).toBe(0)
      expect(filters[parts - 1].o1).toBe(64)
      expect(rows[parts - 1].p1).toBe(3137)
      for (let i = 1; i < parts; i++) {
        expect(filters[i].o0).toBe(filters[i - 1].o1)
        expect(filters[i].o0 % 4).toBe(0)
        expect(rows[i].p0).toBe(rows[i - 1].p1)
        expect(rows[i].p1).toBeGreaterThan(rows[i].p0)
      }
    }
  })
})
