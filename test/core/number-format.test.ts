// Numbers as the window and the command line write them (core/number-format.ts): the same kind of
// number the same way everywhere, exponents as a chart's axis writes them ("1e−4"), with a real minus.
import { describe, expect, it } from 'vitest'
import { formatFactor, formatScalar, formatValue, trimZeros } from '../../core/number-format'
import { describeAlarm } from '../../core/train/health-watch'
import { describeDivergence } from '../../core/train/divergence'

describe('number formats', () => {
  it('writes exponents without "+" and with a real minus sign, never "e+7" or "e-5"', () => {
    for (const text of [
      formatValue(1.2345e7),
      formatValue(-4.2e-5),
      formatScalar(2e7),
      formatFactor(2e7),
      formatFactor(4e-4)
    ]) {
      expect(text).not.toMatch(/e\+|-/)
    }
    expect(formatValue(1.2345e7)).toBe('1.23e7')
    expect(formatValue(-4.2e-5)).toBe('−4.20e−5')
    expect(formatScalar(-4.2e-5)).toBe('−4.2e−5')
  })

  it('writes a factor with 2 significant digits, whole from 10 on', () => {
    expect(formatFactor(3.553)).toBe('3.6×')
    expect(formatFactor(0.4213)).toBe('0.42×')
    expect(formatFactor(100.99)).toBe('101×') // not "1.0e2×"
    expect(formatFactor(2.04e7)).toBe('2e7×') // not "2.0e+7×"
    expect(formatFactor(Infinity)).toBe('∞×')
  })

  it('trims zeros only after a decimal point', () => {
    expect(['2.540', '3.000', '1.50e-5', '10'].map(trimZeros)).toEqual([
      '2.54',
      '3',
      '1.5e-5',
      '10'
    ])
  })

  it('says an auto-pause’s and a divergence’s numbers in the same forms', () => {
    expect(
      describeAlarm({
        kind: 'largest-gradient',
        layer: 'dense1',
        layerKind: 'dense',
        step: 7,
        value: 2.04e7,
        divergence: { kind: 'exploded', step: 7, loss: 3.1e6, smoothedLoss: 123_456, limit: 23 }
      })
    ).toBe(
      'the loss exploded at step 7 (smoothed 1.23e5, over 10× its start): the learning rate is too ' +
        'high for this network. dense1 has the largest gradient for its weights at step 7 ' +
        '(‖∂L/∂W‖ is 2e7× ‖W‖): its updates are the ones that overshoot.'
    )
    expect(
      describeDivergence({
        kind: 'exploded',
        step: 4,
        loss: 40,
        smoothedLoss: 0.00012,
        limit: 0.0001
      })
    ).toMatch(/\(smoothed 1\.20e−4, over/)
  })
})
