// Test-set images as the model sees them: one image's input values, and filtered, ranked pages of images.

import type { Dataset, Evaluation } from '../../core'
import type { ImageSource, TestImage, TestImagePage, TestImageQuery } from '../contract'

/** An inspected image's input values in [0, 1], and its true label when it is a test image. */
export interface InspectedImage {
  readonly input: Float32Array
  readonly label: number | null
}

/** The input the network sees for a source. Test images are normalised as training batches are (byte / 255). */
export function inspectedImage(source: ImageSource, test: Dataset): InspectedImage {
  if (source.kind === 'pixels') return { input: Float32Array.from(source.pixels), label: null }
  const { index } = source
  if (!Number.isInteger(index) || index < 0 || index >= test.count) {
    throw new RangeError(
      `source.index: must be a whole number from 0 to ${test.count - 1}, got ${index}`
    )
  }
  const bytes = testPixels(test, index)
  const input = new Float32Array(bytes.length)
  for (let i = 0; i < bytes.length; i++) input[i] = bytes[i] / 255
  return { input, label: test.labels[index] }
}

/**
 * One page of the test images that pass the query's filters, with the evaluation's predictions.
 * Ties in confidence are broken by index, so paging is stable.
 */
export function queryTestImages(
  test: Dataset,
  evaluation: Evaluation,
  query: TestImageQuery
): TestImagePage {
  const { predictions, confidences } = evaluation
  const matches: number[] = []
  for (let i = 0; i < test.count; i++) {
    const label = test.labels[i]
    const predicted = predictions[i]
    if (query.trueClass !== undefined && label !== query.trueClass) continue
    if (query.predictedClass !== undefined && predicted !== query.predictedClass) continue
    if (query.onlyMistakes && predicted === label) continue
    matches.push(i)
  }
  if (query.order !== 'index') {
    const sign = query.order === 'confidence-desc' ? -1 : 1
    matches.sort((a, b) => sign * (confidences[a] - confidences[b]) || a - b)
  }
  const items = matches.slice(query.offset, query.offset + query.limit).map((index): TestImage => ({
    index,
    label: test.labels[index],
    predicted: predictions[index],
    confidence: confidences[index],
    pixels: testPixels(test, index).slice() // a copy: the message must not drag the whole dataset along
  }))
  return { total: matches.length, offset: query.offset, items }
}

/** Image `index`'s bytes, as a view into the dataset. */
function testPixels(test: Dataset, index: number): Uint8Array {
  return test.pixels.subarray(index * test.inputSize, (index + 1) * test.inputSize)
}
