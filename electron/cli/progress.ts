// Progress display for headless training: a live bar on a terminal, plain lines otherwise.

import type { StepMetrics } from '../../core'

const REDRAW_INTERVAL_MS = 100
const BAR_WIDTH = 24

export interface ProgressSnapshot {
  readonly metrics: StepMetrics
  readonly totalSteps: number
  readonly epochs: number
  readonly samplesPerSec: number
  readonly etaSeconds: number
}

/** "1:05", "12:00:03": a duration in seconds for humans. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--'
  const s = Math.max(0, Math.round(seconds))
  const hours = Math.floor(s / 3600)
  const minutes = Math.floor((s % 3600) / 60)
  const secs = String(s % 60).padStart(2, '0')
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${secs}` : `${minutes}:${secs}`
}

/** "78.2k", "1.2M": a rate for humans. */
export function formatRate(perSecond: number): string {
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(1)}M`
  if (perSecond >= 1e3) return `${(perSecond / 1e3).toFixed(1)}k`
  return perSecond.toFixed(0)
}

/** One line: bar, percentage, step, epoch, loss, accuracy, speed, ETA. */
export function formatProgressLine(p: ProgressSnapshot, { bar = true } = {}): string {
  const fraction = p.metrics.step / p.totalSteps
  const filled = Math.round(fraction * BAR_WIDTH)
  const parts = [
    `${bar ? `[${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}] ` : ''}${(fraction * 100).toFixed(0).padStart(3)}%`,
    `step ${p.metrics.step}/${p.totalSteps}`,
    `epoch ${p.metrics.epoch}/${p.epochs}`,
    `loss ${p.metrics.loss.toFixed(4)}`,
    `acc ${p.metrics.accuracy.toFixed(3)}`,
    `${formatRate(p.samplesPerSec)} samples/s`,
    `ETA ${formatDuration(p.etaSeconds)}`
  ]
  return parts.join(' · ')
}

/** Draws progress on a stream: redrawn in place on a TTY (≤ 10×/s), every ~10% as lines otherwise. */
export class ProgressReporter {
  private lastDraw = 0
  private lastDecile = -1
  private drawn = false

  constructor(private readonly stream: NodeJS.WriteStream) {}

  update(p: ProgressSnapshot): void {
    if (this.stream.isTTY) {
      const now = performance.now()
      if (now - this.lastDraw < REDRAW_INTERVAL_MS && p.metrics.step < p.totalSteps) return
      this.lastDraw = now
      const width = this.stream.columns ?? 120
      this.stream.write(`\r${formatProgressLine(p).slice(0, width - 1)}\x1b[K`)
      this.drawn = true
      return
    }
    const decile = Math.floor((p.metrics.step / p.totalSteps) * 10)
    if (decile !== this.lastDecile) {
      this.lastDecile = decile
      this.stream.write(formatProgressLine(p, { bar: false }) + '\n')
    }
  }

  /** Prints a message on its own line (the bar is redrawn on the next update). */
  log(message: string): void {
    if (this.drawn) this.stream.write('\r\x1b[K')
    this.stream.write(message + '\n')
  }

  finish(): void {
    if (this.drawn) this.stream.write('\n')
    this.drawn = false
  }
}
