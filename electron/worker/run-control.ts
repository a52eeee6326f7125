// Play / pause / step / stop for one run, as one small state machine the training loop consults.

import type { ControlCommand, RunState } from '../contract'

/** What the loop may do next: take a step freely, take exactly one (paused), wait, or stop. */
export type Permit = 'run' | 'single' | 'wait' | 'stop'

export class RunControl {
  private mode: RunState | 'stopping'
  /** Single steps requested while paused and not yet taken (each click is one batch). */
  private singleSteps = 0
  private wake: (() => void) | null = null

  constructor(paused: boolean) {
    this.mode = paused ? 'paused' : 'running'
  }

  /** The state the UI shows; 'stopping' is internal and short-lived. */
  get state(): RunState {
    return this.mode === 'stopping' ? 'paused' : this.mode
  }

  get stopping(): boolean {
    return this.mode === 'stopping'
  }

  /** Applies a command; returns true when the visible state (running/paused) changed. */
  apply(command: ControlCommand): boolean {
    if (this.mode === 'stopping') return false
    const before = this.mode
    if (command === 'pause') this.mode = 'paused'
    else if (command === 'resume') this.mode = 'running'
    else if (command === 'step') {
      // NOTE: 'step' while running changes nothing: the run is already taking every step.
      if (this.mode === 'paused') this.singleSteps++
    } else this.mode = 'stopping'
    this.wake?.()
    return this.mode !== before && this.mode !== 'stopping'
  }

  /** Decides the loop's next move, consuming one pending single step if it grants one. */
  take(): Permit {
    if (this.mode === 'stopping') return 'stop'
    if (this.mode === 'running') return 'run'
    if (this.singleSteps === 0) return 'wait'
    this.singleSteps--
    return 'single'
  }

  /** Wakes a waiting loop without changing the state (a new pace was set). */
  nudge(): void {
    this.wake?.()
  }

  /** Resolves at the next command, so a paused loop sleeps without polling. */
  changed(): Promise<void> {
    return new Promise((resolve) => {
      this.wake = () => {
        this.wake = null
        resolve()
      }
    })
  }
}
