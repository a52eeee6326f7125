// One image on the Classify view, a card in the gallery or the drawing on the pad: where it came
// from, how far it got on its way to the network's 28×28 input, and the host's prediction for it.

import type { Prediction } from '@contract'
import type { ImageHeader, PreprocessSteps } from '@core/vision/index'
import type { PreviewImage } from './image-input'

export type ItemSource = 'file' | 'paste' | 'drawing'

/** queued → reading → ready (has the 28×28 input) or failed (a bad file, or no digit in it). */
export type ItemStage = 'queued' | 'reading' | 'ready' | 'failed'

/** One image: a card in the gallery, or the drawing. Replaced as a whole on every change. */
export interface ClassifyItem {
  readonly id: number
  readonly name: string
  readonly source: ItemSource
  readonly stage: ItemStage
  readonly header: ImageHeader | null
  readonly preview: PreviewImage | null
  /** The 784 values the network sees (markRaw: never proxied). */
  readonly input: Float32Array | null
  readonly steps: PreprocessSteps | null
  /** For 'failed': a bad file, or an image with no digit in it; and why, as a sentence. */
  readonly problem: 'file' | 'no-digit' | null
  readonly error: string | null
  readonly prediction: Prediction | null
  readonly predictionError: string | null
  /** True while the first prediction is on its way (refreshes keep showing the previous one). */
  readonly predicting: boolean
}

/** The drawing's id: the big panel shows it when `selectedId` is this. */
export const DRAWING_ID = 0
/** The gallery keeps the newest this many images; older ones drop off the end. */
export const MAX_GALLERY_ITEMS = 200

/** A new item, queued: nothing read, nothing predicted yet. */
export function newItem(id: number, name: string, source: ItemSource): ClassifyItem {
  return {
    id,
    name,
    source,
    stage: 'queued',
    header: null,
    preview: null,
    input: null,
    steps: null,
    problem: null,
    error: null,
    prediction: null,
    predictionError: null,
    predicting: false
  }
}
