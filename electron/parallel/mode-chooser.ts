// Whether helper threads speed a step up is a property of the machine at that moment, not of the code:
// on two idle cores they do; on a virtual machine whose two vCPUs share one physical core, or while
// the app's window keeps a core busy, waiting for a helper costs more than it saves. So the trainer
// measures: it runs short windows of steps in each mode, keeps the faster, and measures again later.
//
// The choice never changes a result: a chunk computes the same numbers on any thread (see
// core/fast/step-work.ts), so steps run alone or shared are bit-identical.

export interface ModeChooserOptions {
  /** 'measure' (default) chooses by timing; 'shared' and 'alone' fix the mode (tests, experiments). */
  readonly mode?: 'measure' | 'shared' | 'alone'
  /** Steps at the start that alternate modes, untimed (JIT tier-up of both paths). */
  readonly warmupSteps?: number
  /** Steps per window in a probe, and windows per mode. */
  readonly probeSteps?: number
  readonly probeRounds?: number
  /** Steps run in the chosen mode before probing again; doubled (up to 16×) while the choice holds. */
  readonly exploitSteps?: number
  /** Shared mode must be at least this much faster (fraction) to be chosen. */
  readonly minGain?: number
}

interface PlannedStep {
  readonly shared: boolean
  /** Probe steps are timed; warm-up and exploit steps are not. */
  readonly probe: boolean
}

export class ModeChooser {
  private plan: PlannedStep[] = []
  private readonly serialTimes: number[] = []
  private readonly sharedTimes: number[] = []
  private readonly options: Required<ModeChooserOptions>
  private previous: boolean | null = null
  /** The mode when options fix it, else null. */
  private readonly fixed: boolean | null = null
  private sharedSteps = 0
  private steps = 0
  private lastChoice: boolean | null = null
  private exploitSteps = 0

  constructor(options: ModeChooserOptions = {}) {
    this.options = {
      mode: 'measure',
      warmupSteps: 32,
      probeSteps: 8,
      probeRounds: 3,
      exploitSteps: 1000,
      minGain: 0.05,
      ...options
    }
    if (this.options.mode !== 'measure') {
      this.fixed = this.options.mode === 'shared'
      return
    }
    for (let i = 0; i < this.options.warmupSteps; i++)
      this.plan.push({ shared: i % 2 === 1, probe: false })
    this.planProbe()
  }

  /** Whether the next step should use the helper threads. */
  get shared(): boolean {
    return this.fixed ?? this.plan[0].shared
  }

  /** Fraction of the steps so far that ran shared. */
  get sharedFraction(): number {
    return this.steps === 0 ? 0 : this.sharedSteps / this.steps
  }

  /** Reports how long the step just run (in the mode `shared` gave) took, and moves on. */
  record(milliseconds: number): void {
    this.steps++
    if (this.fixed !== null) {
      if (this.fixed) this.sharedSteps++
      return
    }
    const step = this.plan.shift() as PlannedStep
    if (step.shared) this.sharedSteps++
    // The first step after a switch pays for the switch (a helper waking up, caches moving): not timed.
    if (step.probe && step.shared === this.previous)
      (step.shared ? this.sharedTimes : this.serialTimes).push(milliseconds)
    this.previous = step.shared
    if (this.plan.length === 0) {
      if (step.probe) this.decide()
      else this.planProbe()
    }
  }

  private planProbe(): void {
    this.serialTimes.length = 0
    this.sharedTimes.length = 0
    for (let round = 0; round < this.options.probeRounds; round++) {
      for (const shared of [false, true])
        for (let i = 0; i < this.options.probeSteps; i++) this.plan.push({ shared, probe: true })
    }
  }

  private decide(): void {
    const useShared =
      median(this.sharedTimes) < median(this.serialTimes) * (1 - this.options.minGain)
    // The same answer again: probe less often (probing costs the slower mode's steps).
    const base = this.options.exploitSteps
    this.exploitSteps =
      useShared === this.lastChoice ? Math.min(this.exploitSteps * 2, 16 * base) : base
    this.lastChoice = useShared
    for (let i = 0; i < this.exploitSteps; i++) this.plan.push({ shared: useShared, probe: false })
  }
}

function median(values: readonly number[]): number {
  if (values.length === 0) return Infinity
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[sorted.length >> 1]
}
