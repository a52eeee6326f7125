import { describe, expect, it } from 'vitest'
import { ModeChooser } from '../../../electron/parallel/mode-chooser'

/** Runs `steps` steps where a shared step takes `sharedMs` and one alone `aloneMs`; returns the modes. */
function simulate(
  chooser: ModeChooser,
  steps: number,
  sharedMs: number,
  aloneMs: number
): boolean[] {
  const modes: boolean[] = []
  for (let i = 0; i < steps; i++) {
    const shared = chooser.shared
    modes.push(shared)
    chooser.record(shared ? sharedMs : aloneMs)
  }
  return modes
}

const options = { warmupSteps: 4, probeSteps: 3, probeRounds: 2, exploitSteps: 20 }

describe('ModeChooser', () => {
  it('alternates during warm-up, probes both modes, then keeps the faster', () => {
    const modes = simulate(new ModeChooser(options), 4 + 12 + 20, 1, 2)
    expect(modes.slice(0, 4)).toEqual([false, true, false, true])
    expect(modes.slice(4, 16)).toEqual([
      false,
      false,
      false,
      true,
      true,
      true,
      false,
      false,
      false,
      true,
      true,
      true
    ])
    expect(modes.slice(16).every((shared) => shared)).toBe(true)
  })

  it('runs alone when sharing is not clearly faster (a busy or virtualised machine), and probes again later', () => {
    const chooser = new ModeChooser(options)
    const modes = simulate(chooser, 4 + 12 + 20 + 12, 1.97, 2) // shared only 1.5% faster: not worth it
    expect(modes.slice(16, 36).some((shared) => shared)).toBe(false)
    expect(modes.slice(36)).toContain(true) // the next probe
    expect(chooser.sharedFraction).toBeCloseTo((2 + 6 + 6) / 48, 10)
  })

  it('probes less often while the answer stays the same', () => {
    // warm-up 4, probe 12, alone 20, probe 12, alone 40 (doubled), probe 12, …
    const modes = simulate(new ModeChooser(options), 4 + 12 + 20 + 12 + 40 + 12, 3, 2)
    expect(modes.slice(16, 36).some(Boolean)).toBe(false)
    expect(modes.slice(36, 48)).toContain(true)
    expect(modes.slice(48, 88).some(Boolean)).toBe(false)
    expect(modes.slice(88)).toContain(true)
  })

  it('can be fixed to one mode', () => {
    expect(simulate(new ModeChooser({ mode: 'shared' }), 10, 5, 1).every(Boolean)).toBe(true)
    expect(simulate(new ModeChooser({ mode: 'alone' }), 10, 1, 5).some(Boolean)).toBe(false)
  })
})
