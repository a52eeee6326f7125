// Any RGBA image → the 28×28 input the network expects, MNIST-style, with every step reported.

import { suppressBackground, type InkMap } from './background'
import { binFactor, chooseBackdrop, compositeAndBin, enlargeRgb, type Backdrop } from './composite'
import { labelComponents, selectDigitComponents } from './components'
import { cropPlane, growBox, inkBoundingBox, toOriginalBox } from './crop'
import { DIGIT_BOX_SIZE, placeByCentreOfMass } from './center'
import {
  assertRgbaImage,
  createPlane,
  type Box,
  type Plane,
  type Rgb,
  type RgbaImage
} from './image'
import { boxBlur, countIsolatedSpecks, medianFilter3 } from './noise'
import { estimateInkAxis, projectOntoInkAxis } from './polarity'
import { resamplePlane } from './resample'
import { dilate, strokeWidth } from './stroke'

/** Tuning knobs; the defaults are what the held-out digit set was measured with. */
export interface PreprocessOptions {
  /** Images with more pixels are block-averaged down to about this many before processing. */
  readonly maxWorkingPixels?: number
  /** Ink must differ from the paper by at least this much (0…1, as |Δcolour|/√3) or the image is blank. */
  readonly minContrast?: number
  /** The ink threshold is at least this many noise standard deviations above the paper. */
  readonly noiseSigmas?: number
  /** …and at least this fraction of the way from paper to ink. */
  readonly minThreshold?: number
  /**
   * Thicken strokes thinner than this (in pixels once the digit is 20 px tall) up to it; MNIST's pen is
   * about 2 px wide by the same measure. null leaves strokes as drawn.
   */
  readonly minStrokeWidth?: number | null
}

/** The defaults preprocessDigit uses for every option not given. */
export const DEFAULT_PREPROCESS_OPTIONS: Required<PreprocessOptions> = {
  maxWorkingPixels: 640 * 640,
  minContrast: 0.08,
  noiseSigmas: 4,
  minThreshold: 0.15,
  minStrokeWidth: 2
}

/** Everything the pipeline decided, for showing the learner what happened. */
export interface PreprocessSteps {
  /** Original image size. */
  readonly width: number
  readonly height: number
  /**
   * Original pixels per working pixel: k > 1 when k×k blocks were averaged (large images), 1/u when a
   * tiny image was enlarged u times, 1 otherwise.
   */
  readonly workScale: number
  /** What transparent pixels were composited over. */
  readonly backdrop: Backdrop
  /** Estimated paper and ink colours, 0…255 per channel. */
  readonly paper: Rgb
  readonly ink: Rgb
  /** True when the ink was darker than the paper, so the image was inverted (MNIST is light on dark). */
  readonly inverted: boolean
  /** |ink − paper| / √3 in [0, 1]. */
  readonly contrast: number
  /** Paper noise (robust σ) and the ink threshold, as fractions of the ink contrast. */
  readonly noise: number
  /** Radius of the mean filter applied against noise, in working pixels (0 = none, 1 = 3×3, 2 = 5×5). */
  readonly denoiseRadius: number
  /** True when salt-and-pepper specks were found and removed with a 3×3 median filter. */
  readonly despeckled: boolean
  readonly threshold: number
  /** Range of the fitted paper shading (gradient), as fractions of the ink contrast. */
  readonly shading: readonly [number, number]
  /** Ink blobs kept as the digit, and specks or marks removed. */
  readonly componentsKept: number
  readonly componentsRemoved: number
  /** The digit's bounding box in original pixel coordinates (before any stroke thickening). */
  readonly cropBox: Box
  /** Stroke width as drawn, in pixels at the 20-pixel digit scale, and how much it was thickened. */
  readonly strokeWidth: number
  readonly thickenedBy: number
  /** Size of the scaled digit (the longer side is 20) and where its top-left went in the 28×28 frame. */
  readonly scaledSize: { readonly width: number; readonly height: number }
  readonly offset: { readonly x: number; readonly y: number }
}

/** Why no digit came out: nothing there, nothing but noise, or nothing big enough. */
export type NoDigitReason = 'empty' | 'blank' | 'noisy' | 'tiny'

/** A digit ready for the network (with the steps that made it), or why there is none. */
export type PreprocessResult =
  | {
      readonly ok: true
      /** 784 values in [0, 1], row-major 28×28, light digit on black, strongest ink = 1. */
      readonly input: Float32Array
      readonly steps: PreprocessSteps
    }
  | { readonly ok: false; readonly reason: NoDigitReason; readonly message: string }

