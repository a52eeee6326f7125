// What the chart tools compute: the smoothing slider's re-smoothed curve, the raw-curve switch, the
// x axis in steps, epochs or samples, the screen-reader summary and the PNG's file name.
import { describe, expect, it } from 'vitest'
import { accuracyLines, lineById, lossLines } from '@/shared/charts/chart-lines'
import { pngFileName } from '@/shared/charts/chart-export'
import { summarizeLines } from '@/shared/charts/chart-summary'
import { appendPoints, emptySeries } from '@/shared/charts/series'
import { emaPoints, emaSeries } from '@/shared/charts/smoothing'
import { linesIn, pointsIn, unitsPerStep } from '@/shared/charts/x-axis'

const points = (ys: number[]) => ys.map((y, i) => ({ x: i + 1, y }))

describe('emaPoints', () => {
  it('is the debiased EMA on a curve with every step', () => {
    const ys = [2.3, 2.1, 1.7, 1.9, 1.2, 1.0]
    const smoothed = emaPoints(points(ys), 0.8).map((p) => p.y)
    emaSeries(ys, 0.8).forEach((y, i) => expect(smoothed[i]).toBeCloseTo(y, 12))
  })

  it('returns the curve itself at β = 0', () => {
    expect(emaPoints(points([3, 1, 2]), 0)).toEqual(points([3, 1, 2]))
  })

  it('weighs a thinned curve as the steps it stands for', () => {
    // A constant curve stays constant whatever the gaps; a jump is followed as β^Δ says.
    const thinned = [
      { x: 1, y: 1 },
      { x: 5, y: 1 },
      { x: 13, y: 3 }
    ]
    const smoothed = emaPoints(thinned, 0.9)
    expect(smoothed[1].y).toBeCloseTo(1, 12)
    // By then the average has seen 5 steps' weight (1 − 0.9⁵); the 8 steps up to x = 13 keep 0.9⁸ of it.
    const seen = 1 - 0.9 ** 5
    const keep = 0.9 ** 8
    expect(smoothed[2].y).toBeCloseTo(
      (keep * seen * 1 + (1 - keep) * 3) / (keep * seen + 1 - keep),
      12
    )
  })
})

describe('lossLines and accuracyLines with the chart tools', () => {
  const loss = appendPoints(emptySeries(), points([2, 4, 2, 4]))
  const series = {
    loss,
    smoothLoss: appendPoints(emptySeries(), points([2, 2.5, 2.4, 2.8])),
    testLoss: emptySeries(),
    accuracy: appendPoints(emptySeries(), points([0.1, 0.3, 0.2, 0.4])),
    smoothAccuracy: appendPoints(emptySeries(), points([0.1, 0.2, 0.2, 0.3])),
    testAccuracy: emptySeries()
  }

  it("draws the run's own smoothing until the slider moves, then re-smooths the raw curve", () => {
    expect(lineById(lossLines(series), 'smoothLoss')?.points.at(-1)?.y).toBe(2.8)
    const resmoothed = lossLines(series, { smoothing: 0, showRaw: true })
    expect(lineById(resmoothed, 'smoothLoss')?.points.map((p) => p.y)).toEqual([2, 4, 2, 4])
  })

  it('drops the raw curves when Raw is off, and draws raw accuracy in percent when on', () => {
    const off = { smoothing: null, showRaw: false }
    expect(lossLines(series, off).map((l) => l.id)).toEqual(['smoothLoss', 'testLoss'])
    expect(accuracyLines(series, off).map((l) => l.id)).toEqual(['smoothAccuracy', 'testAccuracy'])
    const raw = lineById(accuracyLines(series), 'accuracy')!
    expect(raw.style).toBe('raw')
    expect(raw.points.map((p) => Math.round(p.y))).toEqual([10, 30, 20, 40])
  })
})

describe('x axis units', () => {
  const scale = { stepsPerEpoch: 100, batchSize: 32 }
  it('converts steps to epochs and samples', () => {
    expect(unitsPerStep('step', scale)).toBe(1)
    expect(unitsPerStep('epoch', scale)).toBe(0.01)
    expect(unitsPerStep('sample', scale)).toBe(32)
    expect(pointsIn([{ x: 150, y: 1 }], 'epoch', scale)).toEqual([{ x: 1.5, y: 1 }])
    expect(pointsIn([{ x: 150, y: 1 }], 'sample', scale)).toEqual([{ x: 4800, y: 1 }])
    const [line] = linesIn(
      [{ id: 'a', label: 'a', tone: 'loss', style: 'smooth', points: [{ x: 50, y: 2 }] }],
      'epoch',
      scale
    )
    expect(line.points).toEqual([{ x: 0.5, y: 2 }])
  })
})

describe('summarizeLines', () => {
  it('says first, last, lowest and highest of each line, formatted as the window does', () => {
    const rows = summarizeLines(
      [
        {
          id: 'l',
          label: 'Smoothed',
          tone: 'loss',
          style: 'smooth',
          points: points([2.3, 47.25, 0.5, 0.9])
        },
        { id: 'e', label: 'Empty', tone: 'test', style: 'points', points: [] }
      ],
      false,
      'step'
    )
    expect(rows).toEqual([
      {
        label: 'Smoothed',
        first: '2.300 at step 1',
        last: '0.9000 at step 4',
        min: '0.5000 at step 3',
        max: '47.25 at step 2'
      }
    ])
  })

  it('writes percentages with % (a test accuracy with two decimals) and skips a NaN loss', () => {
    const [test, batch] = summarizeLines(
      [
        {
          id: 'a',
          label: 'Test accuracy',
          tone: 'test',
          style: 'points',
          points: [{ x: 1.5, y: 61.46 }]
        },
        {
          id: 'b',
          label: 'Batch accuracy',
          tone: 'accuracy',
          style: 'raw',
          points: [{ x: 1.5, y: 71.875 }]
        }
      ],
      true,
      'epoch'
    )
    // As the headline and the status line write it: one test image is 0.01 %.
    expect(test.last).toBe('61.46% at epoch 1.5')
    expect(batch.last).toBe('71.9% at epoch 1.5')
    const [nan] = summarizeLines(
      [
        {
          id: 'n',
          label: 'Batch loss',
          tone: 'loss',
          style: 'raw',
          points: points([2.3, Number.NaN])
        }
      ],
      false,
      'step'
    )
    expect(nan).toMatchObject({ last: '— at step 2', max: '2.300 at step 1' })
  })
})

describe('pngFileName', () => {
  it("names the image after the chart's title", () => {
    expect(pngFileName('Loss')).toBe('backprop-studio-loss.png')
    expect(pngFileName('Accuracy of runs')).toBe('backprop-studio-accuracy-of-runs.png')
    expect(pngFileName('!!')).toBe('backprop-studio-chart.png')
  })
})
