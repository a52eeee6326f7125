// What one image of the held-out digit set (bench/digits/generate.ts) will look like: a spec drawn at
// random from a seeded Rng, its digit as a jittered pen stroke or a font's glyph, and its size, colours,
// polarity, position, rotation, transparency, noise, blur and file format. Drawing it is generate.ts's part.

import type { Rng } from '../../core'
import { PEN_DIGITS } from './pen-digits'

/** Handwriting-like fonts from Debian packages (fonts-humor-sans, fonts-comic-neue, fonts-bwht, …). */
const HANDWRITING_FONTS = [
  'Humor Sans',
  'Comic Neue',
  'DkgHandwriting',
  'Breip',
  'Because We Build',
  'Because We Connect',
  'Because We Create',
  'Because We Learn',
  'Because We Mentor',
  'Because We Organize',
  'Dancing Script',
  'Kaushan Script',
  'Klee One',
  'Rufscript',
  'Z003'
]
/** Printed fonts: digits typed into a paint program or screenshotted. */
const PRINT_FONTS = [
  'DejaVu Sans',
  'Liberation Sans',
  'Liberation Serif',
  'Open Sans',
  'Lato',
  'Cabin',
  'Quicksand',
  'Nimbus Sans',
  'URW Gothic',
  'Play',
  'Dosis',
  'Gentium Plus',
  'FreeSans',
  'URW Bookman',
  'C059'
]

export type Format = 'png' | 'jpeg' | 'webp' | 'gif' | 'bmp'
export const EXTENSION: Record<Format, string> = {
  png: 'png',
  jpeg: 'jpg',
  webp: 'webp',
  gif: 'gif',
  bmp: 'bmp'
}

export interface Spec {
  label: number
  width: number
  height: number
  background:
    | { kind: 'solid'; color: string }
    | { kind: 'gradient'; from: string; to: string; angle: number }
    | { kind: 'transparent' }
  ink: string
  darkInk: boolean
  glyph:
    | { kind: 'font'; family: string; weight: number; italic: boolean }
    | { kind: 'pen'; path: string; penWidth: number }
  cx: number
  cy: number
  size: number
  rotation: number
  skew: number
  aspect: number
  blur: number
  gaussian: number
  saltPepper: number
  noiseSeed: number
  format: Format
  quality: number
}

const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]
const between = (rng: Rng, low: number, high: number): number => low + (high - low) * rng()
const logBetween = (rng: Rng, low: number, high: number): number =>
  Math.exp(between(rng, Math.log(low), Math.log(high)))
const hsl = (h: number, s: number, l: number): string =>
  `hsl(${h.toFixed(1)} ${(s * 100).toFixed(1)}% ${(l * 100).toFixed(1)}%)`

/** Moves every number in an SVG path by up to ±amount (a person never draws the same stroke twice). */
function jitterPath(path: string, rng: Rng, amount: number): string {
  return path.replace(/-?\d+(\.\d+)?/g, (n) =>
    (Number(n) + between(rng, -amount, amount)).toFixed(1)
  )
}

/** The `index`-th image's spec (its label is index mod 10, so the labels are balanced). */
export function makeSpec(rng: Rng, index: number): Spec {
  const label = index % 10
  const formatRoll = rng()
  const format: Format =
    formatRoll < 0.28
      ? 'png'
      : formatRoll < 0.55
        ? 'jpeg'
        : formatRoll < 0.75
          ? 'webp'
          : formatRoll < 0.875
            ? 'gif'
            : 'bmp'
  const gaussian = rng() < 0.25 ? between(rng, 4, 30) : 0
  const saltPepper = rng() < 0.1 ? between(rng, 0.002, 0.02) : 0
  // Size caps keep the committed set a few MB: BMP and GIF barely compress, noisy PNG not at all.
  const maxSide =
    format === 'gif' || format === 'bmp'
      ? 240
      : format === 'png' && gaussian + saltPepper > 0
        ? 360
        : 900
  const long = Math.round(logBetween(rng, 20, maxSide))
  const ratio = logBetween(rng, 0.6, 1.6)
  const width = Math.max(16, ratio >= 1 ? long : Math.round(long * ratio))
  const height = Math.max(16, ratio >= 1 ? Math.round(long / ratio) : long)
  const minSide = Math.min(width, height)
  const size = minSide * (minSide < 48 ? between(rng, 0.6, 0.9) : between(rng, 0.25, 0.85))
  const margin = size * 0.6
  const cx = width > 2 * margin ? between(rng, margin, width - margin) : width / 2
  const cy = height > 2 * margin ? between(rng, margin, height - margin) : height / 2

  const darkInk = rng() < 0.55
  const grey = rng() < 0.4
  const hue = between(rng, 0, 360)
  const inkLight = darkInk ? between(rng, 0, 0.35) : between(rng, 0.7, 1)
  const paperLight = darkInk ? between(rng, 0.75, 1) : between(rng, 0, 0.3)
  const ink = hsl(between(rng, 0, 360), grey ? 0 : between(rng, 0.3, 1), inkLight)
  const paper = hsl(hue, grey ? 0 : between(rng, 0.1, 0.8), paperLight)
  const transparent = format !== 'jpeg' && format !== 'bmp' && rng() < 0.2
  const backgroundRoll = rng()
  const background: Spec['background'] = transparent
    ? { kind: 'transparent' }
    : backgroundRoll < 0.25
      ? {
          kind: 'gradient',
          from: paper,
          to: hsl(
            hue,
            grey ? 0 : 0.4,
            Math.min(1, Math.max(0, paperLight + (darkInk ? -1 : 1) * between(rng, 0.08, 0.25)))
          ),
          angle: between(rng, 0, Math.PI * 2)
        }
      : { kind: 'solid', color: paper }

  const glyphRoll = rng()
  let glyph: Spec['glyph']
  if (glyphRoll < 0.5) {
    const penPixels = logBetween(rng, 1.5, Math.max(2, 0.16 * size))
    glyph = {
      kind: 'pen',
      path: jitterPath(pick(rng, PEN_DIGITS[label]), rng, between(rng, 1, 5)),
      penWidth: (penPixels * 100) / size
    }
  } else if (glyphRoll < 0.85) {
    glyph = {
      kind: 'font',
      family: pick(rng, HANDWRITING_FONTS),
      weight: rng() < 0.3 ? 700 : 400,
      italic: false
    }
  } else {
    glyph = {
      kind: 'font',
      family: pick(rng, PRINT_FONTS),
      weight: pick(rng, [300, 400, 400, 700, 900]),
      italic: rng() < 0.15
    }
  }
  return {
    label,
    width,
    height,
    background,
    ink,
    darkInk,
    glyph,
    cx,
    cy,
    size,
    rotation: (between(rng, -15, 15) * Math.PI) / 180,
    skew: glyph.kind === 'pen' ? between(rng, -0.25, 0.25) : 0,
    aspect: glyph.kind === 'pen' ? between(rng, 0.75, 1.2) : 1,
    blur: rng() < 0.2 ? between(rng, 0.5, Math.max(0.6, 0.03 * size)) : 0,
    gaussian,
    saltPepper,
    noiseSeed: Math.floor(rng() * 2 ** 31),
    format,
    quality: format === 'jpeg' ? between(rng, 0.5, 0.95) : between(rng, 0.6, 0.98)
  }
}