/** Images whose longer side is below this (after binning) are enlarged, by at most MAX_ENLARGE. */
const MIN_WORKING_SIDE = 128
const MAX_ENLARGE = 4
/** Paper noise (σ in ink units) below which the paper counts as clean apart from any specks. */
const CLEAN_PAPER_NOISE = 0.1
/** Impulse noise is assumed when isolated specks number at least this many and this fraction of pixels. */
const MIN_SPECKS = 8
const SPECK_FRACTION = 0.002
/** A threshold above this (in ink units) means noisy paper: smooth, then try again. */
const NOISY_THRESHOLD = 0.3
/** The widest smoothing tried: 5×5 original pixels (2u + 1 working pixels for an enlarged image). */
const MAX_DENOISE_RADIUS = 2
/** Threshold above which the paper is so noisy that "ink" would be mostly noise. */
const MAX_USABLE_THRESHOLD = 0.6
/** A digit must span at least this many working pixels on its longer side. */
const MIN_DIGIT_SIDE = 3

/**
 * Turns any RGBA image into MNIST's format: a 28×28 grey image, light digit on black, scaled so its
 * longer side is 20 pixels and centred by its centre of mass. The steps, in order:
 *  1. composite: flatten transparency (composite.ts), block-average huge images to a working size;
 *  2. polarity: estimate paper and ink colours; project each pixel onto the paper→ink axis, which
 *     inverts dark-on-light and turns colour into grey in one go (polarity.ts);
 *  3. noise: median-filter salt-and-pepper specks, smooth grainy images (noise.ts); then subtract the
 *     paper's shading and cut the noise floor (background.ts);
 *  4. components: keep the digit's blobs, drop specks and distant marks (components.ts);
 *  5. crop to the digit's box; thicken hairline strokes to MNIST's pen width (stroke.ts);
 *  6. scale the longer side to 20 px, area-averaging when shrinking, bilinear when enlarging (resample.ts);
 *  7. paste into 28×28 with the centre of mass at pixel (14, 14) (center.ts); scale so max ink = 1.
 * Returns { ok: false } with a message (never throws) when there is no digit to find; throws ShapeError
 * only for a malformed image object (data length ≠ width·height·4).
 */
export function preprocessDigit(
  image: RgbaImage,
  options: PreprocessOptions = {}
): PreprocessResult {
  assertRgbaImage(image)
  const o = { ...DEFAULT_PREPROCESS_OPTIONS, ...options }
  const { width, height } = image
  if (width === 0 || height === 0)
    return noDigit('empty', `the image is empty (${width}×${height} pixels)`)

  const backdrop = chooseBackdrop(image)
  const k = binFactor(width, height, o.maxWorkingPixels)
  const binned = compositeAndBin(image, backdrop, k)
  // Tiny images (an icon, a 28×28 MNIST digit) are enlarged so filters can act below one pixel.
  const u = Math.min(
    MAX_ENLARGE,
    Math.max(1, Math.floor(MIN_WORKING_SIDE / Math.max(binned.width, binned.height)))
  )
  const rgb = enlargeRgb(binned, u)

  const axis = estimateInkAxis(rgb, o.minContrast)
  if (!axis)
    return noDigit(
      'blank',
      'no digit found: the image is blank (nothing stands out from the background)'
    )
  const { map, despeckled, denoiseRadius } = separateInk(projectOntoInkAxis(rgb, axis), o, u)
  if (map.threshold >= MAX_USABLE_THRESHOLD) {
    return noDigit(
      'noisy',
      'no digit found: the image is too noisy to tell strokes from the background'
    )
  }

  const { labels, components } = labelComponents(map.plane)
  const selection = selectDigitComponents(components)
  if (!selection) return noDigit('blank', 'no digit found: nothing stands out from the background')
  const keep = new Uint8Array(components.length + 1)
  for (const label of selection.kept) keep[label] = 1
  const clean = createPlane(map.plane.width, map.plane.height)
  for (let i = 0; i < clean.data.length; i++) if (keep[labels[i]]) clean.data[i] = map.plane.data[i]
  const digitBox = selection.box
  if (Math.max(digitBox.width, digitBox.height) < MIN_DIGIT_SIDE) {
    return noDigit('tiny', 'no digit found: the only mark is a dot a few pixels across')
  }

  const { patch, drawnWidth, radius } = cropAndThicken(clean, digitBox, o.minStrokeWidth ?? 0)
  const scaled = scaleToDigitBox(patch)
  if (!scaled) return noDigit('blank', 'no digit found: nothing stands out from the background')
  const { frame, offset } = placeByCentreOfMass(scaled)

  const toByte = (v: number): number => Math.round(Math.min(1, Math.max(0, v)) * 255)
  return {
    ok: true,
    input: frame,
    steps: {
      width,
      height,
      workScale: k / u,
      backdrop,
      paper: [toByte(axis.paper[0]), toByte(axis.paper[1]), toByte(axis.paper[2])],
      ink: [toByte(axis.ink[0]), toByte(axis.ink[1]), toByte(axis.ink[2])],
      inverted: axis.inverted,
      contrast: axis.contrast,
      noise: map.noise,
      denoiseRadius,
      despeckled,
      threshold: map.threshold,
      shading: map.shading,
      componentsKept: selection.kept.length,
      componentsRemoved: components.length - selection.kept.length,
      cropBox: toOriginalBox(digitBox, k / u, width, height),
      strokeWidth: drawnWidth,
      thickenedBy: radius,
      scaledSize: { width: scaled.width, height: scaled.height },
      offset
    }
  }
}

