// A labelled image dataset kept as bytes (47 MB for MNIST's training set, not 188 MB of floats),
// and the minibatches made from it, normalised to [0, 1] on the fly.

import { IdxFormatError, ShapeError } from '../errors'
import { assertShape, type Matrix } from '../tensor/matrix'
import { parseIdxImages, parseIdxLabels } from './idx'

/** Images and labels. Image i is pixels[i·inputSize … (i+1)·inputSize), row-major, 0..255. */
export interface Dataset {
  readonly name: string
  readonly count: number
  readonly rows: number
  readonly cols: number
  /** rows × cols (784 for MNIST). */
  readonly inputSize: number
  readonly pixels: Uint8Array
  readonly labels: Uint8Array
}

/**
 * Builds a dataset from an IDX image file and an IDX label file (bytes).
 * Throws IdxFormatError when either is malformed, the counts differ, or a label is not below `classes`.
 */
export function datasetFromIdx(
  imageBytes: Uint8Array,
  labelBytes: Uint8Array,
  name: string,
  classes = 10
): Dataset {
  const images = parseIdxImages(imageBytes, `${name} images`)
  const labels = parseIdxLabels(labelBytes, `${name} labels`)
  if (images.count !== labels.length) {
    throw new IdxFormatError(
      `${name}: ${images.count} images but ${labels.length} labels; they must pair up one to one`
    )
  }
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] >= classes) {
      throw new IdxFormatError(
        `${name} labels: label ${labels[i]} at index ${i} is outside 0..${classes - 1}`
      )
    }
  }
  return {
    name,
    count: images.count,
    rows: images.rows,
    cols: images.cols,
    inputSize: images.rows * images.cols,
    pixels: images.pixels,
    labels
  }
}

/** How many classes the labels name: the highest label + 1 (labels are 0-based), 0 for no labels. */
export function classCount(labels: Uint8Array): number {
  let highest = -1
  for (let i = 0; i < labels.length; i++) if (labels[i] > highest) highest = labels[i]
  return highest + 1
}

/**
 * Throws a ShapeError when a label is not below `classes`: a model with fewer outputs than the data has
 * classes would read (and write) outside its probability rows. The engines' last defence; configs are
 * refused before this by checkConfigFitsDataset.
 */
export function assertLabelsBelow(labels: Uint8Array, classes: number, where: string): void {
  const classesSeen = classCount(labels)
  if (classesSeen > classes) {
    throw new ShapeError(
      `${where}: label ${classesSeen - 1} needs at least ${classesSeen} outputs, the model has ${classes}`
    )
  }
}

/** pixel / 255 for every byte value, so normalising a batch is a table lookup. */
const PIXEL_TO_UNIT = Float32Array.from({ length: 256 }, (_, value) => value / 255)

/**
 * Copies the samples order[start … start+x.rows) into x ([rows, inputSize], values in [0, 1]) and
 * their labels into `labels`.
 */
export function fillBatch(
  dataset: Dataset,
  order: Uint32Array,
  start: number,
  x: Matrix,
  labels: Uint8Array
): void {
  assertShape('fillBatch', x, x.rows, dataset.inputSize)
  const size = dataset.inputSize
  for (let r = 0; r < x.rows; r++) {
    const sample = order[start + r]
    const source = sample * size
    const target = r * size
    for (let p = 0; p < size; p++) x.data[target + p] = PIXEL_TO_UNIT[dataset.pixels[source + p]]
    labels[r] = dataset.labels[sample]
  }
}

/** x ← pixels / 255, for a batch of images already in batch order ([x.rows, x.cols] bytes). */
export function fillBatchPixels(pixels: Uint8Array, x: Matrix): void {
  for (let i = 0; i < x.data.length; i++) x.data[i] = PIXEL_TO_UNIT[pixels[i]]
}

/** The identity order 0, 1, …, count − 1. */
export function sequentialOrder(count: number): Uint32Array {
  return Uint32Array.from({ length: count }, (_, i) => i)
}

/** The first `count` samples as a dataset of their own (views, no copy); for quick runs and tests. */
export function takeFirst(dataset: Dataset, count: number): Dataset {
  const n = Math.min(count, dataset.count)
  return {
    ...dataset,
    count: n,
    pixels: dataset.pixels.subarray(0, n * dataset.inputSize),
    labels: dataset.labels.subarray(0, n)
  }
}
