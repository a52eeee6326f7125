// What the learner is shown of the preprocessing: the steps in words, the crop box over the original,
// and the 28×28 input as pixels. Display only: the decisions were made by core/vision.

import {
  FRAME_SIZE,
  type Box,
  type ImageHeader,
  type PreprocessSteps,
  type Rgb
} from '@core/vision/index'
import { describeFormat } from './image-input'

export interface StepLine {
  readonly label: string
  readonly text: string
  /** Colours to show next to the text (paper and ink). */
  readonly swatches?: readonly { readonly name: string; readonly rgb: Rgb }[]
}

const percent = (fraction: number): string => `${Math.round(fraction * 100)}%`
const size = (width: number, height: number): string => `${width}×${height}`

/** The preprocessing steps, in order, one line each. `header` is null for the drawing. */
export function describeSteps(steps: PreprocessSteps, header: ImageHeader | null): StepLine[] {
  const lines: StepLine[] = []
  if (header) {
    const decodedSmaller = steps.width !== header.width || steps.height !== header.height
    const swapped =
      steps.width === header.height &&
      steps.height === header.width &&
      header.width !== header.height
    let text = `${size(header.width, header.height)} px ${describeFormat(header)}`
    if (header.animated) text += ', first frame'
    if (decodedSmaller && !swapped) text += `, decoded at ${size(steps.width, steps.height)}`
    if (swapped) text += ', rotated by its EXIF orientation'
    lines.push({ label: 'Image', text })
  } else {
    lines.push({ label: 'Image', text: `${size(steps.width, steps.height)} px drawing` })
  }
  const backdrop = steps.backdrop
  const backdropName = backdrop.rgb[0] > 127 ? 'white' : 'black'
  lines.push({
    label: 'Transparency',
    text:
      backdrop.kind === 'opaque'
        ? 'none: the image is opaque'
        : backdrop.kind === 'paper'
          ? 'transparent holes filled with the paper colour'
          : `drawn on a transparent background: composited over ${backdropName}, to contrast with the ink`
  })
  lines.push({
    label: 'Polarity',
    text: steps.inverted
      ? 'dark ink on light paper: inverted, so the digit is light on black like MNIST'
      : 'light ink on a dark background: already like MNIST, kept'
  })
  lines.push({
    label: 'Paper and ink',
    text: `contrast ${percent(steps.contrast)}`,
    swatches: [
      { name: 'paper', rgb: steps.paper },
      { name: 'ink', rgb: steps.ink }
    ]
  })
  const cleaning: string[] = []
  if (steps.despeckled) cleaning.push('specks removed (3×3 median)')
  if (steps.denoiseRadius > 0)
    cleaning.push(
      `grain smoothed (${2 * steps.denoiseRadius + 1}×${2 * steps.denoiseRadius + 1} mean)`
    )
  const [shadeLow, shadeHigh] = steps.shading
  if (shadeHigh - shadeLow > 0.02)
    cleaning.push(`uneven lighting subtracted (${percent(shadeHigh - shadeLow)})`)
  lines.push({
    label: 'Noise',
    text: cleaning.length > 0 ? cleaning.join(', ') : 'clean background, nothing to remove'
  })
  lines.push({
    label: 'Threshold',
    text: `ink is anything beyond ${percent(steps.threshold)} of the way from paper to ink`
  })
  lines.push({
    label: 'Marks',
    text:
      steps.componentsRemoved > 0
        ? `${steps.componentsKept} kept as the digit, ${steps.componentsRemoved} removed as specks or stray marks`
        : `${steps.componentsKept} kept as the digit`
  })
  const box = steps.cropBox
  lines.push({
    label: 'Crop box',
    text: `${size(box.width, box.height)} px at (${box.x}, ${box.y}), outlined on the original`
  })
  lines.push({
    label: 'Stroke',
    text:
      steps.thickenedBy > 0
        ? `${steps.strokeWidth.toFixed(1)} px at MNIST scale, thickened towards MNIST's 2 px pen`
        : `${steps.strokeWidth.toFixed(1)} px at MNIST scale`
  })
  lines.push({
    label: 'Scale and centre',
    text: `scaled to ${size(steps.scaledSize.width, steps.scaledSize.height)} (longer side 20), placed at (${steps.offset.x}, ${steps.offset.y}) so its centre of mass is the frame's centre`
  })
  return lines
}

/** The crop box as percentages of the image, for an outline drawn over a preview of any size. */
export function boxPercent(
  box: Box,
  width: number,
  height: number
): { left: string; top: string; width: string; height: string } {
  const pct = (v: number, of: number): string => `${((100 * v) / Math.max(1, of)).toFixed(3)}%`
  return {
    left: pct(box.x, width),
    top: pct(box.y, height),
    width: pct(box.width, width),
    height: pct(box.height, height)
  }
}

/** The network's input (784 values in [0, 1]) as opaque grey RGBA, light digit on black, as MNIST shows. */
export function inputToRgba(
  input: Float32Array,
  side = FRAME_SIZE
): Uint8ClampedArray<ArrayBuffer> {
  const rgba = new Uint8ClampedArray(side * side * 4)
  for (let i = 0; i < side * side; i++) {
    const v = Math.round(Math.min(1, Math.max(0, input[i] ?? 0)) * 255)
    rgba[4 * i] = v
    rgba[4 * i + 1] = v
    rgba[4 * i + 2] = v
    rgba[4 * i + 3] = 255
  }
  return rgba
}

/** "#rrggbb" for a swatch. */
export function rgbHex(rgb: Rgb): string {
  return `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`
}
