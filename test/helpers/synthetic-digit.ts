// Synthetic test images: digit-like strokes drawn with an antialiased round pen into RGBA bytes.

import type { RgbaImage } from '../../core'

export type Rgba = readonly [number, number, number, number]

/** Polylines of a few digit-like shapes in a unit box (x right, y down), as a pen would trace them. */
export const SHAPES: Readonly<
  Record<'seven' | 'four' | 'zero', readonly (readonly [number, number])[][]>
> = {
  seven: [
    [
      [0.05, 0],
      [0.95, 0],
      [0.35, 1]
    ]
  ],
  four: [
    [
      [0.6, 0],
      [0.05, 0.65],
      [0.95, 0.65]
    ],
    [
      [0.68, 0.3],
      [0.68, 1]
    ]
  ],
  zero: [
    Array.from(
      { length: 33 },
      (_, i) =>
        [
          0.5 + 0.5 * Math.sin((i / 32) * 2 * Math.PI),
          0.5 - 0.5 * Math.cos((i / 32) * 2 * Math.PI)
        ] as [number, number]
    )
  ]
}

export interface DrawOptions {
  width: number
  height: number
  shape?: keyof typeof SHAPES
  /** Where the shape's unit box goes, in pixels. */
  box: { x: number; y: number; width: number; height: number }
  penWidth: number
  paper?: Rgba
  ink?: Rgba
  /** RGB stored under fully transparent pixels (only matters when paper alpha is 0). */
  under?: readonly [number, number, number]
}

/**
 * Draws the shape: pen coverage at a pixel is clamp(penWidth/2 + ½ − d, 0, 1) with d the distance from
 * the pixel centre to the nearest stroke segment (a 1-pixel antialiased edge), and the colour is
 * paper·(1 − coverage) + ink·coverage, alpha included.
 */
export function drawDigit({
  width,
  height,
  shape = 'seven',
  box,
  penWidth,
  paper = [255, 255, 255, 255],
  ink = [0, 0, 0, 255],
  under
}: DrawOptions): RgbaImage & { data: Uint8ClampedArray } {
  const segments: [number, number, number, number][] = []
  for (const line of SHAPES[shape]) {
    for (let i = 0; i + 1 < line.length; i++) {
      const [ax, ay] = line[i]
      const [bx, by] = line[i + 1]
      segments.push([
        box.x + ax * box.width,
        box.y + ay * box.height,
        box.x + bx * box.width,
        box.y + by * box.height
      ])
    }
  }
  const data = new Uint8ClampedArray(width * height * 4)
  const half = penWidth / 2
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const px = x + 0.5
      const py = y + 0.5
      let d = Infinity
      for (const [ax, ay, bx, by] of segments) {
        const dx = bx - ax
        const dy = by - ay
        const t = Math.max(
          0,
          Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy || 1))
        )
        d = Math.min(d, Math.hypot(px - ax - t * dx, py - ay - t * dy))
      }
      const coverage = Math.max(0, Math.min(1, half + 0.5 - d))
      const o = 4 * (y * width + x)
      for (let c = 0; c < 4; c++)
        data[o + c] = Math.round(paper[c] * (1 - coverage) + ink[c] * coverage)
      if (coverage > 0 && paper[3] === 0) for (let c = 0; c < 3; c++) data[o + c] = ink[c]
      if (coverage === 0 && under) for (let c = 0; c < 3; c++) data[o + c] = under[c]
    }
  }
  return { width, height, data }
}

/** A uniform image of one colour. */
export function solidImage(
  width: number,
  height: number,
  colour: Rgba
): RgbaImage & { data: Uint8ClampedArray } {
  const data = new Uint8ClampedArray(width * height * 4)
  for (let i = 0; i < width * height; i++) data.set(colour, 4 * i)
  return { width, height, data }
}

/** Mean |a − b| over two 784-value inputs: 0 identical, 1 opposite. */
export function meanAbsDiff(a: Float32Array, b: Float32Array): number {
  let sum = 0
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i])
  return sum / a.length
}

/** Pearson correlation of two inputs: 1 for the same picture up to contrast. */
export function correlation(a: Float32Array, b: Float32Array): number {
  const n = a.length
  let ma = 0
  let mb = 0
  for (let i = 0; i < n; i++) {
    ma += a[i] / n
    mb += b[i] / n
  }
  let sab = 0
  let saa = 0
  let sbb = 0
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb)
    saa += (a[i] - ma) ** 2
    sbb += (b[i] - mb) ** 2
  }
  return sab / Math.sqrt(saa * sbb)
}
