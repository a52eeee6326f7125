// Decoding with the browser engine, and the whole decode → preprocess step, in whichever thread runs it
// (the image worker, or the window as a fallback): createImageBitmap (first frame of an animation, EXIF
// orientation applied) → an OffscreenCanvas → RGBA bytes → core/vision; plus a small preview drawn from
// the decoded pixels. Only called after image-input.ts has checked the header, so it never sees SVG,
// text or dimensions above the limit. Exercised in Chromium by test/e2e/classify.test.ts.

import { preprocessDigit, type ImageHeader, type RgbaImage } from '@core/vision/index'
import { DecodeError, type PreviewImage, type ProcessedImage } from './image-input'

/**
 * Larger images are decoded scaled down (by the browser's high-quality filter) to this longer side.
 * core/vision block-averages anything above 640×640 pixels anyway; decoding a 6000×4000 photo at
 * 1600×1067 keeps 7 MB of pixels instead of 96 MB, and preprocessing takes a fraction of the time.
 */
export const MAX_DECODE_SIDE = 1600
/** Longer side of the previews shown on cards and in the big panel. */
export const PREVIEW_SIDE = 256

/** The size to decode at: the original, or scaled so the longer side is `maxSide` (aspect kept). */
export function decodeSize(
  width: number,
  height: number,
  maxSide = MAX_DECODE_SIDE
): { width: number; height: number } {
  const scale = Math.min(1, maxSide / Math.max(width, height))
  return {
    width: Math.max(1, Math.round(width * scale)),
    height: Math.max(1, Math.round(height * scale))
  }
}

function canvas2d(width: number, height: number): OffscreenCanvasRenderingContext2D {
  const context = new OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true })
  if (!context) throw new Error('this window cannot draw on a canvas')
  return context
}

function dataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.onload = () => resolve(String(reader.result))
    reader.onerror = () => reject(reader.error ?? new Error('could not read the preview'))
    reader.readAsDataURL(blob)
  })
}

/** A preview of `source` (longer side PREVIEW_SIDE at most) as a PNG data: URL, drawn from pixels. */
async function previewOf(
  source: CanvasImageSource,
  width: number,
  height: number
): Promise<PreviewImage> {
  const size = decodeSize(width, height, PREVIEW_SIDE)
  const context = canvas2d(size.width, size.height)
  context.imageSmoothingQuality = 'high'
  context.drawImage(source, 0, 0, size.width, size.height)
  return {
    url: await dataUrl(await context.canvas.convertToBlob({ type: 'image/png' })),
    width,
    height
  }
}

/** Decodes an image file into RGBA pixels (the first frame); DecodeError when the data is not decodable. */
async function decodeToPixels(
  file: Blob,
  header: ImageHeader
): Promise<{ rgba: RgbaImage; bitmap: ImageBitmap }> {
  const size = decodeSize(header.width, header.height)
  const scaled = size.width !== header.width || size.height !== header.height
  let bitmap: ImageBitmap
  try {
    bitmap = await createImageBitmap(
      file,
      scaled
        ? {
            resizeWidth: size.width,
            resizeHeight: size.height,
            resizeQuality: 'high',
            imageOrientation: 'from-image'
          }
        : { imageOrientation: 'from-image' }
    )
  } catch (err) {
    throw new DecodeError(err instanceof Error ? err.message : String(err))
  }
  // EXIF orientation may have swapped width and height: use what was decoded.
  const { width, height } = bitmap
  const context = canvas2d(width, height)
  context.drawImage(bitmap, 0, 0)
  const { data } = context.getImageData(0, 0, width, height)
  return { rgba: { width, height, data }, bitmap }
}

/** An image file → its preview and core/vision's 28×28 input (or why there is no digit). */
export async function processImageFile(file: Blob, header: ImageHeader): Promise<ProcessedImage> {
  const { rgba, bitmap } = await decodeToPixels(file, header)
  try {
    const preview = await previewOf(bitmap, rgba.width, rgba.height)
    return { preview, result: preprocessDigit(rgba) }
  } finally {
    bitmap.close()
  }
}

/** Pixels already in memory (the draw pad) → preview and 28×28 input. */
export async function processImagePixels(image: RgbaImage): Promise<ProcessedImage> {
  const context = canvas2d(image.width, image.height)
  context.putImageData(
    new ImageData(new Uint8ClampedArray(image.data), image.width, image.height),
    0,
    0
  )
  const preview = await previewOf(context.canvas, image.width, image.height)
  return { preview, result: preprocessDigit(image) }
}
