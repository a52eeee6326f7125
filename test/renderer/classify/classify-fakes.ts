// What the Classify stores' tests (classify-store.test.ts, classify-predictor.test.ts) run against: a stub
// StudioApi and a fake image worker (pixels registered per Blob go through core/vision), both handed to
// vi.mock by the test files, plus the images, model summaries and waits they share.
// NOTE: nothing here may import a store: the mocks' factories import this module while the stores load.

import { vi } from 'vitest'
import { nextTick } from 'vue'
import type { ModelSummary, Prediction, StudioApi } from '@contract'
import { PRESETS } from '@core/index'
import type { ImageHeader, RgbaImage } from '@core/vision/index'
import { drawDigit } from '../../helpers/synthetic-digit'
import { pngBytes } from './classify-files'

export const oneHot = (digit: number, p = 0.9): Prediction => ({
  probabilities: Array.from({ length: 10 }, (_, d) => (d === digit ? p : (1 - p) / 9)),
  predicted: digit
})

export const studio = {
  predict: vi.fn(),
  getModel: vi.fn(),
  importModel: vi.fn(),
  onTrainingEvent: vi.fn(() => () => {})
}

/** The module '@/shared/api' is replaced with (vi.mock). */
export const fakeApiModule = (): { useStudio: () => StudioApi } => ({
  useStudio: (): StudioApi => studio as unknown as StudioApi
})

/** The image worker, faked: pixels registered per Blob go through core/vision; anything else fails like a corrupt file. */
export const decoded = new Map<
  Blob,
  { width: number; height: number; data: Uint8ClampedArray | Uint8Array }
>()
export const processor = { pixels: vi.fn() }

/** The module '@/classify/image-processor' is replaced with (vi.mock). */
export async function fakeImageProcessorModule(): Promise<Record<string, unknown>> {
  const { preprocessDigit } = await import('@core/vision/index')
  const { DecodeError } = await import('@/classify/image-input')
  return {
    imageProcessor: {
      processFile: async (file: Blob, header: ImageHeader) => {
        const rgba = decoded.get(file)
        if (!rgba) throw new DecodeError('The source image could not be decoded.')
        return {
          preview: { url: 'data:,', width: header.width, height: header.height },
          result: preprocessDigit(rgba)
        }
      },
      processPixels: async (image: RgbaImage) => {
        processor.pixels(image)
        return {
          preview: { url: 'data:,', width: image.width, height: image.height },
          result: preprocessDigit(image)
        }
      }
    }
  }
}

export const digitImage = (): RgbaImage =>
  drawDigit({ width: 120, height: 100, box: { x: 30, y: 15, width: 50, height: 70 }, penWidth: 7 })

/** A PNG file whose "decoded" pixels are `rgba`. */
export function imageFile(name: string, rgba: RgbaImage = digitImage()): File {
  const file = new File([pngBytes(rgba.width, rgba.height)], name, { type: 'image/png' })
  decoded.set(file, rgba)
  return file
}

export const flush = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) {
    await nextTick()
    await new Promise((resolve) => setTimeout(resolve, 0))
  }
}

export const summary = (
  source: ModelSummary['source'],
  fileName: string | null = null
): ModelSummary => ({
  source,
  architecture: PRESETS.mlp.config.architecture,
  trainingConfig: null,
  metrics: { testAccuracy: 0.975 },
  step: 9375,
  fileName
})
