import { describe, expect, it } from 'vitest'
import {
  datasetFromIdx,
  encodeIdx,
  fillBatch,
  IdxFormatError,
  Matrix,
  parseIdx,
  parseIdxImages,
  parseIdxLabels,
  sequentialOrder
} from '../../../core'

const images = (count: number, rows = 2, cols = 3) =>
  encodeIdx(
    [count, rows, cols],
    Uint8Array.from({ length: count * rows * cols }, (_, i) => (i * 37) % 256)
  )
const labels = (values: number[]) => encodeIdx([values.length], Uint8Array.from(values))

describe('IDX parsing', () => {
  it('reads the header big-endian and returns a view of the values', () => {
    const bytes = images(2)
    const parsed = parseIdxImages(bytes)
    expect(parsed).toMatchObject({ count: 2, rows: 2, cols: 3 })
    expect(parsed.pixels.length).toBe(12)
    expect(parsed.pixels[1]).toBe(37)
    expect(parseIdxLabels(labels([3, 1, 4]))).toEqual(Uint8Array.of(3, 1, 4))
  })

  it('round-trips a 60000-image header (counts above 65535 need all four bytes)', () => {
    const header = encodeIdx([60000], new Uint8Array(60000))
    expect(Array.from(header.subarray(0, 8))).toEqual([0, 0, 8, 1, 0, 0, 0xea, 0x60])
    expect(parseIdx(header).dims).toEqual([60000])
  })

  const reject = (
    bytes: Uint8Array,
    pattern: RegExp,
    parse: (b: Uint8Array) => unknown = parseIdxImages
  ) => {
    expect(() => parse(bytes)).toThrow(IdxFormatError)
    expect(() => parse(bytes)).toThrow(pattern)
  }

  it('rejects a wrong magic number', () => {
    const bytes = images(1)
    bytes[0] = 0x12
    reject(bytes, /wrong magic number.*0x12 0x00.*not an IDX file/)
  })

  it('recognises a gzip file that was not decompressed', () =>
    reject(Uint8Array.of(0x1f, 0x8b, 8, 0, 0, 0), /gzip/))

  it('rejects value types other than unsigned bytes', () => {
    const bytes = images(1)
    bytes[2] = 0x0d
    reject(bytes, /float32.*only unsigned-byte/)
  })

  it('rejects wrong dimensions: labels given as images and images given as labels', () => {
    reject(labels([1, 2]), /expected 3 dimensions.*got 1.*label file/)
    reject(images(2), /expected 1 dimension.*got 3.*image file/, parseIdxLabels)
  })

  it('rejects truncated data, a truncated header and trailing garbage', () => {
    reject(
      images(3).subarray(0, 20),
      /truncated: the header promises 3×2×3 = 18 values, but only 4 bytes follow/
    )
    reject(images(3).subarray(0, 10), /truncated header/)
    reject(Uint8Array.of(0, 0), /too short/)
    const extra = new Uint8Array(images(1).length + 5)
    extra.set(images(1))
    reject(extra, /5 unexpected bytes/)
  })

  it('rejects empty images and absurd dimension counts', () => {
    reject(encodeIdx([4, 0, 28], new Uint8Array(0)), /empty/)
    reject(Uint8Array.of(0, 0, 8, 9), /9 dimensions/)
  })
})

describe('datasets and batches', () => {
  it('pairs images with labels', () => {
    const ds = datasetFromIdx(images(3), labels([7, 0, 9]), 'tiny')
    expect(ds).toMatchObject({ name: 'tiny', count: 3, rows: 2, cols: 3, inputSize: 6 })
  })

  it('rejects an image/label count mismatch', () => {
    expect(() => datasetFromIdx(images(3), labels([1, 2]), 'tiny')).toThrow(
      /tiny: 3 images but 2 labels/
    )
  })

  it('rejects labels outside the classes', () => {
    expect(() => datasetFromIdx(images(2), labels([1, 12]), 'tiny')).toThrow(
      /label 12 at index 1 is outside 0..9/
    )
  })

  it('normalises a batch to [0, 1] on the fly, in the given order, keeping uint8 storage', () => {
    const ds = datasetFromIdx(images(3), labels([7, 0, 9]), 'tiny')
    expect(ds.pixels).toBeInstanceOf(Uint8Array)
    const x = new Matrix(2, 6)
    const y = new Uint8Array(2)
    fillBatch(ds, Uint32Array.of(2, 0, 1), 0, x, y)
    expect(Array.from(y)).toEqual([9, 7])
    expect(x.get(0, 0)).toBeCloseTo(ds.pixels[12] / 255, 6)
    expect(x.get(1, 1)).toBeCloseTo(37 / 255, 6)
    expect(x.data.every((v) => v >= 0 && v <= 1)).toBe(true)
    expect(Array.from(sequentialOrder(3))).toEqual([0, 1, 2])
  })
})
