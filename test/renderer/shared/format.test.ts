// One formatter per kind of number: the rules every view shows numbers by, and the truths they keep.
import { describe, expect, it } from 'vitest'
import {
  formatAccuracy,
  formatCount,
  formatPercent,
  formatScalar,
  formatValue,
  trimZeros
} from '@/shared/format'

describe('formatPercent: a rounded percentage never reaches a bound it has not reached', () => {
  it('shows one decimal', () => {
    expect(formatPercent(0.9734)).toBe('97.3%')
    expect(formatPercent(0.5)).toBe('50.0%')
  })

  it('says >99.9% for 0.9996 and <0.1% for 0.0004, never 100% or 0%', () => {
    expect(formatPercent(0.996)).toBe('99.6%')
    expect(formatPercent(0.9996)).toBe('>99.9%')
    expect(formatPercent(0.99999999)).toBe('>99.9%')
    expect(formatPercent(0.0004)).toBe('<0.1%')
    expect(formatPercent(1e-12)).toBe('<0.1%')
    // With no decimals (a thumbnail's badge), 99.6% is still not 100%.
    expect(formatPercent(0.996, 0)).toBe('>99%')
    expect(formatPercent(0.004, 0)).toBe('<1%')
    expect(formatPercent(0.994, 0)).toBe('99%')
  })

  it('shows exactly 1 and 0 as they are', () => {
    expect(formatPercent(1)).toBe('100.0%')
    expect(formatPercent(0)).toBe('0.0%')
    expect(formatPercent(1, 0)).toBe('100%')
  })

  it('shows a dash for no value', () => {
    expect(formatPercent(null)).toBe('—')
    expect(formatPercent(Number.NaN)).toBe('—')
  })
})

describe('formatAccuracy: a test-set accuracy reads the same in every view', () => {
  it('has two decimals (one MNIST test image is 0.01 %)', () => {
    expect(formatAccuracy(0.6146)).toBe('61.46%')
    expect(formatAccuracy(0.1)).toBe('10.00%')
    expect(formatAccuracy(0.99996)).toBe('>99.99%')
    expect(formatAccuracy(null)).toBe('—')
  })
  it('has one decimal on 1 000 images (one image is 0.1 %: time travel’s confusion)', () => {
    expect(formatAccuracy(0.231, 1000)).toBe('23.1%')
    expect(formatAccuracy(0.999, 1000)).toBe('99.9%')
    expect(formatAccuracy(0.9996, 1000)).toBe('>99.9%')
    expect(formatAccuracy(0.6146, 10_000)).toBe('61.46%')
  })
})

describe('formatValue: losses and weights', () => {
  it('keeps 4 significant digits with their zeros', () => {
    expect(formatValue(1.46)).toBe('1.460')
    expect(formatValue(2.302585)).toBe('2.303')
    expect(formatValue(47.21)).toBe('47.21')
    expect(formatValue(12345.6)).toBe('12346')
    expect(formatValue(1460.2)).toBe('1460')
  })

  it('switches to exponent form instead of rounding to 0 or growing wide', () => {
    expect(formatValue(0.0000428)).toBe('4.28e−5')
    expect(formatValue(123456)).toBe('1.23e5')
    expect(formatValue(-2.5e-7)).toBe('−2.50e−7')
    expect(formatValue(Number.POSITIVE_INFINITY)).toBe('∞')
  })
})

describe('formatScalar: numbers of a worked example', () => {
  it('reads hand-computed values as written', () => {
    expect(formatScalar(2.54)).toBe('2.54')
    expect(formatScalar(-5.08)).toBe('−5.08')
    expect(formatScalar(4.73)).toBe('4.73')
    expect(formatScalar(10)).toBe('10')
    expect(formatScalar(1.6129)).toBe('1.613')
    expect(formatScalar(0)).toBe('0')
  })

  it('never shows a small non-zero value as 0: 0.0065² is not 0', () => {
    const z = 0.0065
    expect(formatScalar(z)).toBe('0.0065')
    expect(formatScalar(z * z)).toBe('4.22e−5') // 4.225e−5 in float64 is 4.2249…e−5
    expect(formatScalar(-1e-9)).toBe('−1e−9')
  })
})

describe('trimZeros', () => {
  it('drops zeros after the decimal point only', () => {
    expect(trimZeros('2.540')).toBe('2.54')
    expect(trimZeros('3.000')).toBe('3')
    expect(trimZeros('10')).toBe('10')
    expect(trimZeros('100')).toBe('100')
    expect(trimZeros('1.50e-5')).toBe('1.5e-5')
    expect(trimZeros('1.00e-5')).toBe('1e-5')
    expect(trimZeros('0.0065')).toBe('0.0065')
  })
})

describe('formatCount', () => {
  it('groups thousands with a thin space and writes a real minus', () => {
    expect(formatCount(12345)).toBe('12\u202f345')
    expect(formatCount(-1500)).toBe('−1\u202f500')
    expect(formatCount(7)).toBe('7')
  })
})
