// Throughput, ETA, pause-aware elapsed time, and how numbers are shown.
import { describe, expect, it } from 'vitest'
import {
  formatDuration,
  formatPercent,
  formatRate,
  formatRunDuration,
  formatValue
} from '@/shared/format'
import {
  etaSeconds,
  pushRateSample,
  RATE_WINDOW_MS,
  STOPPED_STOPWATCH,
  stopwatchHalt,
  stopwatchRun,
  stopwatchSeconds,
  throughput
} from '@/train/progress'

describe('progress arithmetic', () => {
  it('measures steps and samples per second over the window', () => {
    let samples = pushRateSample([], { timeMs: 0, step: 0, samples: 0 })
    samples = pushRateSample(samples, { timeMs: 2000, step: 100, samples: 3200 })
    expect(throughput(samples)).toEqual({ stepsPerSecond: 50, samplesPerSecond: 1600 })
  })

  it('forgets samples older than the window, so the rate follows a change of pace', () => {
    let samples = pushRateSample([], { timeMs: 0, step: 0, samples: 0 })
    for (let t = 1000; t <= 10_000; t += 1000)
      samples = pushRateSample(samples, {
        timeMs: t,
        step: t <= 5000 ? t / 10 : 500 + (t - 5000) / 100,
        samples: 0
      })
    expect(samples[0].timeMs).toBeGreaterThanOrEqual(10_000 - RATE_WINDOW_MS - 1000)
    expect(throughput(samples)!.stepsPerSecond).toBeCloseTo(10)
  })

  it('has no rate or ETA until time has passed', () => {
    expect(throughput([{ timeMs: 5, step: 1, samples: 32 }])).toBeNull()
    expect(etaSeconds(10, 100, null)).toBeNull()
    expect(etaSeconds(10, 100, 0)).toBeNull()
    expect(etaSeconds(10, 100, 30)).toBe(3)
    expect(etaSeconds(120, 100, 30)).toBe(0)
  })

  it('counts elapsed time only while running', () => {
    let watch = stopwatchRun(STOPPED_STOPWATCH, 1000)
    expect(stopwatchSeconds(watch, 4000)).toBe(3)
    watch = stopwatchHalt(watch, 4000)
    expect(stopwatchSeconds(watch, 60_000)).toBe(3) // paused for a minute: still 3 s
    watch = stopwatchRun(watch, 60_000)
    expect(stopwatchRun(watch, 61_000)).toBe(watch) // already running: unchanged
    expect(stopwatchSeconds(watch, 62_000)).toBe(5)
  })
})

describe('formatting', () => {
  it('shows durations as m:ss or h:mm:ss', () => {
    expect(formatDuration(42)).toBe('0:42')
    expect(formatDuration(725)).toBe('12:05')
    // A run's duration: the engine's short runs stay tell-apart-able.
    expect(formatRunDuration(0.2449)).toBe('0.24 s')
    expect(formatRunDuration(3.14)).toBe('3.1 s')
    expect(formatRunDuration(9.96)).toBe('0:10')
    expect(formatRunDuration(725)).toBe('12:05')
    expect(formatRunDuration(null)).toBe('—')
    expect(formatDuration(3729)).toBe('1:02:09')
    expect(formatDuration(null)).toBe('—')
  })

  it('shows values with 4 significant digits, a real minus sign, and exponents when tiny', () => {
    expect(formatValue(2.302585)).toBe('2.303')
    expect(formatValue(-0.04213)).toBe('−0.04213')
    expect(formatValue(0.00001234)).toBe('1.23e−5')
    expect(formatValue(-5.94e-7)).toBe('−5.94e−7') // a real minus sign for both signs
    expect(formatValue(Number.NaN)).toBe('—')
    expect(formatPercent(0.9734)).toBe('97.3%')
    expect(formatRate(1234)).toBe('1.2k')
    expect(formatRate(87.4)).toBe('87')
  })
})