/**
 * From the projected image (0 paper, 1 ink) to the ink map, dealing with noise on the way:
 * - salt-and-pepper: many isolated specks on otherwise clean paper → 3×3 median first. Only on clean
 *   paper: under grain every noisy pixel looks like a speck, and the median would erase thin strokes
 *   for nothing (an enlarged tiny image has no 1-pixel specks left to see);
 * - grain (a photo, a noisy scan): when the threshold has to sit high above the noise, smooth with a
 *   growing mean filter, as little as works: a (2r+1)² mean divides pixel noise by 2r+1 and leaves
 *   strokes wider than the window at full strength.
 */
function separateInk(
  projected: Plane,
  o: Required<PreprocessOptions>,
  u: number
): { map: InkMap; despeckled: boolean; denoiseRadius: number } {
  let map = suppressBackground(projected, o)
  const specks = countIsolatedSpecks(projected)
  const despeckled =
    map.noise < CLEAN_PAPER_NOISE &&
    specks >= Math.max(MIN_SPECKS, SPECK_FRACTION * projected.data.length)
  const source = despeckled ? medianFilter3(projected) : projected
  if (despeckled) map = suppressBackground(source, o)
  let denoiseRadius = 0
  while (map.threshold > NOISY_THRESHOLD && denoiseRadius < MAX_DENOISE_RADIUS * u) {
    denoiseRadius++
    map = suppressBackground(boxBlur(source, denoiseRadius), o)
  }
  return { map, despeckled, denoiseRadius }
}

/**
 * Crops the digit, thickening hairline strokes first. The stroke width at the final scale is
 * w·20/B (w measured, B the box's longer side). To reach T after thickening by ρ on each side, which
 * also grows the box by 2ρ:  (w + 2ρ)·20 / (B + 2ρ) = T  ⇒  ρ = (T·B/20 − w) / (2·(1 − T/20)).
 */
function cropAndThicken(
  clean: Plane,
  box: Box,
  target: number
): { patch: Plane; drawnWidth: number; radius: number } {
  const longSide = Math.max(box.width, box.height)
  const measured = strokeWidth(cropPlane(clean, box))
  const drawnWidth = (measured * DIGIT_BOX_SIZE) / longSide
  const radius =
    drawnWidth < target
      ? Math.max(0, (target * longSide) / DIGIT_BOX_SIZE - measured) /
        (2 * (1 - target / DIGIT_BOX_SIZE))
      : 0
  const region = growBox(box, Math.ceil(radius) + 1, clean.width, clean.height)
  const thick = dilate(cropPlane(clean, region), radius)
  const inner = inkBoundingBox(thick) ?? { x: 0, y: 0, width: region.width, height: region.height }
  return { patch: cropPlane(thick, inner), drawnWidth, radius }
}

/** Scales the patch so its longer side is 20 pixels (aspect kept) and its strongest ink is 1. */
function scaleToDigitBox(patch: Plane): Plane | null {
  const scale = DIGIT_BOX_SIZE / Math.max(patch.width, patch.height)
  const scaledWidth = Math.max(1, Math.min(DIGIT_BOX_SIZE, Math.round(patch.width * scale)))
  const scaledHeight = Math.max(1, Math.min(DIGIT_BOX_SIZE, Math.round(patch.height * scale)))
  const scaled = resamplePlane(patch, scaledWidth, scaledHeight)
  let peak = 0
  for (const v of scaled.data) peak = Math.max(peak, v)
  if (peak <= 0) return null
  for (let i = 0; i < scaled.data.length; i++) scaled.data[i] = Math.min(1, scaled.data[i] / peak)
  return scaled
}

function noDigit(reason: NoDigitReason, message: string): PreprocessResult {
  return { ok: false, reason, message }
}
