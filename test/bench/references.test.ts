// bench/references.ts's mergeRuns: `npm run bench` runs each reference net by net (right after ours of
// that net) and reads the runs back as one, the way it used to get them from a single run.

import { describe, expect, it } from 'vitest'
import { best, mergeRuns, whyMissing, type ReferenceResult } from '../../bench/references'

const result = (net: ReferenceResult['net'], threads: number, samplesPerSec: number) =>
  ({
    impl: 'numpy',
    net,
    threads,
    samplesPerSec,
    epochSeconds: 60_000 / samplesPerSec,
    testAccuracy: 0.9,
    epochSecondsAll: [],
    testAccuracyAll: [],
    version: '2.4.6'
  }) satisfies ReferenceResult

describe('mergeRuns', () => {
  it('puts every net’s results together, and each net’s best is still found', () => {
    const merged = mergeRuns([
      {
        net: 'seed',
        run: { results: [result('seed', 1, 100), result('seed', 2, 80)], skippedNets: new Map() }
      },
      { net: 'mlp', run: { results: [result('mlp', 1, 50)], skippedNets: new Map() } }
    ])
    expect(best('seed', merged)?.samplesPerSec).toBe(100)
    expect(best('mlp', merged)?.samplesPerSec).toBe(50)
    expect(whyMissing('seed', merged)).toBeNull()
  })

  it('keeps why a net was skipped, whether by the script or by a whole failed run', () => {
    const merged = mergeRuns([
      { net: 'seed', run: { results: [result('seed', 1, 100)], skippedNets: new Map() } },
      {
        net: 'mlp',
        run: { results: [], skippedNets: new Map([['mlp@2', '2 threads collapsed']]) }
      },
      { net: 'lenet', run: { skipped: 'numpy_reference.py failed: MemoryError' } }
    ])
    expect(best('lenet', merged)).toBeNull()
    expect(whyMissing('lenet', merged)).toBe('numpy_reference.py failed: MemoryError')
    expect(whyMissing('mlp', merged)).toBe('2 threads collapsed')
    expect(best('seed', merged)?.samplesPerSec).toBe(100)
  })

  it('a reference skipped for every net stays skipped as a whole (say it once)', () => {
    const skipped = { skipped: 'python3 has no torch' }
    expect(
      mergeRuns([
        { net: 'seed', run: skipped },
        { net: 'mlp', run: skipped }
      ])
    ).toEqual(skipped)
  })
})
