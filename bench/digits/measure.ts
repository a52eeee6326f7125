// Scores a model on a folder of labelled digit images (labels.json), with core/vision's preprocessing
// and with the naive baseline (the whole image squashed to 28×28), per category for error analysis.

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  argmax,
  luma,
  Matrix,
  preprocessDigit,
  type PreprocessOptions,
  type RgbaImage,
  type Sequential
} from '../../core'
import { readImageFile } from '../../electron/images/image-decode'

/** One entry of labels.json (see generate.ts); only file and label are required. */
export interface LabelledImage {
  readonly file: string
  readonly label: number
  readonly [key: string]: unknown
}

export interface ImageOutcome {
  readonly file: string
  readonly label: number
  /** Prediction with preprocessing; null when preprocessing found no digit or decoding failed. */
  readonly predicted: number | null
  readonly naive: number | null
  readonly error?: string
  readonly entry: LabelledImage
}

export interface SetScore {
  readonly count: number
  readonly accuracy: number
  readonly naiveAccuracy: number
  readonly outcomes: ImageOutcome[]
}

export function readLabels(dir: string): LabelledImage[] {
  return (JSON.parse(readFileSync(join(dir, 'labels.json'), 'utf8')) as { images: LabelledImage[] })
    .images
}

/** The class with the highest logit for one 784-value input. */
export function classify(model: Sequential, input: Float32Array): number {
  return argmax(model.forward(new Matrix(1, input.length, input)).data)
}

/**
 * The naive baseline: grey = luma of the stored RGB (alpha ignored), the whole image area-averaged to
 * 28×28 regardless of aspect ratio, divided by 255. No inversion, no cropping, no centring.
 */
export function naiveInput(image: RgbaImage): Float32Array {
  const out = new Float32Array(28 * 28)
  const weight = new Float32Array(28 * 28)
  for (let y = 0; y < image.height; y++) {
    const oy = Math.min(27, Math.floor((y * 28) / image.height))
    for (let x = 0; x < image.width; x++) {
      const ox = Math.min(27, Math.floor((x * 28) / image.width))
      const p = 4 * (y * image.width + x)
      out[oy * 28 + ox] += luma(image.data[p], image.data[p + 1], image.data[p + 2]) / 255
      weight[oy * 28 + ox]++
    }
  }
  for (let i = 0; i < out.length; i++) out[i] = weight[i] > 0 ? out[i] / weight[i] : 0
  return out
}

/** Decodes, preprocesses and classifies every labelled image in `dir`. */
export async function scoreDigitSet(
  model: Sequential,
  dir: string,
  options: PreprocessOptions = {}
): Promise<SetScore> {
  const outcomes: ImageOutcome[] = []
  for (const entry of readLabels(dir)) {
    try {
      const image = await readImageFile(join(dir, entry.file))
      const result = preprocessDigit(image, options)
      outcomes.push({
        file: entry.file,
        label: entry.label,
        predicted: result.ok ? classify(model, result.input) : null,
        naive: classify(model, naiveInput(image)),
        error: result.ok ? undefined : result.message,
        entry
      })
    } catch (error) {
      outcomes.push({
        file: entry.file,
        label: entry.label,
        predicted: null,
        naive: null,
        error: String(error),
        entry
      })
    }
  }
  const count = outcomes.length
  return {
    count,
    accuracy: outcomes.filter((o) => o.predicted === o.label).length / count,
    naiveAccuracy: outcomes.filter((o) => o.naive === o.label).length / count,
    outcomes
  }
}

/** Accuracy per value of a manifest field (e.g. style, polarity), for finding where it fails. */
export function breakdown(
  outcomes: readonly ImageOutcome[],
  key: (o: ImageOutcome) => string
): Map<string, { count: number; accuracy: number }> {
  const groups = new Map<string, ImageOutcome[]>()
  for (const o of outcomes) groups.set(key(o), [...(groups.get(key(o)) ?? []), o])
  return new Map(
    [...groups]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, list]) => [
        name,
        {
          count: list.length,
          accuracy: list.filter((o) => o.predicted === o.label).length / list.length
        }
      ])
  )
}
