// The run Start would begin: its length before it starts, and when the curves on screen are the
// previous run's rather than a preview of the next.
import { describe, expect, it } from 'vitest'
import { PRESETS } from '@core/index'
import { draftFromConfig } from '@/shared/config/config-form'
import { isPreviousRun, plannedSteps } from '@/train/next-run'

const seed = PRESETS.seed.config
const mnist = { name: 'MNIST', count: 60_000, rows: 28, cols: 28, classes: 10 }

describe('the next run', () => {
  it('knows its length before it starts: batches per epoch × epochs', () => {
    expect(plannedSteps(seed, mnist)).toBe(100)
    expect(plannedSteps({ ...seed, batchCount: 400, epochs: 2 }, mnist)).toBe(800)
    expect(plannedSteps(PRESETS.softmax.config, mnist)).toBe(1875 * 2)
    expect(plannedSteps(PRESETS.softmax.config, null)).toBeNull() // "all" of an unknown set
    expect(plannedSteps(null, mnist)).toBeNull()
  })

  it('calls an ended run "previous" once the settings differ from it, never one still going', () => {
    const edited = { ...draftFromConfig(seed), batchCount: '400' }
    expect(isPreviousRun('finished', seed, edited)).toBe(true)
    expect(isPreviousRun('stopped', seed, edited)).toBe(true)
    expect(isPreviousRun('finished', seed, draftFromConfig(seed))).toBe(false)
    expect(isPreviousRun('running', seed, edited)).toBe(false)
    expect(isPreviousRun('idle', null, edited)).toBe(false)
  })
})
